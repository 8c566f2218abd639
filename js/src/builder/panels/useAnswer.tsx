import { type DependencyList, useEffect, useState } from "react";
import type { Answer, ReplyFor, RequestBody, RequestClient } from "../client";

/** What a request has answered so far: nothing yet, its refusal, or its reply and buffers. */
export type Loaded<R> =
  | { state: "loading" }
  | { state: "error"; error: string }
  | ({ state: "ok" } & Answer<R>);

/** A reply's buffer `index`, or an empty one when Python sent fewer. */
export function bufferAt(buffers: readonly DataView[], index: number): DataView {
  return buffers[index] ?? new DataView(new ArrayBuffer(0));
}

/**
 * Ask `client` for `body` again whenever `deps` change: the request's own fields, and
 * anything else that makes the same request answer differently (the graph's revision). The
 * last answer stays shown until the next arrives; one that arrives after a newer request
 * was sent is dropped.
 */
export function useAnswer<B extends RequestBody>(
  client: RequestClient,
  body: B,
  deps: DependencyList,
): Loaded<ReplyFor[B["type"]]> {
  const [loaded, setLoaded] = useState<Loaded<ReplyFor[B["type"]]>>({ state: "loading" });
  // biome-ignore lint/correctness/useExhaustiveDependencies: deps name what the body holds
  useEffect(() => {
    let live = true;
    client.request(body).then(
      (answer) => live && setLoaded({ state: "ok", ...answer }),
      (error: Error) => live && setLoaded({ state: "error", error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [client, ...deps]);
  return loaded;
}

/** The line shown in place of a picture while it is read, or why it cannot be. */
export function NotYet({
  loaded,
  reading,
  testId,
}: {
  loaded: { state: "loading" } | { state: "error"; error: string };
  reading: string;
  testId: string;
}) {
  if (loaded.state === "loading") return <div className="cw-muted">{reading}</div>;
  return (
    <div className="cw-preview-error" data-testid={testId}>
      {loaded.error}
    </div>
  );
}
