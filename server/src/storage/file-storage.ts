import type { Readable } from "node:stream";

/** What was stored: counted and hashed as it streamed through. */
export interface StoredFile {
  key: string;
  sizeBytes: number;
  sha256: string;
}

/** A stream went past its byte budget; nothing of it is kept. */
export class StorageLimitError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The file is larger than ${limitBytes} bytes`);
    this.name = "StorageLimitError";
  }
}

/**
 * Where attachment files live, always under a tenant's own prefix. Keys are
 * made by the storage, never by a client. The local directory is one
 * implementation; an object store with a per-tenant prefix is another.
 */
export interface FileStorage {
  /** Streams `source` into a new file of the tenant; over `maxBytes` it stops, removes the partial file and throws StorageLimitError. */
  put(tenantId: string, source: Readable, maxBytes: number): Promise<StoredFile>;
  /** The file's bytes, or null when it does not exist. */
  open(tenantId: string, key: string): Promise<Readable | null>;
  /** Removes a file; a missing one is not an error. */
  remove(tenantId: string, key: string): Promise<void>;
  /** Removes every file of a tenant (its workspace was deleted). */
  removeTenant(tenantId: string): Promise<void>;
}
