import { copyText } from "../dom";

interface Props {
  /** The `code_lines` trait: each canvas edit as its line of Python, oldest first. */
  lines: readonly string[];
  onCopied: (message: string) => void;
  onError: (message: string) => void;
  onClose: () => void;
}

/**
 * Side panel: every edit made on the canvas as the line of Python that makes it through the
 * public API (moves aside), each with its own copy button, and all of them at once. Python
 * writes the lines (widget/builder_code.py); `builder.code()` returns the same list.
 */
export function CodePanel({ lines, onCopied, onError, onClose }: Props) {
  const copy = (text: string, what: string) =>
    copyText(text).then(
      () => onCopied(`Copied ${what}`),
      (error: Error) => onError(`Could not copy ${what}: ${error.message}`),
    );
  return (
    <aside className="cw-preview cw-code" data-testid="code-panel" aria-label="Edits as code">
      <div className="cw-preview-head">
        <span className="cw-uid">Edits as code</span>
        <span className="cw-muted">{lines.length === 1 ? "1 line" : `${lines.length} lines`}</span>
        <span className="cw-spacer" />
        <button
          type="button"
          className="cw-button"
          data-testid="copy-all-code"
          disabled={lines.length === 0}
          onClick={() => copy(lines.join("\n"), "every line")}
        >
          Copy all
        </button>
        <button type="button" className="cw-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <p className="cw-muted">
        Each edit made on the canvas, as Python (moves aside). Run in order on the project as it was
        before, the lines make the same edits; <code>builder.code()</code> returns them.
      </p>
      {lines.length === 0 ? (
        <div className="cw-muted">No edits yet.</div>
      ) : (
        <ol className="cw-code-lines">
          {lines.map((line, index) => (
            // Lines are only ever appended: the index is the line's identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={index} className="cw-code-line" data-testid={`code-line-${index}`}>
              <code>{line}</code>
              <button
                type="button"
                className="cw-link-button"
                data-testid={`copy-code-${index}`}
                title="Copy this line"
                aria-label={`Copy line ${index + 1}`}
                onClick={() => copy(line, `line ${index + 1}`)}
              >
                copy
              </button>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
