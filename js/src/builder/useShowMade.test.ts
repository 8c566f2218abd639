import { describe, expect, it } from "vitest";
import { panTo } from "./useShowMade";
import { VIEW_MARGIN } from "./views";

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
