import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ArchiveRejectedError } from "./archive-errors.js";

/** An upload on disk, and how to be rid of it. */
export interface SpooledUpload {
  file: string;
  bytes: number;
  remove(): Promise<void>;
}

/**
 * Writes the request body to a private temporary folder, at most `maxBytes`
 * (fastify's body limit does not bound a streamed body): a zip can only be
 * read from its end, so it is kept whole on disk, never in memory. Over the
 * limit, or a client that goes away, removes what was written.
 */
export async function spoolUpload(body: Readable, maxBytes: number): Promise<SpooledUpload> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "hoursync-import-"));
  const file = path.join(dir, "archive.zip");
  const remove = () => rm(dir, { recursive: true, force: true });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) return done(new ArchiveRejectedError("TOO_LARGE", `The archive is larger than ${maxBytes} bytes`));
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, counter, createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    await remove();
    throw err;
  }
  return { file, bytes, remove };
}
