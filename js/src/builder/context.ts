import type { PointerEvent as ReactPointerEvent } from "react";
import { createContext } from "react";
import type { Command, DragSource, Version } from "./protocol";

/** What cards can ask of the widget. Stable for the widget's lifetime. */
export interface BuilderActions {
  /** Send a command; resolves true when Python applied it (refusals are shown on the canvas). */
  command(command: Command): Promise<boolean>;
  startDrag(source: DragSource, event: ReactPointerEvent<Element>): void;
  selectInput(job: string, input: string): void;
  /** Open the parameters panel of a job. */
  showParams(job: string): void;
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
    selectInput: noop,
    showParams: noop,
    copyPath: noop,
    download: noop,
  },
});

export interface InputRef {
  job: string;
  input: string;
}

/** The input group whose resolved rows the preview panel shows. */
export const SelectionContext = createContext<InputRef | null>(null);

/** Outputs folded or unfolded on every card at once (the `O` key); `version` counts the
 * presses, 0 before the first (each card then shows its own default). */
export interface Fold {
  open: boolean;
  version: number;
}

export const FoldContext = createContext<Fold>({ open: true, version: 0 });
