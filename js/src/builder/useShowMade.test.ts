import { describe, expect, it } from "vitest";
import { followShown, type Shown } from "./useShowMade";

describe("followShown", () => {
  const shown: Shown = {
    uid: "J14",
    box: { x: 2000, y: 100, w: 320, h: 150 },
    view: { x: -1500, y: 0, zoom: 1 },
    moving: false,
  };
  const moved = { ...shown.box, x: 1200, y: 900 };

  it("follows the job shown when the next edit moves it, the view still where it was put", () => {
    expect(followShown(shown, moved, shown.view, false)).toBe(true);
    expect(followShown(shown, { ...shown.box, h: 250 }, shown.view, false)).toBe(true);
    // Still panning there: the view is on its way.
    expect(followShown({ ...shown, moving: true }, moved, { x: -700, y: 0, zoom: 1 }, false)).toBe(
      true,
    );
  });

  it("does not when the job stayed, is gone, others moved too, or the user moved the view", () => {
    expect(followShown(shown, { ...shown.box }, shown.view, false)).toBe(false);
    expect(followShown(shown, undefined, shown.view, false)).toBe(false);
    expect(followShown(null, moved, shown.view, false)).toBe(false);
    expect(followShown(shown, moved, shown.view, true)).toBe(false); // a layout
    expect(followShown(shown, moved, { ...shown.view, x: -1400 }, false)).toBe(false);
    expect(followShown(shown, moved, { ...shown.view, zoom: 0.9 }, false)).toBe(false);
  });
});
