import { constants, createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { lstat, mkdir, open, readdir, realpath, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { byteMeter } from "./byte-meter.js";
import type { FileStorage, StoredFile } from "./file-storage.js";
import { checkedName, isTenantId, newStorageKey } from "./storage-names.js";

const INCOMING = ".incoming";

/** The storage tree is not what this process made (a planted symlink, a file where a folder belongs). */
export class StorageTamperedError extends Error {
  constructor(what: string) {
    super(`Refusing to use the storage tree: ${what}`);
    this.name = "StorageTamperedError";
  }
}

/**
 * Files at <root>/<tenantId>/<key>. Both path parts are checked against
 * fixed patterns (a uuid, 32 hex digits), so no input can name another
 * place; every folder on the way is checked to be a real folder, not a
 * symlink; files are created exclusively and opened without following
 * symlinks. Uploads stream into <tenant>/.incoming and move into place
 * only when complete.
 */
export async function localDirectoryStorage(root: string): Promise<FileStorage> {
  await mkdir(root, { recursive: true });
  const base = await realpath(root);

  async function realFolder(dir: string, create: boolean): Promise<boolean> {
    if (create) await mkdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === "EEXIST" ? undefined : Promise.reject(err)));
    const info = await lstat(dir).catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? null : Promise.reject(err)));
    if (!info) return false;
    if (!info.isDirectory() || info.isSymbolicLink()) throw new StorageTamperedError(`${path.relative(base, dir)} is not a folder`);
    return true;
  }

  function tenantDir(tenantId: string): string {
    checkedName(tenantId);
    return path.join(base, tenantId);
  }

  function fileOf(tenantId: string, key: string): string {
    checkedName(tenantId, key);
    return path.join(base, tenantId, key);
  }

  return {
    async put(tenantId, source, maxBytes) {
      const dir = tenantDir(tenantId);
      await realFolder(dir, true);
      await realFolder(path.join(dir, INCOMING), true);
      const key = newStorageKey();
      const partial = path.join(dir, INCOMING, key);
      const meter = byteMeter(maxBytes);
      try {
        // O_EXCL | O_NOFOLLOW: never write through something planted at this name.
        const sink = createWriteStream(partial, {
          flags: (constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW) as unknown as string,
          mode: 0o600,
        });
        await pipeline(source, meter.stream, sink);
        const written = await open(partial, constants.O_RDONLY | constants.O_NOFOLLOW);
        await written.sync();
        await written.close();
      } catch (err) {
        await unlink(partial).catch(() => {});
        // Stop reading the client's body: the rest of an oversized upload is not wanted.
        source.destroy();
        throw err;
      }
      await rename(partial, path.join(dir, key));
      return { key, sizeBytes: meter.sizeBytes(), sha256: meter.sha256() } satisfies StoredFile;
    },

    async open(tenantId, key) {
      const file = fileOf(tenantId, key);
      if (!(await realFolder(path.dirname(file), false))) return null;
      const stream = createReadStream(file, { flags: (constants.O_RDONLY | constants.O_NOFOLLOW) as unknown as string });
      try {
        await once(stream, "ready");
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return null;
        // ELOOP: the name is a symlink.
        if (code === "ELOOP") throw new StorageTamperedError(`${tenantId}/${key} is a symlink`);
        throw err;
      }
      return stream;
    },

    async remove(tenantId, key) {
      const file = fileOf(tenantId, key);
      if (!(await realFolder(path.dirname(file), false))) return;
      // unlink removes a planted symlink itself, never its target.
      await unlink(file).catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? undefined : Promise.reject(err)));
    },

    async removeTenant(tenantId) {
      const dir = tenantDir(tenantId);
      const info = await lstat(dir).catch(() => null);
      if (!info) return;
      // A symlink in place of the folder: remove the link, not what it points to.
      if (info.isSymbolicLink()) return unlink(dir);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Partial uploads a crash left behind, older than `maxAgeMs`: removed at start-up. */
export async function sweepIncoming(root: string, maxAgeMs: number): Promise<number> {
  let removed = 0;
  const tenants = await readdir(root).catch(() => [] as string[]);
  for (const tenant of tenants.filter(isTenantId)) {
    const dir = path.join(root, tenant, INCOMING);
    const info = await lstat(dir).catch(() => null);
    if (!info?.isDirectory()) continue;
    for (const name of await readdir(dir)) {
      const file = path.join(dir, name);
      const s = await stat(file).catch(() => null);
      if (s && Date.now() - s.mtimeMs > maxAgeMs) {
        await unlink(file).catch(() => {});
        removed++;
      }
    }
  }
  return removed;
}
