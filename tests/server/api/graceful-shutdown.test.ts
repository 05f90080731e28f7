import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ATTACHMENT_HEADER, encodeAttachmentHeader } from "../../../server/src/contract/attachments.js";
import { JobSchedule } from "../../../server/src/jobs/schedule.js";
import type { Mailer } from "../../../server/src/jobs/mailer.js";
import { DEMO_PASSWORD } from "../../../server/src/seed/demo.js";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
import { at } from "../../support/api.js";
import { createScratchDatabase, testDbKind, type ScratchDatabase } from "../../support/database.js";
import { pngFile } from "../../support/files.js";
import { createCompany } from "../../support/people.js";
import { apiClient, startTestServer } from "../../support/server.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");

interface Served {
  child: ChildProcess;
  url: string;
  /** The separate metrics listener (METRICS_ADDRESS on a free port). */
  metricsUrl: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  output: () => string;
}

let scratch: ScratchDatabase | null = null;
let served: Served | null = null;
afterEach(async () => {
  if (served && served.child.exitCode === null) served.child.kill("SIGKILL");
  served = null;
  await scratch?.drop();
  scratch = null;
});

/** `tsx server/src/main.ts serve` in a process of its own, on a scratch database of the suite's kind (PGlite: in memory). */
async function serve(graceMs: number): Promise<Served> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: "0",
    DATA_DIR: "memory://",
    PASSWORD_COST: "low",
    LOG_LEVEL: "info",
    SEED_DEMO: "auto",
    WEEKLY_SUMMARY: "off",
    SHUTDOWN_GRACE_MS: String(graceMs),
    METRICS_ADDRESS: "127.0.0.1:0",
  };
  if (testDbKind() === "postgres") {
    scratch = await createScratchDatabase();
    env.DATABASE_URL = scratch.appUrl;
    env.MIGRATION_DATABASE_URL = scratch.adminUrl;
  }
  const child = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts", "serve"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const [url, metricsUrl] = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    const look = () => {
      const api = /Hoursync server on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      const metrics = /Metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(out);
      if (api && metrics) {
        clearTimeout(timer);
        resolve([api[1]!, metrics[1]!]);
      }
    };
    child.stdout!.on("data", look);
    void exited.then(() => reject(new Error(`server exited before listening:\n${out}`)));
  });
  return { child, url, metricsUrl, exited, output: () => out };
}

/** Signs in as the demo owner and makes an entry to attach files to. */
async function ownerWithEntry(url: string) {
  const anonymous = apiClient(url);
  const { token } = await anonymous.auth.logIn.mutate({ email: "owner@acme.test", password: DEMO_PASSWORD });
  const [workspace] = await apiClient(url, { token }).auth.workspaces.query();
  const api = apiClient(url, { token, workspaceId: workspace!.workspaceId });
  const entry = await api.entries.create.mutate({ start: at("2026-04-07", 9), end: at("2026-04-07", 10) });
  return { token, workspaceId: workspace!.workspaceId, entryId: entry.id };
}

/** An upload whose body is sent in two parts, on a kept-alive connection: in flight until `finish()`. */
function slowUpload(url: string, who: { token: string; workspaceId: string; entryId: string }, file: Buffer) {
  const agent = new http.Agent({ keepAlive: true });
  const u = new URL(`${url}/trpc/attachments.upload`);
  const req = http.request({
    host: u.hostname,
    port: u.port,
    path: u.pathname,
    method: "POST",
    agent,
    headers: {
      authorization: `Bearer ${who.token}`,
      [WORKSPACE_HEADER]: who.workspaceId,
      [ATTACHMENT_HEADER]: encodeAttachmentHeader({ id: randomUUID(), entryId: who.entryId, name: "receipt.png" }),
      "content-type": "application/octet-stream",
      "content-length": String(file.length),
    },
  });
  const answer = new Promise<{ status: number; body: string } | { error: string }>((resolve) => {
    req.on("response", (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", (e) => resolve({ error: e.message }));
    });
    req.on("error", (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
  });
  const half = Math.floor(file.length / 2);
  req.write(file.subarray(0, half));
  return {
    answer,
    finish: () => req.end(file.subarray(half)),
    close: () => agent.destroy(),
  };
}

/** An idle kept-alive connection after one answered request; resolves `closed` when the server ends it. */
async function idleKeptAlive(url: string) {
  const u = new URL(url);
  const socket = net.connect(Number(u.port), u.hostname);
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now())));
  socket.on("error", () => undefined);
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.write(`GET /healthz HTTP/1.1\r\nHost: ${u.host}\r\nConnection: keep-alive\r\n\r\n`);
  await new Promise<void>((resolve) => socket.once("data", () => resolve()));
  return { closed, destroy: () => socket.destroy() };
}

