import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { WORKSPACE_HEADER } from "../server/src/trpc/context.js";

export interface ExportRun {
  entries: number;
  megabytes: number;
  seconds: number;
  /** The server process's highest resident memory above its level before the export, sampled every 10 ms. */
  peakRssMB: number;
  /** JS heap still in use after the export and a forced collection, above the level before it. */
  retainedMB: number;
}

export interface WorkspaceExportFigures {
  database: string;
  runs: ExportRun[];
}

type Workspace = { token: string; workspaceId: string };

/**
 * GET /export/workspace.zip of workspaces of growing size over real HTTP,
 * the server in its own process reporting the peak of its resident memory
 * during each download, and the heap still held after it once collected;
 * the client counts the bytes and keeps none.
 */
export async function benchWorkspaceExport(kind: "postgres" | "pglite", sizes: number[]): Promise<WorkspaceExportFigures> {
  const child = fork(fileURLToPath(new URL("./export-server-child.ts", import.meta.url)), [kind, sizes.join(",")], {
    execArgv: ["--import", "tsx", "--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = () => new Promise<Record<string, unknown>>((resolve) => child.once("message", (m) => resolve(m as Record<string, unknown>)));
  const ready = (await next()) as { url: string; workspaces: Workspace[] };
  const ask = async (msg: "reset" | "peak") => {
    const answer = next();
    child.send(msg);
    return answer;
  };
  const run = async (ws: Workspace, entries: number): Promise<ExportRun> => {
    await ask("reset");
    const t0 = performance.now();
    const res = await fetch(`${ready.url}/export/workspace.zip`, { headers: { authorization: `Bearer ${ws.token}`, [WORKSPACE_HEADER]: ws.workspaceId } });
    if (!res.ok || !res.body) throw new Error(`export answered ${res.status}`);
    let bytes = 0;
    const reader = res.body.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) bytes += part.value.length;
    const seconds = (performance.now() - t0) / 1000;
    const memory = await ask("peak");
    return { entries, megabytes: bytes / 1024 / 1024, seconds, peakRssMB: Number(memory.peakMB), retainedMB: Number(memory.retainedMB) };
  };
  try {
    await run(ready.workspaces[0]!, sizes[0]!); // warm-up: code loading and connections are not the export's
    const runs: ExportRun[] = [];
    for (const [i, ws] of ready.workspaces.entries()) runs.push(await run(ws, sizes[i]!));
    return { database: kind === "postgres" ? "PostgreSQL 15 (127.0.0.1)" : "PGlite (embedded)", runs };
  } finally {
    child.send("stop");
    await once(child, "exit");
  }
}
