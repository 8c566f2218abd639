import { useState } from "react";
import { formatCount } from "../../format";
import type { CatalogEntry, GraphView } from "../protocol";
import { Palette } from "./Palette";

interface Props {
  graph: GraphView;
  catalog: readonly CatalogEntry[];
  onAddJob: (entry: CatalogEntry) => void;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onFitView: () => void;
  /** Whether the minimap is shown (null: the project is too small to have one). */
  mapShown: boolean | null;
  onToggleMap: () => void;
  /** How many canvas edits the code panel holds, and whether it is open. */
  codeLines: number;
  codeShown: boolean;
  onToggleCode: () => void;
  /** The jobs selected on the canvas (shift-click, or shift-drag a box) that can be sent:
   * building jobs, and completed ones only cryoweave has. */
  selected: readonly string[];
  /** The building jobs among them: what a workflow file holds. */
  building: readonly string[];
  onSend: () => void;
  onSaveWorkflow: () => void;
}

const MOD =
  typeof navigator !== "undefined" && /Mac|iP(hone|ad)/.test(navigator.platform) ? "⌘" : "Ctrl+";

export function Toolbar({
  graph,
  catalog,
  onAddJob,
  onUndo,
  onRedo,
  onLayout,
  onFitView,
  mapShown,
  onToggleMap,
  codeLines,
  codeShown,
  onToggleCode,
  selected,
  building,
  onSend,
  onSaveWorkflow,
}: Props) {
  const none = selected.length === 0;
  const chosen = none
    ? "Select jobs to send first (shift-click, or shift-drag a box)"
    : selected.join(", ");
  const noBuilding = building.length === 0;
  const [paletteOpen, setPaletteOpen] = useState(false);
  const editable = !graph.read_only;
  return (
    <div className="cw-toolbar" data-testid="toolbar">
      <span className="cw-project" title={graph.root}>
        {graph.title || "Project"}
      </span>
      <span className="cw-muted">
        {formatCount(graph.jobs.length)} {graph.jobs.length === 1 ? "job" : "jobs"}
        {graph.read_only ? " · read-only" : ""}
      </span>
      <span className="cw-spacer" />
      {editable && (
        <div className="cw-add">
          <button
            type="button"
            className="cw-button cw-button-primary"
            data-testid="add-job"
            aria-expanded={paletteOpen}
            onClick={() => setPaletteOpen((open) => !open)}
          >
            + Add job
          </button>
          {paletteOpen && (
            <Palette
              catalog={catalog}
              onChoose={(entry) => {
                setPaletteOpen(false);
                onAddJob(entry);
              }}
              onClose={() => setPaletteOpen(false)}
            />
          )}
        </div>
      )}
      <button
        type="button"
        className="cw-button"
        data-testid="undo"
        disabled={!graph.can_undo}
        title={graph.can_undo ? `Undo ${graph.undo_label} (${MOD}Z)` : "Nothing to undo"}
        onClick={onUndo}
      >
        ↶ Undo
      </button>
      <button
        type="button"
        className="cw-button"
        data-testid="redo"
        disabled={!graph.can_redo}
        title={graph.can_redo ? `Redo ${graph.redo_label} (${MOD}Shift+Z)` : "Nothing to redo"}
        onClick={onRedo}
      >
        ↷ Redo
      </button>
      <button
        type="button"
        className="cw-button"
        data-testid="auto-layout"
        title="Arrange the jobs left to right"
        disabled={graph.jobs.length === 0}
        onClick={onLayout}
      >
        Auto-layout
      </button>
      <button
        type="button"
        className="cw-button"
        data-testid="send-to-cryosparc"
        disabled={none}
        title={none ? chosen : `The cryosparc-tools script that builds ${chosen}`}
        onClick={onSend}
      >
        Send to CryoSPARC
      </button>
      <button
        type="button"
        className="cw-button"
        data-testid="save-workflow"
        disabled={noBuilding}
        title={
          noBuilding
            ? "Select building jobs first (shift-click, or shift-drag a box)"
            : `Save ${building.join(", ")} as a CryoSPARC workflow file`
        }
        onClick={onSaveWorkflow}
      >
        Save as workflow
      </button>
      <button
        type="button"
        className="cw-button"
        data-testid="fit-view"
        title="Fit all jobs in view"
        onClick={onFitView}
      >
        Fit view
      </button>
      <button
        type="button"
        className={`cw-button${codeShown ? " cw-button-on" : ""}`}
        data-testid="toggle-code"
        aria-pressed={codeShown}
        title="Each edit made on the canvas as its line of Python"
        onClick={onToggleCode}
      >
        Code{codeLines > 0 ? ` (${formatCount(codeLines)})` : ""}
      </button>
      {mapShown !== null && (
        <button
          type="button"
          className={`cw-button${mapShown ? " cw-button-on" : ""}`}
          data-testid="toggle-map"
          aria-pressed={mapShown}
          title={mapShown ? "Hide the map of the project" : "Show a map of the whole project"}
          onClick={onToggleMap}
        >
          Map
        </button>
      )}
    </div>
  );
}
