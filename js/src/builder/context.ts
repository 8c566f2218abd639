import type { PointerEvent as ReactPointerEvent } from "react";
import { createContext } from "react";
import type { Command, DragSource, Version } from "./protocol";

/** What cards can ask of the widget. Stable for the widget's lifetime. */
export interface BuilderActions {
  /** Send a command; resolves true when Python applied it (refusals are shown on the canvas). */
  command(command: Command): Promise<boolean>;
  startDrag(source: DragSource, event: ReactPointerEvent<Element>): void;
  /** Show a job in the inspector, at a tab (and, for the preview, an input). */
  inspect(target: InspectTarget): void;
  copyPath(metafile: string): void;
  download(job: string, output: string, result: string, version: Version): void;
}

export interface BuilderUi {
  readOnly: boolean;
  actions: BuilderActions;
}

const noop = () => {};

export const ActionsContext = createContext<BuilderUi>({
  readOnly: false,
  actions: {
    command: () => Promise.resolve(false),
    startDrag: noop,
    inspect: noop,
    copyPath: noop,
    download: noop,
  },
});

export interface InputRef {
  job: string;
  input: string;
}

/** The inspector's sections. */
export type InspectorTab = "inputs" | "params" | "outputs" | "preview";

/** What the inspector shows: a job, one of its sections, and the input being previewed. */
export interface InspectTarget {
  job: string;
  /** Left out: the section already shown, or the job's first. */
  tab?: InspectorTab;
  input?: string;
}

/** The input group whose resolved rows the inspector's preview shows. */
export const SelectionContext = createContext<InputRef | null>(null);

/** Outputs folded or unfolded on every card at once (the `O` key); `version` counts the
 * presses, 0 before the first (each card then shows its own default). */
export interface Fold {
  open: boolean;
  version: number;
}

export const FoldContext = createContext<Fold>({ open: true, version: 0 });
