import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { StorageLimitError } from "./file-storage.js";

/**
 * A pass-through that counts and hashes the bytes of an upload as they go,
 * and fails with StorageLimitError the moment they pass `maxBytes`.
 */
export function byteMeter(maxBytes: number): { stream: Transform; sizeBytes: () => number; sha256: () => string } {
  const hash = createHash("sha256");
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new StorageLimitError(maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { stream, sizeBytes: () => size, sha256: () => hash.digest("hex") };
}
