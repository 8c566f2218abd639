import type { ReactNode } from "react";

interface Props {
  /** `<testId>-prev`, `<testId>-page` and `<testId>-next` name the pager's parts. */
  testId: string;
  /** The first item shown, and how many a step moves. */
  offset: number;
  step: number;
  total: number;
  onMove: (offset: number) => void;
  /** What is shown between the buttons ("1–48 of 1,000"), and its tooltip. */
  children: ReactNode;
  title?: string;
  previous?: string;
  next?: string;
}

/** Previous and next buttons around a line saying what is shown: rows, tiles, exposures. */
export function Pager({
  testId,
  offset,
  step,
  total,
  onMove,
  children,
  title,
  previous = "‹",
  next = "›",
}: Props) {
  return (
    <div className="cw-pager">
      <button
        type="button"
        className="cw-button"
        data-testid={`${testId}-prev`}
        disabled={offset === 0}
        onClick={() => onMove(Math.max(0, offset - step))}
      >
        {previous}
      </button>
      <span className="cw-muted" data-testid={`${testId}-page`} title={title}>
        {children}
      </span>
      <button
        type="button"
        className="cw-button"
        data-testid={`${testId}-next`}
        disabled={offset + step >= total}
        onClick={() => onMove(offset + step)}
      >
        {next}
      </button>
    </div>
  );
}
