import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream, openAsBlob } from "node:fs";
import { once } from "node:events";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { crc32 } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { encodeAttachmentHeader, attachmentContentPath } from "../server/src/contract/attachments.js";
import { WORKSPACE_HEADER } from "../server/src/trpc/context.js";
import { serverClient } from "../apps/desktop/src/core/sync/server-transport.js";
import { pngFile } from "../tests/support/files.js";

export interface AttachmentFigures {
  database: string;
  megabytes: number;
  uploadMBps: number;
  downloadMBps: number;
  /** The server process's highest resident memory above its level before the transfer, sampled every 10 ms. */
  uploadPeakRssMB: number;
  downloadPeakRssMB: number;
}

/**
 * A valid PNG of about `bytes` bytes written piece by piece (the bulk is a
 * text chunk), so the benchmark process never holds the file in memory.
 */
async function writeLargePng(file: string, bytes: number): Promise<void> {
  const small = pngFile(100);
  // pngFile is: signature + IHDR (33 bytes), tEXt, IDAT, IEND; keep its head and tail around a big tEXt.
  const head = small.subarray(0, 33);
  const tail = small.subarray(small.indexOf("IDAT") - 4);
  const piece = Buffer.alloc(1024 * 1024, 0x61);
  const textBytes = bytes - head.length - tail.length - 12;
  const out = createWriteStream(file);
  const write = (b: Buffer) => (out.write(b) ? Promise.resolve() : once(out, "drain").then(() => undefined));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(textBytes);
  await write(head);
  await write(length);
  const prefix = Buffer.from("tEXtComment\0", "latin1");
  let crc = crc32(prefix);
  await write(prefix);
  for (let left = textBytes - 8; left > 0; left -= piece.length) {
    const part = left >= piece.length ? piece : piece.subarray(0, left);
    crc = crc32(part, crc);
    await write(part);
  }
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc >>> 0);
  await write(sum);
  await write(Buffer.from(tail));
  out.end();
  await once(out, "finish");
}

/** The server in a child process, and a way to ask it things. */
async function startServerProcess(kind: "postgres" | "pglite", maxBytes: number) {
  const child = fork(fileURLToPath(new URL("./file-server-child.ts", import.meta.url)), [kind, String(maxBytes)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = () => new Promise<Record<string, unknown>>((resolve) => child.once("message", (m) => resolve(m as Record<string, unknown>)));
  const ready = (await next()) as { url: string; token: string; workspaceId: string; entryId: string };
  return {
    ...ready,
    ask: async (msg: "reset" | "peak") => {
      const answer = next();
      child.send(msg);
      return answer;
    },
    stop: async () => {
      child.send("stop");
      await once(child, "exit");
    },
  };
}

/**
 * One 50 MB file (a valid PNG, so type detection passes) uploaded through
 * the tRPC procedure from a file-backed Blob and downloaded to a file, over
 * real HTTP. The server runs in its own process and reports the peak of its
 * resident memory during each transfer: streams keep it flat.
 */
export async function benchAttachments(kind: "postgres" | "pglite", megabytes = 50): Promise<AttachmentFigures> {
  const bytes = megabytes * 1024 * 1024;
  const server = await startServerProcess(kind, bytes + 1024 * 1024);
  const dir = await mkdtemp(path.join(os.tmpdir(), "hoursync-bench-files-"));
  try {
    const api = serverClient(server.url, { token: () => server.token, workspaceId: server.workspaceId });
    const auth = { authorization: `Bearer ${server.token}`, [WORKSPACE_HEADER]: server.workspaceId };
    const source = path.join(dir, "scan.png");
    await writeLargePng(source, bytes);
    // One small round trip first, so one-time costs (code loading, connection set-up) are not counted as the file's.
    const warm = path.join(dir, "warm.png");
    await writeFile(warm, pngFile(1024 * 1024));
    const warmed = await api.attachments.upload.mutate(await openAsBlob(warm), {
      context: { attachmentHeader: encodeAttachmentHeader({ id: randomUUID(), entryId: server.entryId, name: "warm.png" }) },
    });
    await (await fetch(`${server.url}${attachmentContentPath(warmed.id)}`, { headers: auth })).arrayBuffer();

    await server.ask("reset");
    const t0 = performance.now();
    const stored = await api.attachments.upload.mutate(await openAsBlob(source), {
      context: { attachmentHeader: encodeAttachmentHeader({ id: randomUUID(), entryId: server.entryId, name: "scan.png" }) },
    });
    const uploadSeconds = (performance.now() - t0) / 1000;
    const uploadPeakRssMB = Number((await server.ask("peak")).peakMB);
    if (stored.sizeBytes !== (await stat(source)).size) throw new Error("stored size differs from the file");

    const target = path.join(dir, "back.png");
    await server.ask("reset");
    const t1 = performance.now();
    const res = await fetch(`${server.url}${attachmentContentPath(stored.id)}`, { headers: auth });
    if (!res.ok || !res.body) throw new Error(`download answered ${res.status}`);
    await pipeline(Readable.fromWeb(res.body as never), createWriteStream(target));
    const downloadSeconds = (performance.now() - t1) / 1000;
    const downloadPeakRssMB = Number((await server.ask("peak")).peakMB);
    if ((await stat(target)).size !== stored.sizeBytes) throw new Error("downloaded size differs");

    return {
      database: kind === "postgres" ? "PostgreSQL 15 (127.0.0.1)" : "PGlite (embedded)",
      megabytes,
      uploadMBps: megabytes / uploadSeconds,
      downloadMBps: megabytes / downloadSeconds,
      uploadPeakRssMB,
      downloadPeakRssMB,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await server.stop();
  }
}
