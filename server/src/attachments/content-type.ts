import { Readable } from "node:stream";
import { fileTypeFromStream } from "file-type";
import type { FileStorage } from "../storage/file-storage.js";

/**
 * The type of a stored file from its bytes (magic numbers, and for office
 * documents the parts inside the zip), never from the client's name or
 * header. Null when the content matches no known type.
 */
export async function detectContentType(storage: FileStorage, tenantId: string, key: string): Promise<string | null> {
  const stream = await storage.open(tenantId, key);
  if (!stream) return null;
  try {
    const found = await fileTypeFromStream(Readable.toWeb(stream) as Parameters<typeof fileTypeFromStream>[0]);
    return found?.mime ?? null;
  } finally {
    stream.destroy();
  }
}
