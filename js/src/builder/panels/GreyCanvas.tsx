import { useEffect, useRef } from "react";
import { greyToRgba } from "../pictures";

interface Props {
  /** `width * height` grey values, row after row. */
  pixels: Uint8Array;
  width: number;
  height: number;
  /** Shown this many CSS pixels wide (height in proportion); the picture's own by default. */
  display?: number;
  className?: string;
  testId?: string;
  label: string;
}

/** A uint8 grey picture drawn on a `<canvas>` at its own pixel size, scaled by CSS. */
export function GreyCanvas({ pixels, width, height, display, className, testId, label }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext("2d");
    if (!context || width === 0 || height === 0) return;
    context.putImageData(new ImageData(greyToRgba(pixels, width, height), width, height), 0, 0);
  }, [pixels, width, height]);
  const shown = display ?? width;
  return (
    <canvas
      ref={ref}
      className={className ?? "cw-grey"}
      data-testid={testId}
      data-size={`${height}x${width}`}
      width={width}
      height={height}
      style={{ width: shown, height: (shown * height) / Math.max(1, width) }}
      role="img"
      aria-label={label}
    />
  );
}
