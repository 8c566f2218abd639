import { copyText } from "../dom";

export type Handoff =
  | { state: "loading"; jobs: string[] }
  | { state: "error"; jobs: string[]; error: string }
  | { state: "ok"; jobs: string[]; script: string };

interface Props {
  handoff: Handoff;
  onCopied: (message: string) => void;
  onError: (message: string) => void;
  onClose: () => void;
}

/** Side panel: the cryosparc-tools script that builds the selected jobs in CryoSPARC. */
export function HandoffPanel({ handoff, onCopied, onError, onClose }: Props) {
  const copy = () => {
    if (handoff.state === "ok") {
      copyText(handoff.script).then(
        () => onCopied("Copied the script"),
        (error: Error) => onError(`Could not copy the script: ${error.message}`),
      );
    }
  };
  return (
    <aside
      className="cw-preview cw-handoff"
      data-testid="handoff-panel"
      aria-label="Send to CryoSPARC"
    >
      <div className="cw-preview-head">
        <span className="cw-uid">Send to CryoSPARC</span>
        <span className="cw-muted">{handoff.jobs.join(", ")}</span>
        <span className="cw-spacer" />
        {handoff.state === "ok" && (
          <button type="button" className="cw-button" data-testid="copy-script" onClick={copy}>
            Copy
          </button>
        )}
        <button type="button" className="cw-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {handoff.state === "loading" && <div className="cw-muted">Planning…</div>}
      {handoff.state === "error" && (
        <div className="cw-handoff-error" data-testid="handoff-error">
          {handoff.error}
        </div>
      )}
      {handoff.state === "ok" && (
        <>
          <p className="cw-muted">
            Run it with cryosparc-tools 5 where CryoSPARC is reachable (checked against
            cryosparc-tools&apos; interfaces, not a live CryoSPARC).
          </p>
          <pre className="cw-handoff-script" data-testid="handoff-script">
            {handoff.script}
          </pre>
        </>
      )}
    </aside>
  );
}
