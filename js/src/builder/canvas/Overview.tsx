import { useStoreApi } from "@xyflow/react";
import { useEffect, useRef } from "react";
import type { JobNode } from "../flow";
import { paintJobs, prepare, redrawOnChange } from "./paintJobs";

/**
 * Below this zoom the whole canvas is drawn as one picture: a card is a few pixels tall, and
 * thousands of cards and edges as page elements make every frame of a pan or zoom slow.
 */
export const OVERVIEW_ZOOM = 0.2;

/** The class the canvas (`.react-flow`) has while the overview replaces its cards and edges. */
export const OVERVIEW_CLASS = "cw-overview";

/**
 * Zoomed out past `OVERVIEW_ZOOM`, every job is drawn as a box in its status colour and every
 * connection as a line on one canvas over the pane, redrawn on each pan and zoom outside
 * React; the cards and edges stay mounted but are not laid out (see far.css), so zooming back
 * in shows them at once. The pane under the picture still takes the mouse.
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
    const stop = redrawOnChange(store, (state) => {
      const on = state.transform[2] < OVERVIEW_ZOOM && state.nodeLookup.size > 0;
      flow.classList.toggle(OVERVIEW_CLASS, on);
      canvas.hidden = !on;
      const context = on ? prepare(canvas, state.width, state.height) : null;
      if (context) {
        const [tx, ty, zoom] = state.transform;
        const ratio = window.devicePixelRatio || 1;
        context.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * tx, ratio * ty);
        paintJobs(context, state, { edges: true, lineWidth: 1.5 / zoom });
      }
    });
    return () => {
      stop();
      flow.classList.remove(OVERVIEW_CLASS);
    };
  }, [store]);

  return <canvas ref={canvasRef} className="cw-overview-canvas" data-testid="overview" hidden />;
}
