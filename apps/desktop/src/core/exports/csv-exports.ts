import { randomBytes, randomUUID } from "node:crypto";
import { createWriteStream, rmSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { LocalError } from "../errors.js";
import type { ChangeFeed } from "../events/change-feed.js";
import type { Scope } from "../timer/time-tracker.js";
import { EXPORT_BUSY_RETRY, fetchWhileBusy, type BusyRetry } from "./busy-retry.js";
import { exportUrl, type ExportRequest } from "./export-request.js";

/** Asks the person where to save a file (the system's save dialog); null when they cancel. */
export type SavePicker = (suggestedName: string) => Promise<string | null>;

export type ExportState = "running" | "done" | "failed";

export interface ExportProgress {
  id: string;
  state: ExportState;
  /** What the file is called (the server's name, or the one picked). */
  fileName: string;
  /** "file": saved where the person picked; "download": the window fetches it once from `downloadPath`. */
  mode: "file" | "download";
  bytes: number;
  /** Lines so far, the header row not counted (a quoted line break counts too: it is progress, not a tally). */
  rows: number;
  /** For "download", once done: a one-time path on the core's HTTP bridge. */
  downloadPath: string | null;
  error: string | null;
}

interface Running extends ExportProgress {
  file: string;
  downloadToken: string | null;
}

export interface ExportServer {
  serverUrl: string;
  token: string | null;
}

/**
 * CSV exports through the server's export routes, fetched with the core's session (the window
 * never sees the token) and streamed to a file: the one the person picked in the save dialog
 * (Electron), or a private one the browser then fetches once through the HTTP bridge. Progress
 * (bytes and rows) is announced on the change feed as it grows, so large ranges show it.
 */
export class CsvExports {
  private readonly exports = new Map<string, Running>();
  /** Installed by the Electron shell; without it (browser mode) exports become downloads. */
  savePicker: SavePicker | null = null;

  constructor(
    private readonly dir: string,
    private readonly server: () => ExportServer,
    private readonly changes: ChangeFeed,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly busyRetry: BusyRetry = EXPORT_BUSY_RETRY,
  ) {
    // Downloads the browser never fetched (the app quit first) are not kept.
    rmSync(dir, { recursive: true, force: true });
  }

  /** Starts an export; null when the person cancelled the save dialog. Refusals of the server arrive here, before any file is made. */
  async start(scope: Scope, request: ExportRequest): Promise<ExportProgress | null> {
    const { serverUrl, token } = this.server();
    if (!token) throw new LocalError("NOT_SIGNED_IN", "Sign in first");
    let res: Response;
    try {
      res = await fetchWhileBusy(
        () => this.fetchImpl(exportUrl(serverUrl, request), { headers: { authorization: `Bearer ${token}`, "x-hoursync-workspace": scope.workspaceId } }),
        this.busyRetry,
      );
    } catch {
      throw new LocalError("OFFLINE", "The server cannot be reached, so nothing can be exported now. Try again when you are online.");
    }
    if (!res.ok || !res.body) {
      throw new LocalError(res.status < 500 ? "REFUSED" : "SERVER", await refusalText(res));
    }
    const serverName = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? `hoursync-${request.kind}.csv`;
    let file: string;
    let mode: ExportProgress["mode"];
    if (this.savePicker) {
      const picked = await this.savePicker(serverName);
      if (!picked) {
        await res.body.cancel();
        return null;
      }
      file = picked;
      mode = "file";
    } else {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      file = path.join(this.dir, `${randomUUID()}.csv`);
      mode = "download";
    }
    const id = randomUUID();
    const job: Running = {
      id,
      state: "running",
      fileName: mode === "file" ? path.basename(file) : serverName,
      mode,
      bytes: 0,
      rows: 0,
      downloadPath: null,
      error: null,
      file,
      downloadToken: null,
    };
    this.exports.set(id, job);
    void this.write(job, res.body as unknown as WebReadableStream<Uint8Array>);
    return this.shown(job);
  }

  /** Streams the answer to the file, counting bytes and lines; a broken stream leaves no partial file. */
  private async write(job: Running, body: WebReadableStream<Uint8Array>) {
    let lastAnnounced = 0;
    const count = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        job.bytes += chunk.length;
        for (const byte of chunk) if (byte === 0x0a) job.rows++;
        if (Date.now() - lastAnnounced > 100) {
          lastAnnounced = Date.now();
          this.changes.emit(["exports"]);
        }
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(body), count, createWriteStream(job.file, { mode: 0o600 }));
      job.rows = Math.max(0, job.rows - 1);
      if (job.mode === "download") {
        job.downloadToken = randomBytes(24).toString("base64url");
        job.downloadPath = `/downloads/${job.downloadToken}`;
      }
      job.state = "done";
    } catch {
      job.state = "failed";
      job.error = "The export stopped before it was complete (the connection broke). Nothing was saved; try again.";
      await rm(job.file, { force: true });
    }
    this.changes.emit(["exports"]);
  }

  progress(id: string): ExportProgress {
    const job = this.exports.get(id);
    if (!job) throw new LocalError("NOT_FOUND", "No such export");
    return this.shown(job);
  }

  /**
   * The finished download behind a one-time token (the HTTP bridge serves it once, then it is
   * gone): the file to send, its name, and what removes it afterwards.
   */
  takeDownload(token: string): { file: string; fileName: string; done: () => Promise<void> } | null {
    for (const job of this.exports.values()) {
      if (job.mode === "download" && job.state === "done" && job.downloadToken === token) {
        job.downloadToken = null;
        job.downloadPath = null;
        return { file: job.file, fileName: job.fileName, done: () => rm(job.file, { force: true }) };
      }
    }
    return null;
  }

  private shown(job: Running): ExportProgress {
    const { file: _file, downloadToken: _token, ...shown } = job;
    return { ...shown };
  }
}

/** The server's refusal in words: its problem document's title, or the status. */
async function refusalText(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { title?: string; detail?: string; error?: string } | null;
  const said = body?.detail ?? body?.title ?? body?.error;
  if (res.status === 429) return "The server is busy (too many requests or reports at once). Try again in a minute.";
  if (res.status === 403) return said ?? "You can only export your own time.";
  return said ? `The server refused the export: ${said}` : `The server refused the export (HTTP ${res.status}).`;
}
