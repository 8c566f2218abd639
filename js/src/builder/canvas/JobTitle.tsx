import { type KeyboardEvent, useState } from "react";

interface Props {
  uid: string;
  title: string;
  editable: boolean;
  onRename: (title: string) => void;
}

/** The user's title of a job; a click turns it into a text box (Enter keeps, Escape cancels). */
export function JobTitle({ uid, title, editable, onRename }: Props) {
  const [draft, setDraft] = useState<string | null>(null);

  if (draft === null) {
    const text = title || (editable ? "Add a title" : "");
    if (!editable) {
      return text ? (
        <div className="cw-title" data-testid={`title-${uid}`}>
          {text}
        </div>
      ) : null;
    }
    return (
      <button
        type="button"
        className={`cw-title cw-title-button nodrag${title ? "" : " cw-title-empty"}`}
        data-testid={`title-${uid}`}
        title="Rename"
        onClick={() => setDraft(title)}
      >
        {text}
      </button>
    );
  }

  const commit = () => {
    const next = draft.trim();
    setDraft(null);
    if (next !== title) {
      onRename(next);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      commit();
    } else if (event.key === "Escape") {
      setDraft(null);
    }
  };
  return (
    <input
      className="cw-title-input nodrag"
      data-testid={`title-input-${uid}`}
      aria-label={`Title of ${uid}`}
      // biome-ignore lint/a11y/noAutofocus: the box appears because the user asked to edit it
      autoFocus
      value={draft}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={commit}
      onKeyDown={onKeyDown}
    />
  );
}
