import { Panel, useReactFlow, useStoreApi } from "@xyflow/react";
import { type PointerEvent, useEffect, useRef } from "react";
import type { JobNode } from "../flow";
import { allCards, paintJobs, prepare, redrawOnChange, viewBox } from "./paintJobs";

const WIDTH = 180;
const HEIGHT = 110;
const PAD = 6;
const VIEW_COLOR = "#2d7ff9";

/** Flow coordinates to the map's pixels, as last drawn. */
interface Mapping {
  scale: number;
  x: number;
  y: number;
}

/** Whether the map would show the same boxes for both sets of nodes (an edit that moved,
 * sized, selected or changed the status of none of them draws the same map). */
export function looksSame(a: readonly JobNode[], b: readonly JobNode[]): boolean {
  return (
    a.length === b.length &&
    a.every((m, i) => {
      const n = b[i];
      return (
        m === n ||
        (n !== undefined &&
          m.id === n.id &&
          m.position.x === n.position.x &&
          m.position.y === n.position.y &&
          m.measured?.width === n.measured?.width &&
          m.measured?.height === n.measured?.height &&
          Boolean(m.selected) === Boolean(n.selected) &&
          m.data.job.status === n.data.job.status)
      );
    })
  );
}

/** Call `run` when the page is next idle (soon after, at the latest); a handle to cancel. */
function whenIdle(run: () => void): number {
  return window.requestIdleCallback
    ? window.requestIdleCallback(run, { timeout: 300 })
    : window.setTimeout(run, 50);
}

function cancelIdle(handle: number): void {
  if (handle !== 0) {
    if (window.cancelIdleCallback) window.cancelIdleCallback(handle);
    else window.clearTimeout(handle);
  }
}

/**
 * The whole project in the corner: every job a box in its status colour, the part in view
 * outlined. Click or drag on it to move the view there. Drawn on one canvas (paintJobs.ts),
 * redrawn outside React, so it costs the same with 20 or 2,000 jobs.
 */
export function JobMiniMap() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const mapping = useRef<Mapping | null>(null);
  const paintNow = useRef(() => {});
  const store = useStoreApi<JobNode>();
  const reactFlow = useReactFlow<JobNode>();

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) {
      return;
    }
    // The jobs are painted once per look of the nodes and kept as a picture: a pan or zoom
    // only moves the outline of the view over it (thousands of boxes each frame cost a few
    // ms). The picture is painted when the page is idle: not in the frame that draws the first
    // view or an edit.
    const jobs = document.createElement("canvas");
    let painted: readonly JobNode[] | null = null;
    let waiting = 0;
    const paint = () => {
      waiting = 0;
      const state = store.getState();
      const picture = prepare(jobs, WIDTH, HEIGHT);
      const cards = allCards(state);
      mapping.current = null;
      if (picture && cards) {
        const scale = Math.min(
          (WIDTH - 2 * PAD) / Math.max(cards.w, 1),
          (HEIGHT - 2 * PAD) / Math.max(cards.h, 1),
        );
        const x = PAD + (WIDTH - 2 * PAD - cards.w * scale) / 2 - cards.x * scale;
        const y = PAD + (HEIGHT - 2 * PAD - cards.h * scale) / 2 - cards.y * scale;
        mapping.current = { scale, x, y };
        const ratio = window.devicePixelRatio || 1;
        picture.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * x, ratio * y);
        paintJobs(picture, state, { edges: null, lineWidth: 1 });
      }
      painted = state.nodes;
      redraw();
    };
    // A click on the map before the page was idle paints it at once.
    paintNow.current = () => {
      if (waiting !== 0) {
        cancelIdle(waiting);
        paint();
      }
    };
    const { stop, redraw } = redrawOnChange(store, (state) => {
      const context = prepare(canvas, WIDTH, HEIGHT);
      if (painted !== state.nodes && waiting === 0) {
        if (painted !== null && looksSame(painted, state.nodes)) {
          painted = state.nodes;
        } else {
          waiting = whenIdle(paint);
        }
      }
      const map = mapping.current;
      if (!context || !map) {
        return;
      }
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.drawImage(jobs, 0, 0);
      const { scale, x, y } = map;
      const ratio = window.devicePixelRatio || 1;
      context.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * x, ratio * y);
      const view = viewBox(state);
      context.strokeStyle = VIEW_COLOR;
      context.lineWidth = 1.5 / scale;
      context.strokeRect(view.x, view.y, view.w, view.h);
    });
    return () => {
      stop();
      cancelIdle(waiting);
    };
  }, [store]);

  /** Centre the view on the project point under the pointer, at the same zoom. */
  const moveTo = (event: PointerEvent<HTMLCanvasElement>) => {
    paintNow.current();
    const map = mapping.current;
    if (!map) {
      return;
    }
    const rect = event.currentTarget.getBoundingClientRect();
    const fx = (event.clientX - rect.left - map.x) / map.scale;
    const fy = (event.clientY - rect.top - map.y) / map.scale;
    const { width, height, transform } = store.getState();
    const zoom = transform[2];
    void reactFlow.setViewport({ x: width / 2 - fx * zoom, y: height / 2 - fy * zoom, zoom });
  };

  return (
    <Panel position="bottom-right" className="cw-minimap-panel">
      <canvas
        ref={canvasRef}
        className="cw-minimap nodrag nopan nowheel"
        data-testid="minimap"
        aria-label="Map of the whole project: click or drag to move the view"
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          moveTo(event);
        }}
        onPointerMove={(event) => {
          if (event.currentTarget.hasPointerCapture(event.pointerId)) {
            moveTo(event);
          }
        }}
        onPointerUp={(event) => event.currentTarget.releasePointerCapture(event.pointerId)}
      />
    </Panel>
  );
}
