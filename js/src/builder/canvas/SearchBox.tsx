import type { KeyboardEvent } from "react";

interface Props {
  testId: string;
  placeholder: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
  onBlur?: () => void;
}

/** The search box of a list that opens to be typed into (the palette, the job search). */
export function SearchBox({
  testId,
  placeholder,
  label,
  value,
  onChange,
  onKeyDown,
  onBlur,
}: Props) {
  return (
    <input
      className="cw-palette-search"
      data-testid={testId}
      type="search"
      placeholder={placeholder}
      aria-label={label}
      // biome-ignore lint/a11y/noAutofocus: the list opens to be typed into
      autoFocus
      value={value}
      onChange={(event) => onChange(event.target.value)}
      onKeyDown={onKeyDown}
      onBlur={onBlur}
    />
  );
}
