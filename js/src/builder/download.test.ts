import { describe, expect, it } from "vitest";
import type { Answer, RequestBody } from "./client";
import { downloadFile } from "./download";
import type { DownloadReply } from "./protocol";

const TARGET = { job: "J3", output: "volume", result: "map", version: "F" as const };

/** A kernel serving `file` in chunks of `chunk` bytes, as builder_data.download does. */
function kernel(file: Uint8Array, chunk: number, stamps: (offset: number) => string = () => "s1") {
  const asked: number[] = [];
  const client = {
    request(body: RequestBody): Promise<Answer<DownloadReply>> {
      if (body.type !== "download") throw new Error(`unexpected ${body.type}`);
      asked.push(body.offset);
      const bytes = file.slice(body.offset, body.offset + chunk);
      const reply: DownloadReply = {
        id: asked.length,
        ok: true,
        filename: "J3_map.cs",
        path: "/p/J3/J3_map.cs",
        offset: body.offset,
        size: file.length,
        stamp: stamps(body.offset),
      };
      return Promise.resolve({ reply, buffers: [new DataView(bytes.buffer)] });
    },
  };
  // biome-ignore lint/suspicious/noExplicitAny: the fake answers download requests only
  return { client: client as any, asked };
}

function bytes(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);
}

async function joined(parts: Uint8Array[]): Promise<Uint8Array> {
  return new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
}

describe("downloadFile", () => {
  it("asks chunk after chunk and joins them into the whole file", async () => {
    const file = bytes(2500);
    const { client, asked } = kernel(file, 1000);
    const progress: number[] = [];
    const got = await downloadFile(client, TARGET, (received) => progress.push(received));
    expect(asked).toEqual([0, 1000, 2000]);
    expect(progress).toEqual([1000, 2000, 2500]);
    expect(got.filename).toBe("J3_map.cs");
    expect(await joined(got.parts)).toEqual(file);
  });

  it("takes a small file in one reply and an empty file in one empty reply", async () => {
    const small = kernel(bytes(10), 1000);
    expect((await downloadFile(small.client, TARGET)).size).toBe(10);
    expect(small.asked).toEqual([0]);
    const empty = kernel(new Uint8Array(0), 1000);
    expect((await downloadFile(empty.client, TARGET)).parts.map((p) => p.length)).toEqual([0]);
  });

  it("refuses to join chunks of a file that changed in between", async () => {
    const { client } = kernel(bytes(2500), 1000, (offset) => (offset < 2000 ? "s1" : "s2"));
    await expect(downloadFile(client, TARGET)).rejects.toThrow(
      "J3_map.cs changed while it was downloading",
    );
  });

  it("stops when the kernel sends nothing before the end", async () => {
    const { client } = kernel(bytes(2500), 0);
    await expect(downloadFile(client, TARGET)).rejects.toThrow(
      "The kernel sent no bytes of J3_map.cs from byte 0.",
    );
  });
});
