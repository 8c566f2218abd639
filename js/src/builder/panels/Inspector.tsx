import { useContext } from "react";
import type { RequestClient } from "../client";
import { ActionsContext, type InspectorTab, type InspectTarget } from "../context";
import { showsInputs } from "../flow";
import { statusLabel } from "../format";
import type { GraphView, JobView } from "../protocol";
import { InputsSection } from "./InputsSection";
import { OutputsSection } from "./OutputsSection";
import { ParamsSection } from "./ParamsSection";
import { ParticleTiles } from "./ParticleTiles";
import { PreviewSection } from "./PreviewSection";

/** What the inspector shows, as `usePanels` keeps it. */
export interface Inspected {
  job: string;
  tab: InspectorTab;
  /** The input previewed; null for the job's first. */
  input: string | null;
}

const TAB_TITLES: Record<InspectorTab, string> = {
  inputs: "Inputs",
  params: "Parameters",
  outputs: "Outputs",
  preview: "Preview",
};

/** The sections a job has: inputs and outputs when it has some, the preview while building. */
export function inspectorTabs(job: JobView): InspectorTab[] {
  const tabs: InspectorTab[] = [];
  if (job.inputs.length > 0) tabs.push("inputs");
  tabs.push("params");
  if (job.outputs.length > 0) tabs.push("outputs");
  if (showsInputs(job) && job.inputs.length > 0) tabs.push("preview");
  return tabs;
}

interface Props {
  graph: GraphView;
  job: JobView;
  client: RequestClient;
  inspected: Inspected;
  onInspect: (target: InspectTarget) => void;
  onClose: () => void;
}

/**
 * The panel beside the canvas for the selected job: its inputs (slots, connections, overrides,
 * cleared slots and reasons), its parameters, its outputs, and the preview of what an input
 * resolves to. Every edit is a command, as on the canvas.
 */
export function Inspector({ graph, job, client, inspected, onInspect, onClose }: Props) {
  const { actions, readOnly } = useContext(ActionsContext);
  const tabs = inspectorTabs(job);
  // A section the job lacks (a completed job's preview, an import's inputs): its outputs.
  const fallback = tabs.includes("outputs") ? "outputs" : "params";
  const tab = tabs.includes(inspected.tab) ? inspected.tab : fallback;
  const editable = !readOnly && !job.external && job.status === "building";
  const previewed = inspected.input ?? job.inputs[0]?.name ?? "";
  const ownTitle = job.title !== "" && job.title !== job.type_title;

  return (
    <aside
      className="cw-preview cw-inspector nowheel nodrag"
      data-testid="inspector"
      data-job={job.uid}
      data-tab={tab}
      aria-label={`Inspector: ${job.uid}`}
    >
      <header className="cw-preview-head cw-inspector-head">
        <span className="cw-uid">{job.uid}</span>
        <span className="cw-inspector-type">{job.type_title}</span>
        <span className={`cw-status cw-status-${job.status}`}>{statusLabel(job.status)}</span>
        <span className="cw-spacer" />
        <button
          type="button"
          className="cw-icon-button"
          data-testid="inspector-close"
          title="Close (Escape)"
          aria-label="Close the inspector"
          onClick={onClose}
        >
          ×
        </button>
      </header>
      {(ownTitle || job.tags.length > 0) && (
        <div className="cw-inspector-sub">
          {ownTitle && <span className="cw-inspector-title">{job.title}</span>}
          {job.tags.map((tag) => (
            <span key={tag} className="cw-tag">
              {tag}
            </span>
          ))}
        </div>
      )}
      <div className="cw-tabs" role="tablist">
        {tabs.map((each) => (
          <button
            key={each}
            type="button"
            role="tab"
            className="cw-tab"
            data-testid={`inspector-tab-${each}`}
            aria-selected={each === tab}
            onClick={() => onInspect({ job: job.uid, tab: each })}
          >
            {TAB_TITLES[each]}
          </button>
        ))}
      </div>
      <div className="cw-tab-body" role="tabpanel">
        {tab === "inputs" && (
          <InputsSection
            graph={graph}
            job={job}
            editable={editable}
            onPreview={(input) => onInspect({ job: job.uid, tab: "preview", input })}
          />
        )}
        {tab === "params" && (
          <ParamsSection
            key={job.uid}
            client={client}
            job={job.uid}
            revision={graph.revision}
            command={actions.command}
          />
        )}
        {tab === "outputs" && (
          <OutputsSection key={job.uid} job={job} client={client} revision={graph.revision} />
        )}
        {tab === "preview" && (
          <>
            {job.inputs.length > 1 && (
              <div className="cw-preview-inputs">
                <span className="cw-muted">Input</span>
                {job.inputs.map((input) => (
                  <button
                    key={input.name}
                    type="button"
                    className="cw-chip"
                    data-testid={`preview-input-${input.name}`}
                    aria-pressed={input.name === previewed}
                    onClick={() => onInspect({ job: job.uid, tab: "preview", input: input.name })}
                  >
                    {input.name}
                  </button>
                ))}
              </div>
            )}
            {job.inputs.some(
              (i) =>
                i.name === previewed &&
                i.status === "met" &&
                i.slots.some((s) => s.name === "blob"),
            ) && (
              <ParticleTiles
                key={`tiles/${job.uid}/${previewed}`}
                client={client}
                source={{ job: job.uid, side: "input", name: previewed, slot: "blob" }}
                revision={graph.revision}
              />
            )}
            <PreviewSection
              key={`${job.uid}/${previewed}`}
              client={client}
              selection={{ job: job.uid, input: previewed }}
              revision={graph.revision}
            />
          </>
        )}
      </div>
    </aside>
  );
}
