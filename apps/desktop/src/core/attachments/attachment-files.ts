import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, readdirSync, rmSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";

/** Ids become file and folder names: only ever plain ids (never a "../" or a separator). */
const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;
const PART = ".part";

export interface WrittenFile {
  /** Relative to the data folder. */
  localPath: string;
  sizeBytes: number;
  sha256: string;
}

export class ContentMismatchError extends Error {
  constructor() {
    super("The received file does not match the attachment (size or sha-256 differ)");
    this.name = "ContentMismatchError";
  }
}

/**
 * The attachments' copies in the app's data folder:
 * `<dataDir>/attachments/<workspaceId>/<attachmentId>`. Files are streamed
 * (hashed and counted on the way), written under a temporary name, flushed
 * and renamed into place, so a crash never leaves a half file under an id.
 */
export class AttachmentFiles {
  constructor(private readonly dataDir: string) {}

  relativePath(workspaceId: string, id: string): string {
    if (!SAFE_ID.test(workspaceId) || !SAFE_ID.test(id)) throw new Error(`Unsafe attachment path: ${workspaceId}/${id}`);
    return path.join("attachments", workspaceId, id);
  }

  absolute(localPath: string): string {
    return path.join(this.dataDir, localPath);
  }

  /** Copies a file the user picked into the data folder. */
  copyIn(workspaceId: string, id: string, source: string): Promise<WrittenFile> {
    return this.write(workspaceId, id, createReadStream(source));
  }

  /** Writes a stream as the attachment's file; with `expected`, keeps it only if size and sha-256 match. */
  async write(
    workspaceId: string,
    id: string,
    source: AsyncIterable<Uint8Array>,
    expected?: { sizeBytes: number; sha256: string },
  ): Promise<WrittenFile> {
    const localPath = this.relativePath(workspaceId, id);
    const target = this.absolute(localPath);
    const part = target + PART;
    await mkdir(path.dirname(target), { recursive: true });
    const hash = createHash("sha256");
    let sizeBytes = 0;
    try {
      await pipeline(
        source,
        async function* measure(chunks: AsyncIterable<Uint8Array>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            sizeBytes += chunk.byteLength;
            yield chunk;
          }
        },
        // flush: on disk before any database row points at it.
        createWriteStream(part, { flush: true }),
      );
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
    const sha256 = hash.digest("hex");
    if (expected && (expected.sizeBytes !== sizeBytes || expected.sha256 !== sha256)) {
      await rm(part, { force: true });
      throw new ContentMismatchError();
    }
    await rename(part, target);
    return { localPath, sizeBytes, sha256 };
  }

  remove(localPath: string): void {
    rmSync(this.absolute(localPath), { force: true });
  }

  removeWorkspace(workspaceId: string): void {
    if (!SAFE_ID.test(workspaceId)) return;
    rmSync(path.join(this.dataDir, "attachments", workspaceId), { recursive: true, force: true });
  }

  /**
   * Deletes what a crash can leave behind: temporary files, and copies no row
   * points at (the row's removal committed, the file's deletion did not run).
   * Synchronous, so it runs to the end before anything else can add a file.
   */
  sweep(kept: Set<string>): string[] {
    const root = path.join(this.dataDir, "attachments");
    const removed: string[] = [];
    const list = (dir: string) => {
      try {
        return readdirSync(dir, { withFileTypes: true });
      } catch {
        return [];
      }
    };
    for (const ws of list(root)) {
      if (!ws.isDirectory()) continue;
      for (const file of list(path.join(root, ws.name))) {
        const localPath = path.join("attachments", ws.name, file.name);
        if (kept.has(localPath)) continue;
        rmSync(this.absolute(localPath), { force: true, recursive: true });
        removed.push(localPath);
      }
    }
    return removed;
  }
}
