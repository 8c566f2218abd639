export interface NoticeState {
  error: string | null;
  info: string | null;
}

/** The canvas's banner for refusals and failures, and a quieter one for what was done. */
export function Notices({ notices, onClose }: { notices: NoticeState; onClose: () => void }) {
  return (
    <>
      <div className="cw-notices">
        {notices.error !== null && (
          <div className="cw-error" role="alert" data-testid="canvas-error">
            <span className="cw-error-text">{notices.error}</span>
            <button
              type="button"
              className="cw-icon-button"
              data-testid="canvas-error-close"
              aria-label="Dismiss"
              onClick={onClose}
            >
              ×
            </button>
          </div>
        )}
      </div>
      {notices.error === null && notices.info !== null && (
        <div className="cw-notices cw-notices-bottom">
          <output className="cw-info" data-testid="canvas-notice">
            {notices.info}
          </output>
        </div>
      )}
    </>
  );
}
