import type { JobEdge } from "../flow";
import type { Box } from "../routes";
import { allCards, covers, type FlowState, paintJobs, viewBox } from "./paintJobs";

/** The largest picture kept, in pixels a side and in all (a few tens of MB at most). */
const MOST_SIDE = 4096;
const MOST_PIXELS = 8_000_000;

/** What a picture shows: the part of the canvas (flow coordinates), the zoom it was painted
 * at, and the cards and edges it holds. */
interface Painted {
  area: Box;
  /** The area holds every card: the picture serves any view at its zoom. */
  whole: boolean;
  zoom: number;
  nodes: unknown;
  edges: readonly JobEdge[];
}

/**
 * The overview as a picture painted once and reused while the view moves over it: thousands of
 * edges stroked across the canvas cost tens of milliseconds, a frame or two each time, where
 * moving a picture costs one. The picture covers the whole project when that fits in
 * `MOST_SIDE`, else the view and half a view on every side. A pan within it only moves it; a
 * zoom stretches it (`draw` answers "stale": paint it again once the zoom stops, with
 * `paint`); cards or edges that change, or a view outside it, paint it again at once.
 *
 * >>> const picture = new OverviewPicture();
 * >>> picture.draw(context, state, edges)   // "sharp" or "stale"
 */
export class OverviewPicture {
  private readonly canvas = document.createElement("canvas");
  private painted: Painted | null = null;

  /** Draw the overview on `context` (sized to the view, untransformed), from the picture. */
  draw(
    context: CanvasRenderingContext2D,
    state: FlowState,
    edges: readonly JobEdge[],
  ): "sharp" | "stale" {
    const [tx, ty, zoom] = state.transform;
    const view = viewBox(state);
    const painted = this.painted;
    const usable =
      painted !== null &&
      painted.nodes === state.nodes &&
      painted.edges === edges &&
      painted.zoom <= 2 * zoom &&
      painted.zoom >= zoom / 2 &&
      (painted.whole || covers(painted.area, view));
    if (!usable) {
      this.paint(state, edges);
    }
    const shown = this.painted;
    if (shown === null) {
      return "sharp"; // an empty canvas
    }
    const ratio = window.devicePixelRatio || 1;
    context.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * tx, ratio * ty);
    const { area } = shown;
    context.drawImage(this.canvas, area.x, area.y, area.w, area.h);
    return shown.zoom === zoom ? "sharp" : "stale";
  }

  /** Let the picture go (the overview left): its memory back, painted again when shown. */
  clear(): void {
    this.painted = null;
    this.canvas.width = 0;
    this.canvas.height = 0;
  }

  /** Paint the picture for the view `state` shows now. */
  paint(state: FlowState, edges: readonly JobEdge[]): void {
    const zoom = state.transform[2];
    const ratio = window.devicePixelRatio || 1;
    const view = viewBox(state);
    const project = allCards(state);
    if (project === null || state.width === 0 || state.height === 0) {
      this.painted = null;
      return;
    }
    const scale = zoom * ratio;
    const whole = grow(project, 8 / zoom);
    const fits =
      whole.w * scale <= MOST_SIDE &&
      whole.h * scale <= MOST_SIDE &&
      whole.w * whole.h * scale * scale <= MOST_PIXELS;
    const area = fits ? whole : around(view, scale);
    this.canvas.width = Math.max(1, Math.ceil(area.w * scale));
    this.canvas.height = Math.max(1, Math.ceil(area.h * scale));
    const context = this.canvas.getContext("2d");
    if (context === null) {
      this.painted = null;
      return;
    }
    context.setTransform(scale, 0, 0, scale, -area.x * scale, -area.y * scale);
    paintJobs(context, state, { edges, lineWidth: 1 / zoom });
    this.painted = { area, whole: fits, zoom, nodes: state.nodes, edges };
  }
}

function grow(box: Box, by: number): Box {
  return { x: box.x - by, y: box.y - by, w: box.w + 2 * by, h: box.h + 2 * by };
}

/** The view and half a view on every side, or less where that would exceed the largest
 * picture at `scale` pixels per unit. */
function around(view: Box, scale: number): Box {
  const most = Math.min(MOST_SIDE / scale, Math.sqrt(MOST_PIXELS) / scale);
  const w = Math.min(2 * view.w, Math.max(view.w, most));
  const h = Math.min(2 * view.h, Math.max(view.h, most));
  return { x: view.x - (w - view.w) / 2, y: view.y - (h - view.h) / 2, w, h };
}
