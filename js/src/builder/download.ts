import type { RequestClient } from "./client";
import type { Version } from "./protocol";

export interface DownloadTarget {
  job: string;
  output: string;
  result: string;
  version: Version;
}

export interface DownloadedFile {
  filename: string;
  /** The file's bytes in order, one part per reply: a Blob joins them without a copy here. */
  parts: Uint8Array[];
  size: number;
}

/**
 * Fetch a saved `.cs` file chunk by chunk (a particle file can be hundreds of megabytes,
 * more than one message should carry), refusing to join chunks of a file that changed
 * in between.
 */
export async function downloadFile(
  client: Pick<RequestClient, "request">,
  target: DownloadTarget,
  onProgress?: (received: number, size: number) => void,
): Promise<DownloadedFile> {
  const parts: Uint8Array[] = [];
  let offset = 0;
  let first: { filename: string; size: number; stamp: string } | null = null;
  do {
    const { reply, buffers } = await client.request({ type: "download", ...target, offset });
    const chunk = buffers[0];
    if (first === null) {
      first = reply;
    } else if (reply.stamp !== first.stamp) {
      throw new Error(`${first.filename} changed while it was downloading; download it again.`);
    }
    if (!chunk || (chunk.byteLength === 0 && offset < reply.size)) {
      throw new Error(`The kernel sent no bytes of ${reply.filename} from byte ${offset}.`);
    }
    parts.push(new Uint8Array(chunk.buffer as ArrayBuffer, chunk.byteOffset, chunk.byteLength));
    offset += chunk.byteLength;
    onProgress?.(offset, reply.size);
  } while (offset < first.size);
  return { filename: first.filename, parts, size: offset };
}
