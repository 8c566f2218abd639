import { describe, expect, it } from "vitest";
import { labelSize, labelSpot } from "./edgeLabels";
import { type Box, CardIndex, type Route } from "./routes";

const card = (x: number, y: number, h = 150): Box => ({ x, y, w: 320, h });

/** The label's box, centred on the spot. */
function labelBox(spot: { x: number; y: number }, text: string): Box {
  const [w, h] = labelSize(text);
  return { x: spot.x - w / 2, y: spot.y - h / 2, w, h };
}

const meets = (a: Box, b: Box) =>
  Math.min(a.x + a.w, b.x + b.w) > Math.max(a.x, b.x) &&
  Math.min(a.y + a.h, b.y + b.h) > Math.max(a.y, b.y);

describe("labelSize", () => {
  it("grows with the text, about 6 px a character, plus the background's padding", () => {
    const [w, h] = labelSize("blob override");
    expect(w).toBeGreaterThan(13 * 6 + 4);
    expect(w).toBeLessThan(13 * 7 + 4);
    expect(h).toBeGreaterThanOrEqual(20);
    expect(labelSize("map_half_B override")[0]).toBeGreaterThan(w);
  });
});

describe("labelSpot", () => {
  it("is the middle of the route when the whole route is clear", () => {
    const route: Route = [
      [0, 500],
      [400, 500],
    ];
    const spot = labelSpot(route, labelSize("blob override"), new CardIndex([card(0, 0)]));
    expect(spot).toEqual({ x: 200, y: 500, clear: true });
  });

  it("moves off a card's side onto the stretch of the route clear of cards", () => {
    // The teaching notebook's "blob override": down the gap between two columns of cards, 20 px
    // from the right-hand column, into J13's handle. The middle of the route (and of its longest
    // segment) is beside a card of that column, which would cut the label.
    const cards = [card(0, 0), card(410, 0), card(0, 300), card(410, 300), card(410, 600)];
    const route: Route = [
      [320, 60],
      [390, 60],
      [390, 520],
      [390, 560],
      [410, 560],
    ];
    const text = "blob override";
    const spot = labelSpot(route, labelSize(text), new CardIndex(cards));
    expect(spot.clear).toBe(true);
    for (const box of cards) {
      expect(meets(labelBox(spot, text), box), JSON.stringify(box)).toBe(false);
    }
    // On the route, beside a gap between the right-hand column's cards (y 150 to 300, 450 to 600).
    expect(spot.x).toBe(390);
    expect((spot.y > 150 && spot.y < 300) || (spot.y > 450 && spot.y < 600)).toBe(true);
  });

  it("takes the longest clear stretch, in its middle", () => {
    // Clear from x 0 to 200 (a short stretch) and from 620 to 1400 (the longest).
    const cards = [card(300, 480), card(1500, 480)];
    const route: Route = [
      [0, 500],
      [1400, 500],
    ];
    const text = "half_B override";
    const spot = labelSpot(route, labelSize(text), new CardIndex(cards));
    expect(spot.clear).toBe(true);
    const [w] = labelSize(text);
    const [from, to] = [620 + w / 2, 1400];
    expect(Math.abs(spot.x - (from + to) / 2)).toBeLessThan(8);
    for (const box of cards) expect(meets(labelBox(spot, text), box)).toBe(false);
  });

  it("goes beside the route, as near as it can, where no place on the route is clear", () => {
    // The teaching notebook after Auto-layout: J12 -> J14 across a 90 px gap, narrower than the
    // label; the column of J14 has no card above it.
    const j13 = card(0, -200, 180);
    const j12 = card(0, 0);
    const j14 = card(410, 0);
    const j11 = card(410, 170);
    const cards = [j13, j12, j14, j11];
    const route: Route = [
      [320, 64],
      [365, 64],
      [365, 70],
      [410, 70],
    ];
    const text = "map_half_B override";
    const spot = labelSpot(route, labelSize(text), new CardIndex(cards));
    expect(spot.clear).toBe(true);
    for (const box of cards) expect(meets(labelBox(spot, text), box)).toBe(false);
    // Above J14, beside the route's end: less than 96 px from it.
    expect(spot.y).toBeLessThan(0);
    expect(Math.hypot(spot.x - 365, spot.y - 64)).toBeLessThanOrEqual(96);
  });

  it("covers as little of the cards as it can where no place near is clear, and says so", () => {
    // A route in a 40 px gap between columns of cards 10 px apart: nowhere is clear.
    const cards: Box[] = [];
    for (let row = -5; row < 5; row++) {
      for (const x of [-320, 40, 400]) cards.push({ x, y: row * 110, w: 320, h: 100 });
    }
    const route: Route = [
      [0, 20],
      [20, 20],
      [20, 260],
      [40, 260],
    ];
    const text = "map_half_B override";
    const spot = labelSpot(route, labelSize(text), new CardIndex(cards));
    expect(spot.clear).toBe(false);
    // On the route, beside a 10 px gap between two rows: the least covered.
    expect(spot.x).toBe(20);
    expect(spot.y % 110).toBeGreaterThanOrEqual(95);
  });
});
