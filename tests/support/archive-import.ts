import { readdir } from "node:fs/promises";
import archiver from "archiver";
import { WORKSPACE_HEADER } from "../../server/src/trpc/context.js";
import type { TestServer } from "./server.js";

/** GET /export/workspace.zip as `token` in `workspaceId`: the archive's bytes. */
export async function exportArchive(url: string, token: string, workspaceId: string): Promise<Buffer> {
  const res = await fetch(`${url}/export/workspace.zip`, { headers: { authorization: `Bearer ${token}`, [WORKSPACE_HEADER]: workspaceId } });
  if (res.status !== 200) throw new Error(`export answered ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** POST /import/workspace over real HTTP: the status and the JSON answer. */
export async function importArchive(url: string, token: string | null, bytes: Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/import/workspace`, {
    method: "POST",
    headers: { "content-type": "application/zip", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** A zip of `entries` (name -> bytes) written with archiver, as the exporter writes them. */
export async function zipOf(entries: Map<string, Buffer>): Promise<Buffer> {
  const archive = archiver("zip", { zlib: { level: 6 } });
  const chunks: Buffer[] = [];
  archive.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    archive.on("end", resolve);
    archive.on("error", reject);
  });
  for (const [name, bytes] of entries) archive.append(bytes, { name });
  await archive.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** What would show that an import left something behind: the person's workspaces and the folders in file storage. */
export async function traces(server: TestServer, token: string): Promise<{ workspaces: string[]; storage: string[] }> {
  const workspaces = (await server.client({ token }).auth.workspaces.query()).map((w) => w.workspaceId).sort();
  const storage = (await readdir(server.services.attachments.root!).catch(() => [] as string[])).sort();
  return { workspaces, storage };
}
