import { describe, expect, it } from "vitest";
import type { Box } from "./routes";
import {
  boundsOf,
  cutBy,
  panTo,
  READABLE_ZOOM,
  readableView,
  showCard,
  VIEW_MARGIN,
  type Viewport,
} from "./views";

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

describe("panTo", () => {
  const card = { x: 2000, y: 100, w: 320, h: 150 };

  it("leaves a card in view where it is", () => {
    expect(panTo({ x: -1900, y: 0, zoom: 1 }, 800, 600, card)).toBeNull();
  });

  it("pans as little as brings the card whole into view, at the same zoom", () => {
    const view = panTo({ x: 0, y: 0, zoom: 0.5 }, 800, 600, card);
    expect(view).toEqual({ x: 800 - VIEW_MARGIN - 1160, y: 0, zoom: 0.5 });
    const above = panTo({ x: -900, y: 0, zoom: 0.5 }, 800, 600, { ...card, y: -1000 });
    expect(above).toEqual({ x: -900, y: VIEW_MARGIN + 500, zoom: 0.5 });
  });

  it("shows the top left of a card larger than the canvas", () => {
    const view = panTo({ x: 0, y: 0, zoom: 2 }, 500, 200, card);
    expect(view).toEqual({ x: VIEW_MARGIN - 4000, y: VIEW_MARGIN - 200, zoom: 2 });
  });
});

describe("cutBy", () => {
  it("finds the cards a line crosses within the part of it in view", () => {
    const cards = rows(3, 6);
    expect(cutBy(cards, "x", 500, 0, 700)).toEqual([cards[1], cards[4]]);
    expect(cutBy(cards, "x", 500, 0, 250)).toEqual([cards[1]]);
    expect(cutBy(cards, "y", 100, 0, 400)).toEqual([cards[0]]);
    expect(cutBy(cards, "y", 250, 0, 2000)).toEqual([]); // between the rows
  });
});

describe("showCard", () => {
  /** The part of the flow a view shows on a canvas of `width` x `height`. */
  const seen = (v: Viewport, width: number, height: number) => ({
    left: -v.x / v.zoom,
    top: -v.y / v.zoom,
    right: (width - v.x) / v.zoom,
    bottom: (height - v.y) / v.zoom,
  });
  const whole = (b: Box, v: Viewport, width: number, height: number) => {
    const s = seen(v, width, height);
    return b.x >= s.left && b.y >= s.top && b.x + b.w <= s.right && b.y + b.h <= s.bottom;
  };
  /** Cards the canvas's right or bottom edge cuts (a card reaching into the view). */
  const cutAtFarEdges = (cards: Box[], v: Viewport, width: number, height: number) => {
    const s = seen(v, width, height);
    const inView = (c: Box) =>
      c.x < s.right && c.x + c.w > s.left && c.y < s.bottom && c.y + c.h > s.top;
    return cards.filter(
      (c) =>
        inView(c) &&
        ((c.x < s.right && c.x + c.w > s.right) || (c.y < s.bottom && c.y + c.h > s.bottom)),
    );
  };

  it("leaves the view alone when the card is in view", () => {
    const cards = rows(3, 9);
    expect(showCard({ x: 30, y: 30, zoom: 1 }, 1400, 900, cards[4] as Box, cards)).toBeNull();
  });

  it("shows the card whole and ends between cards, not across one (a pan close by)", () => {
    // The teaching notebook: a job made far down the project, the canvas 968 x 640.
    const cards = rows(3, 15);
    for (const [index, zoom] of [
      [13, 1],
      [7, 1],
      [12, 0.9],
      [10, 1.1],
    ] as const) {
      const card = cards[index] as Box;
      // The least pan cuts a card; a pan close by does not.
      const least = panTo({ x: 0, y: 0, zoom }, 968, 640, card) as Viewport;
      expect(cutAtFarEdges(cards, least, 968, 640), `J${index}`).not.toEqual([]);
      const view = showCard({ x: 0, y: 0, zoom }, 968, 640, card, cards) as Viewport;
      expect(view.zoom, `J${index}`).toBe(zoom);
      expect(whole(card, view, 968, 640), `J${index}`).toBe(true);
      expect(cutAtFarEdges(cards, view, 968, 640), `J${index}`).toEqual([]);
    }
  });

  it("zooms out a little where no pan ends between cards, never below the readable zoom", () => {
    // A tall card, and a card under it that no view at zoom 1 shows whole or leaves out.
    const tall = { x: 0, y: 0, w: 320, h: 640 };
    const under = { x: 0, y: 650, w: 320, h: 100 };
    const view = showCard({ x: 0, y: 2000, zoom: 1 }, 1000, 700, tall, [tall, under]);
    expect(view).not.toBeNull();
    const { zoom } = view as Viewport;
    expect(zoom).toBeLessThan(1);
    expect(zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(whole(tall, view as Viewport, 1000, 700)).toBe(true);
    expect(whole(under, view as Viewport, 1000, 700)).toBe(true);

    // Too tall to show under it at a readable zoom: the card whole, at the user's zoom.
    const big = { ...under, h: 400 };
    const kept = showCard({ x: 0, y: 2000, zoom: 1 }, 1000, 700, tall, [tall, big]) as Viewport;
    expect(kept.zoom).toBe(1);
    expect(whole(tall, kept, 1000, 700)).toBe(true);
    // Zoomed out further than readable by the user: never zoomed out more.
    const far = showCard({ x: 0, y: 9000, zoom: 0.5 }, 1000, 340, tall, [tall, big]) as Viewport;
    expect(far.zoom).toBe(0.5);
  });
});
