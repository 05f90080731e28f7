import { LocalError } from "../errors.js";
import type { SyncTransport } from "../sync/transport.js";
import { OfflineError } from "../sync/transport.js";

/** The most a reviewer's window is handed in one answer (the bytes travel as base64). */
export const MAX_REVIEW_FILE_BYTES = 25 * 1024 * 1024;

/**
 * Someone else's attachment (a reviewer opening a file on a timesheet), straight from the
 * server's download route with the core's session: the server checks who may read it; nothing
 * is kept on this device.
 */
export async function reviewedAttachment(transport: SyncTransport, workspaceId: string, id: string): Promise<{ base64: string }> {
  let stream: AsyncIterable<Uint8Array>;
  try {
    stream = await transport.downloadAttachment(workspaceId, id);
  } catch (err) {
    if (err instanceof OfflineError) throw new LocalError("OFFLINE", "The file is on the server, which cannot be reached now.");
    throw err;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size > MAX_REVIEW_FILE_BYTES) throw new LocalError("FILE", "The file is larger than 25 MB: open it on the server.");
    chunks.push(chunk);
  }
  return { base64: Buffer.concat(chunks).toString("base64") };
}
