import { type ReactFlowState, useStoreApi } from "@xyflow/react";
import { useEffect, useRef } from "react";
import { DEFAULT_STATUS_COLOR, type JobNode, STATUS_COLORS } from "../flow";

/**
 * Below this zoom the whole canvas is drawn as one picture: a card is a few pixels tall, and
 * thousands of cards and edges as page elements make every frame of a pan or zoom slow.
 */
export const OVERVIEW_ZOOM = 0.2;

/** The class the canvas (`.react-flow`) has while the overview replaces its cards and edges. */
export const OVERVIEW_CLASS = "cw-overview";

const EDGE_COLOR = "rgba(140, 150, 168, 0.55)";

type Store = ReactFlowState<JobNode>;

/**
 * Zoomed out past `OVERVIEW_ZOOM`, every job is drawn as a box in its status colour and every
 * connection as a line on one canvas over the pane, redrawn on each pan and zoom outside
 * React; the cards and edges stay mounted but are neither drawn nor hit (see far.css), so
 * zooming back in shows them at once. The pane under the picture still takes the mouse.
 */
export function Overview() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi<JobNode>();

  useEffect(() => {
    const canvas = canvasRef.current;
    const flow = canvas?.closest(".react-flow");
    if (!canvas || !flow) {
      return;
    }
    let frame = 0;
    const draw = () => {
      frame = 0;
      const state = store.getState();
      const on = state.transform[2] < OVERVIEW_ZOOM && state.nodeLookup.size > 0;
      flow.classList.toggle(OVERVIEW_CLASS, on);
      canvas.hidden = !on;
      if (on) {
        paint(canvas, state);
      }
    };
    const schedule = () => {
      if (frame === 0) {
        frame = requestAnimationFrame(draw);
      }
    };
    draw();
    const unsubscribe = store.subscribe((state, previous) => {
      if (
        state.transform !== previous.transform ||
        state.nodeLookup !== previous.nodeLookup ||
        state.edges !== previous.edges ||
        state.width !== previous.width ||
        state.height !== previous.height
      ) {
        schedule();
      }
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
      flow.classList.remove(OVERVIEW_CLASS);
    };
  }, [store]);

  return <canvas ref={canvasRef} className="cw-overview-canvas" data-testid="overview" hidden />;
}

function paint(canvas: HTMLCanvasElement, state: Store): void {
  const { width, height, transform, nodeLookup, edges } = state;
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const context = canvas.getContext("2d");
  if (!context) {
    return;
  }
  const [tx, ty, zoom] = transform;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  context.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * tx, ratio * ty);

  const box = (id: string) => {
    const node = nodeLookup.get(id);
    if (!node) {
      return null;
    }
    const { x, y } = node.internals.positionAbsolute;
    const w = node.measured.width ?? node.initialWidth ?? 0;
    const h = node.measured.height ?? node.initialHeight ?? 0;
    return { x, y, w, h };
  };

  context.strokeStyle = EDGE_COLOR;
  context.lineWidth = 1.5 / zoom;
  context.beginPath();
  for (const edge of edges) {
    const from = box(edge.source);
    const to = box(edge.target);
    if (from && to) {
      context.moveTo(from.x + from.w, from.y + from.h / 2);
      context.lineTo(to.x, to.y + to.h / 2);
    }
  }
  context.stroke();

  for (const node of nodeLookup.values()) {
    const at = box(node.id);
    if (!at) {
      continue;
    }
    context.fillStyle = STATUS_COLORS[node.data.job.status] ?? DEFAULT_STATUS_COLOR;
    context.globalAlpha = node.selected ? 1 : 0.75;
    context.fillRect(at.x, at.y, at.w, at.h);
  }
  context.globalAlpha = 1;
}
