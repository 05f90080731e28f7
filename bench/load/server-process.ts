import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LoadFixture } from "./seed.js";

/** The server process's memory: after a full collection when the process was started with --expose-gc. */
export interface MemorySample {
  rssBytes: number;
  heapUsedBytes: number;
  /** Whether a full GC ran just before the reading (else heapUsed includes garbage). */
  afterGc: boolean;
}

export interface LoadServer {
  url: string;
  fixture: LoadFixture;
  memory(): Promise<MemorySample>;
  stop(): Promise<void>;
}

export interface LoadServerOptions {
  kind: "postgres" | "pglite";
  rls: "rls-on" | "rls-off";
  workspaces: number;
  usersPerWorkspace: number;
  heavyPeople: number;
  env?: Record<string, string>;
}

/** A seeded server of the load benchmark in a process of its own (server-child.ts), with GC exposed for memory readings. */
export async function forkLoadServer(opts: LoadServerOptions): Promise<LoadServer> {
  const child = fork(
    fileURLToPath(new URL("./server-child.ts", import.meta.url)),
    [opts.kind, opts.rls, String(opts.workspaces), String(opts.usersPerWorkspace), String(opts.heavyPeople), JSON.stringify(opts.env ?? {})],
    { execArgv: ["--expose-gc", "--import", "tsx"] },
  );
  const ready = await new Promise<{ url: string; fixture: LoadFixture }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as { url: string; fixture: LoadFixture }));
    child.once("exit", (code) => reject(new Error(`server child exited (${code}) before it was ready`)));
  });
  // One reading at a time: replies are matched to requests by order.
  let previous: Promise<unknown> = Promise.resolve();
  const readMemory = () =>
    new Promise<MemorySample>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the server did not report its memory within 30 s")), 30_000);
      child.once("message", (m) => {
        clearTimeout(timer);
        resolve(m as MemorySample);
      });
      child.send("memory");
    });
  return {
    ...ready,
    memory: () => {
      const reading = previous.then(readMemory);
      previous = reading.catch(() => undefined);
      return reading;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.send("stop");
      }),
  };
}