/** Whether a new TCP connection to `url` is refused (the listening socket is closed). */
function refusesConnections(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port), u.hostname);
    s.once("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ECONNREFUSED"));
  });
}

async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe("SIGTERM on the served process", () => {
  it("stops accepting, lets the request in flight finish, ends idle connections, exits 0 within the grace period", async () => {
    const GRACE = 20_000;
    served = await serve(GRACE);
    const who = await ownerWithEntry(served.url);
    const idle = await idleKeptAlive(served.url);
    const file = pngFile(64 * 1024);
    const upload = slowUpload(served.url, who, file);
    // The first half is on the server: the upload is streaming into its file.
    await new Promise((r) => setTimeout(r, 500));

    // The metrics listener of METRICS_ADDRESS counts what the process did (one log-in so far).
    const scrape = await fetch(`${served.metricsUrl}/metrics`);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain('hoursync_trpc_request_duration_seconds_count{procedure="auth.logIn"} 1');

    const termAt = Date.now();
    served.child.kill("SIGTERM");
    // New connections are refused, and the idle kept-alive one is ended, while the upload still waits for its rest.
    expect(await eventually(() => refusesConnections(served!.url), 10_000)).toBe(true);
    const idleClosedAt = await Promise.race([idle.closed, new Promise<number>((r) => setTimeout(() => r(0), 10_000))]);
    expect(idleClosedAt).toBeGreaterThan(0);
    expect(served.child.exitCode).toBeNull();

    upload.finish();
    const answer = await upload.answer;
    expect(answer).toMatchObject({ status: 200 });
    expect((answer as { body: string }).body).toContain(`${file.length}`);

    const exit = await served.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - termAt).toBeLessThan(GRACE);
    expect(served.output()).toContain('"msg":"shut down"');
    expect(await refusesConnections(served.metricsUrl)).toBe(true);
    upload.close();
    idle.destroy();
  }, 180_000);

  it("cuts a request that outlasts the grace period, and still exits 0", async () => {
    const GRACE = 2_000;
    served = await serve(GRACE);
    const who = await ownerWithEntry(served.url);
    const upload = slowUpload(served.url, who, pngFile(64 * 1024));
    await new Promise((r) => setTimeout(r, 500));
    const termAt = Date.now();
    served.child.kill("SIGTERM");
    // The rest never comes: the server waits the grace period, then ends the connection.
    const answer = await upload.answer;
    expect(answer).toHaveProperty("error");
    const exit = await served.exited;
    expect(exit.code).toBe(0);
    const took = exit.at - termAt;
    expect(took).toBeGreaterThanOrEqual(GRACE - 100);
    // The grace period, then closing the database (an unloaded machine takes well under a second).
    expect(took).toBeLessThan(GRACE + 15_000);
    upload.close();
  }, 180_000);
});

describe("the job schedule at shutdown", () => {
  it("lets the running weekly job finish before the database closes, within the grace period", async () => {
    const server = await startTestServer();
    try {
      await createCompany(server, "Acme");
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let delivered = 0;
      // A mail service that hangs until released: the job is mid-run.
      const slowMailer: Mailer = {
        send: async () => {
          await held;
          delivered++;
        },
      };
      const jobs = new JobSchedule({ ...server.services, mailer: slowMailer }, { weeklySummary: true });
      void jobs.runWeeklySummaryNow();
      await new Promise((r) => setTimeout(r, 300));
      expect(jobs.inFlight).toBe(1);
      // Too short a grace: stop answers that the job is still running.
      expect(await jobs.stop(200)).toBe(false);
      const stopping = jobs.stop(20_000);
      let stopped = false;
      void stopping.then(() => (stopped = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(stopped).toBe(false);
      release();
      expect(await stopping).toBe(true);
      expect(delivered).toBeGreaterThan(0);
      expect(jobs.inFlight).toBe(0);
    } finally {
      await server.close();
    }
  });
});
