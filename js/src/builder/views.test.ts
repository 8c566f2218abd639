import { describe, expect, it } from "vitest";
import type { Box } from "./routes";
import { boundsOf, READABLE_ZOOM, readableView, VIEW_MARGIN } from "./views";

/** Rows of cards 320 wide, 90 apart, as the layout makes them. */
function rows(columns: number, count: number): Box[] {
  return Array.from({ length: count }, (_, i) => ({
    x: (i % columns) * 410,
    y: Math.floor(i / columns) * 300,
    w: 320,
    h: 200,
  }));
}

describe("readableView", () => {
  it("starts at the project's top left, readable", () => {
    const cards = rows(3, 12);
    const view = readableView(cards, boundsOf(cards) as Box, 2000, 700);
    expect(view).toEqual({ x: VIEW_MARGIN, y: VIEW_MARGIN, zoom: READABLE_ZOOM });
  });

  it("ends between cards, never across one, at the canvas's right edge", () => {
    const cards = rows(4, 12);
    for (const width of [700, 900, 1100, 1300]) {
      const view = readableView(cards, boundsOf(cards) as Box, width, 700);
      expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
      const right = (width - view.x) / view.zoom; // the canvas's right edge, in the flow
      const bottom = (700 - view.y) / view.zoom;
      const cut = cards.filter((c) => c.y < bottom && c.x < right && c.x + c.w > right);
      expect(cut, `${width} px`).toEqual([]);
      // At least one whole card in view.
      expect(cards.some((c) => c.x + c.w <= right)).toBe(true);
    }
  });

  it("stays readable when a single card is wider than the canvas", () => {
    const cards = [{ x: 0, y: 0, w: 2000, h: 200 }];
    expect(readableView(cards, cards[0] as Box, 800, 600).zoom).toBe(READABLE_ZOOM);
  });
});

describe("boundsOf", () => {
  it("takes boxes and points", () => {
    expect(boundsOf([{ x: 0, y: 0, w: 10, h: 10 }], [[-5, 20]])).toEqual({
      x: -5,
      y: 0,
      w: 15,
      h: 20,
    });
    expect(boundsOf([])).toBeNull();
  });
});
