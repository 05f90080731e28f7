import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** `tsx server/src/main.ts serve` in a process of its own, as a deployment runs it. */
export interface ServerProcess {
  url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Its JSON log lines so far, parsed (other lines left out). */
  logLines(): Record<string, unknown>[];
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a server process with exactly `env` (plus PATH and HOME), PORT 0, and waits until it
 * listens. A process that exits or takes longer than `startMs` fails with what it printed.
 */
export async function startServerProcess(env: Record<string, string>, startMs = 60_000): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts", "serve"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start within ${startMs} ms:\n${out}`));
    }, startMs);
    const look = () => {
      const found = /Hoursync server on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!found) return;
      clearTimeout(timer);
      resolve(found[1]!);
    };
    child.stdout!.on("data", look);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening:\n${out}`));
    });
  });
  return {
    url,
    output: () => out,
    logLines: () =>
      out.split("\n").flatMap((line) => {
        if (!line.startsWith("{")) return [];
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
