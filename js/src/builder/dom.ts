import { useEffect, useState } from "react";

/** Put text on the clipboard; falls back to a hidden text box where the Clipboard API is absent. */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Not allowed here (no focus, or not a secure context): try the old way below.
    }
  }
  const box = document.createElement("textarea");
  box.value = text;
  box.setAttribute("readonly", "");
  box.style.position = "fixed";
  box.style.opacity = "0";
  document.body.appendChild(box);
  box.select();
  const copied = document.execCommand("copy");
  box.remove();
  if (!copied) {
    throw new Error("the browser did not allow copying");
  }
}

/** Save bytes (the parts of a file, in order) as a file, through a temporary <a download>. */
export function saveBytes(filename: string, parts: Uint8Array[]): void {
  const url = URL.createObjectURL(
    new Blob(parts as BlobPart[], { type: "application/octet-stream" }),
  );
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.style.display = "none";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function jupyterDark(): boolean {
  return typeof document !== "undefined" && document.body?.dataset.jpThemeLight === "false";
}

/** Whether JupyterLab shows a dark theme (it marks <body data-jp-theme-light="false">). */
export function useJupyterDark(): boolean {
  const [dark, setDark] = useState(jupyterDark);
  useEffect(() => {
    const observer = new MutationObserver(() => setDark(jupyterDark()));
    observer.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light"] });
    return () => observer.disconnect();
  }, []);
  return dark;
}

/** React Flow's code for an edge whose handle its card has not been measured with yet. */
const EDGE_HANDLE_MISSING = "008";

/**
 * React Flow's error, on the console. An edge that arrives with the connection that draws its
 * slot's handle is missed for the frames until React Flow measures that handle again (Port.tsx):
 * such an error is reported only if the edge is still not drawn two frames later.
 */
export function reportFlowError(root: Element | null, code: string, message: string): void {
  const edge = /edge id: (.+?)\.?$/.exec(message)?.[1];
  if (code !== EDGE_HANDLE_MISSING || !root || edge === undefined) {
    console.error(`React Flow ${code}: ${message}`);
    return;
  }
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      if (!root.querySelector(`[data-testid="rf__edge-${CSS.escape(edge)}"]`)) {
        console.error(`React Flow ${code}: ${message}`);
      }
    }),
  );
}
