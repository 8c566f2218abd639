import { afterEach, describe, expect, it, vi } from "vitest";
import { createClient, type MessageChannel, RequestError, toDataViews } from "./client";

type Handler = (msg: unknown, buffers?: ReadonlyArray<DataView | ArrayBuffer>) => void;

function fakeChannel() {
  const sent: Array<Record<string, unknown>> = [];
  const handlers = new Set<Handler>();
  const channel: MessageChannel = {
    send: (content) => sent.push(content as Record<string, unknown>),
    on: (_event, handler) => handlers.add(handler),
    off: (_event, handler) => handlers.delete(handler),
  };
  const reply = (msg: unknown, buffers?: ReadonlyArray<DataView | ArrayBuffer>) => {
    for (const handler of handlers) handler(msg, buffers);
  };
  return { channel, sent, reply, handlers };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("request client", () => {
  it("gives every request a new id and resolves it with the reply of that id", async () => {
    const { channel, sent, reply } = fakeChannel();
    const client = createClient(channel, { firstId: 100 });
    client.connect();
    const first = client.request({ type: "command", command: { op: "undo" } });
    const second = client.request({ type: "command", command: { op: "redo" } });
    expect(sent).toEqual([
      { type: "command", command: { op: "undo" }, id: 100 },
      { type: "command", command: { op: "redo" }, id: 101 },
    ]);
    reply({ id: 101, ok: true, done: "redo" });
    reply({ id: 100, ok: true, done: "undo" });
    expect((await first).reply).toEqual({ id: 100, ok: true, done: "undo" });
    expect((await second).reply).toEqual({ id: 101, ok: true, done: "redo" });
  });

  it("rejects with Python's reason when the reply is a refusal", async () => {
    const { channel, reply } = fakeChannel();
    const client = createClient(channel, { firstId: 1 });
    client.connect();
    const pending = client.request({ type: "command", command: { op: "delete_job", job: "J9" } });
    reply({ id: 1, ok: false, error: "J9 is not a job of this project" });
    await expect(pending).rejects.toThrow("J9 is not a job of this project");
    await expect(pending).rejects.toBeInstanceOf(RequestError);
  });

  it("ignores other views' replies and unrelated messages", async () => {
    const { channel, reply } = fakeChannel();
    const client = createClient(channel, { firstId: 5 });
    client.connect();
    const pending = client.request({ type: "preview", job: "J4", input: "particles" });
    reply({ id: 6, ok: true, rows: 1, groups: [] });
    reply("not a reply");
    reply({ id: "5", ok: true });
    reply({ id: 5, ok: true, rows: 6000, groups: [] });
    expect((await pending).reply.rows).toBe(6000);
  });

  it("passes the reply's buffers on as DataViews", async () => {
    const { channel, reply } = fakeChannel();
    const client = createClient(channel, { firstId: 1 });
    client.connect();
    const pending = client.request({
      type: "download",
      job: "J1",
      output: "particles",
      result: "blob",
      version: "F",
      offset: 0,
    });
    const bytes = new Uint8Array([1, 2, 3]).buffer;
    reply({ id: 1, ok: true, filename: "J1_particles.cs", path: "/p/J1/x.cs" }, [bytes]);
    const { buffers } = await pending;
    expect(buffers).toHaveLength(1);
    expect(buffers[0]).toBeInstanceOf(DataView);
    expect(buffers[0]?.getUint8(2)).toBe(3);
  });

  it("fails a request with a visible reason when no reply comes in time", async () => {
    vi.useFakeTimers();
    const { channel, reply } = fakeChannel();
    const client = createClient(channel, { firstId: 1, timeoutMs: 5000 });
    client.connect();
    const pending = client.request({
      type: "rows",
      job: "J4",
      input: "particles",
      offset: 0,
      limit: 25,
    });
    const outcome = pending.then(
      () => null,
      (error: unknown) => error,
    );
    vi.advanceTimersByTime(4999);
    reply({ id: 2, ok: true });
    vi.advanceTimersByTime(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).timedOut).toBe(true);
    expect((error as RequestError).message).toBe(
      "No reply from the kernel for the rows of J4.particles within 5 s: is it busy, or has it stopped?",
    );
    // A late reply is ignored rather than resolving anything.
    reply({ id: 1, ok: true, offset: 0, count: 0, total: 0, columns: [] });
  });

  it("starts ids at a random base so that two views do not collide", () => {
    const a = fakeChannel();
    const b = fakeChannel();
    createClient(a.channel).request({ type: "command", command: { op: "undo" } });
    createClient(b.channel).request({ type: "command", command: { op: "undo" } });
    expect(a.sent[0]?.id).not.toBe(b.sent[0]?.id);
    expect(Number.isSafeInteger(a.sent[0]?.id)).toBe(true);
  });

  it("stops listening when disconnected", () => {
    const { channel, handlers } = fakeChannel();
    const disconnect = createClient(channel).connect();
    expect(handlers.size).toBe(1);
    disconnect();
    expect(handlers.size).toBe(0);
  });
});

describe("toDataViews", () => {
  it("accepts DataViews, ArrayBuffers, typed arrays and nothing", () => {
    const buffer = new Uint8Array([9, 8, 7, 6]).buffer;
    const views = toDataViews([new DataView(buffer, 1, 2), buffer, new Uint8Array(buffer, 2, 2)]);
    expect(views.map((v) => [v.byteOffset, v.byteLength, v.getUint8(0)])).toEqual([
      [1, 2, 8],
      [0, 4, 9],
      [2, 2, 7],
    ]);
    expect(toDataViews(undefined)).toEqual([]);
  });
});
