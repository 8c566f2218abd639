import { dragLabel } from "./format";
import type {
  ClassGalleryReply,
  CommandReply,
  CompatibilityReply,
  DownloadReply,
  GraphReply,
  HandoffReply,
  LayoutEngineReply,
  MicrographReply,
  ParamsReply,
  PreviewReply,
  Reply,
  Request,
  RowsReply,
  TilesReply,
  VolumeSlicesReply,
  WorkflowReply,
} from "./protocol";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A request before the client gives it an id. */
export type RequestBody = DistributiveOmit<Request, "id">;

export interface ReplyFor {
  command: CommandReply;
  compatibility: CompatibilityReply;
  preview: PreviewReply;
  rows: RowsReply;
  download: DownloadReply;
  graph: GraphReply;
  handoff: HandoffReply;
  workflow: WorkflowReply;
  layout_engine: LayoutEngineReply;
  params: ParamsReply;
  tiles: TilesReply;
  class_gallery: ClassGalleryReply;
  volume_slices: VolumeSlicesReply;
  micrograph: MicrographReply;
}

export interface Answer<R> {
  reply: R;
  buffers: DataView[];
}

/** Buffers as hosts deliver them: DataViews (JupyterLab) or ArrayBuffers (some other hosts). */
export type RawBuffers = ReadonlyArray<DataView | ArrayBuffer | ArrayBufferView> | null | undefined;

type MessageHandler = (msg: unknown, buffers?: RawBuffers) => void;

/** The part of anywidget's model the client uses. */
export interface MessageChannel {
  send(content: unknown): void;
  on(event: "msg:custom", handler: MessageHandler): void;
  off(event: "msg:custom", handler: MessageHandler): void;
}

/** A request that Python refused, or that got no reply in time. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly request: RequestBody,
    readonly timedOut = false,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

export interface ClientOptions {
  /** Milliseconds to wait for a reply before failing the request. */
  timeoutMs?: number;
  /** First id; by default random, so two views of one widget never share ids. */
  firstId?: number;
}

export interface RequestClient {
  request<B extends RequestBody>(body: B): Promise<Answer<ReplyFor[B["type"]]>>;
  /** Start listening for replies; returns the function that stops listening. */
  connect(): () => void;
}

export const DEFAULT_TIMEOUT_MS = 60_000;

export function toDataViews(buffers: RawBuffers): DataView[] {
  return (buffers ?? []).map((b) =>
    b instanceof DataView
      ? b
      : ArrayBuffer.isView(b)
        ? new DataView(b.buffer, b.byteOffset, b.byteLength)
        : new DataView(b),
  );
}

/** "preview of J5.particles": what a request asked for, in error messages. */
export function describeRequest(body: RequestBody): string {
  switch (body.type) {
    case "command":
      return `command ${body.command.op}`;
    case "compatibility":
      return "the drop targets of this drag";
    case "preview":
      return `preview of ${body.job}.${body.input}`;
    case "rows":
      return `rows of ${body.job}.${body.input}`;
    case "download":
      return `download of ${dragLabel({ ...body, kind: "result" })}`;
    case "params":
      return `the parameters of ${body.job}`;
    case "graph":
      return "the whole graph";
    case "handoff":
      return `the CryoSPARC script of ${body.jobs.join(", ")}`;
    case "workflow":
      return `the workflow of ${body.jobs.join(", ")}`;
    case "layout_engine":
      return "the layout engine";
    case "tiles":
      return `the images of ${body.job}.${body.name}`;
    case "class_gallery":
      return `the class averages of ${body.job}.${body.output}`;
    case "volume_slices":
      return `the slices of ${body.job}.${body.output}`;
    case "micrograph":
      return `micrograph ${body.index} of ${body.job}.${body.output}`;
  }
}

function isReply(msg: unknown): msg is Reply {
  if (typeof msg !== "object" || msg === null) {
    return false;
  }
  const m = msg as { id?: unknown; ok?: unknown };
  return typeof m.id === "number" && typeof m.ok === "boolean";
}

interface Pending {
  body: RequestBody;
  resolve: (answer: Answer<Reply>) => void;
  reject: (error: RequestError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Sends requests as custom messages and resolves each with the reply carrying its id. Python
 * broadcasts replies to every view of the widget; ids start at a random base so that one view
 * never takes another's reply for its own.
 */
export function createClient(channel: MessageChannel, options: ClientOptions = {}): RequestClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let nextId = options.firstId ?? Math.floor(Math.random() * 2 ** 31) * 1024 + 1;
  const pending = new Map<number, Pending>();

  const onMessage: MessageHandler = (msg, buffers) => {
    if (!isReply(msg)) {
      return;
    }
    const entry = pending.get(msg.id);
    if (!entry) {
      return; // another view's reply, or one that already timed out
    }
    pending.delete(msg.id);
    clearTimeout(entry.timer);
    if (msg.ok) {
      entry.resolve({ reply: msg, buffers: toDataViews(buffers) });
    } else {
      entry.reject(new RequestError(msg.error, entry.body));
    }
  };

  return {
    request<B extends RequestBody>(body: B): Promise<Answer<ReplyFor[B["type"]]>> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          const seconds = Math.round(timeoutMs / 1000);
          reject(
            new RequestError(
              `No reply from the kernel for the ${describeRequest(body)} within ${seconds} s: ` +
                "is it busy, or has it stopped?",
              body,
              true,
            ),
          );
        }, timeoutMs);
        pending.set(id, {
          body,
          resolve: resolve as (answer: Answer<Reply>) => void,
          reject,
          timer,
        });
        channel.send({ ...body, id });
      });
    },
    connect() {
      channel.on("msg:custom", onMessage);
      // Pending requests keep their timers: React's strict mode disconnects and reconnects at
      // mount, and a request sent in between must still be answered.
      return () => channel.off("msg:custom", onMessage);
    },
  };
}
