import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMetricsListener } from "../../../server/src/http/metrics-route.js";
import { weeklySummaryJob } from "../../../server/src/jobs/schedule.js";
import { at } from "../../support/api.js";
import { createCompany, type Company } from "../../support/people.js";
import { errorCodeOf, startTestServer, type TestServer } from "../../support/server.js";

const TOKEN = randomBytes(24).toString("hex");

let server: TestServer;
let acme: Company;
let flood: Company;
beforeAll(async () => {
  server = await startTestServer({ env: { METRICS_TOKEN: TOKEN, USER_RATE_LIMIT_PER_MINUTE: "100000" } });
  acme = await createCompany(server, "Acme");
  await acme.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
  flood = await createCompany(server, "Flood");
  await flood.owner.api.workspace.update.mutate({ userRateLimitPerMinute: 10 });
});
afterAll(async () => {
  await server.close();
});

async function scrape(token: string | null = TOKEN, url = server.url): Promise<Response> {
  return fetch(`${url}/metrics`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}

async function exposition(): Promise<string> {
  const res = await scrape();
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one series (`name{labels}` exactly as exposed; labels in declaration order), 0 when absent. */
function valueOf(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("/metrics access", () => {
  it("asks for the metrics token", async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape("not-the-token")).status).toBe(401);
    // A user's session token is no metrics token.
    expect((await scrape(acme.owner.token)).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/plain");
  });

  it("is not served on the API's port without a token configured", async () => {
    const plain = await startTestServer();
    try {
      expect((await scrape(null, plain.url)).status).toBe(404);
      expect((await scrape("anything", plain.url)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it("is served alone on its own address, with the token when one is set", async () => {
    const open = await startMetricsListener(server.services.metrics, "127.0.0.1:0", { token: null });
    const guarded = await startMetricsListener(server.services.metrics, "127.0.0.1:0", { token: TOKEN });
    try {
      const urlOf = (app: typeof open) => {
        const a = app.server.address();
        return `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
      };
      const res = await scrape(null, urlOf(open));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("hoursync_trpc_request_duration_seconds");
      // Nothing of the API is there.
      expect((await fetch(`${urlOf(open)}/trpc/health.check`)).status).toBe(404);
      expect((await fetch(`${urlOf(open)}/healthz`)).status).toBe(404);
      expect((await scrape(null, urlOf(guarded))).status).toBe(401);
      expect((await scrape(TOKEN, urlOf(guarded))).status).toBe(200);
    } finally {
      await open.close();
      await guarded.close();
    }
  });
});

describe("counts", () => {
  it("move with procedure calls and errors by code", async () => {
    const before = await exposition();
    for (let i = 0; i < 3; i++) await acme.owner.api.entries.list.query({});
    expect(await errorCodeOf(acme.owner.api.projects.get.query({ id: randomUUID() }))).toBe("NOT_FOUND");
    expect(await errorCodeOf(acme.owner.api.entries.create.mutate({ start: "not a date" } as never))).toBe("BAD_REQUEST");
    const after = await exposition();
    const calls = 'hoursync_trpc_request_duration_seconds_count{procedure="entries.list"}';
    expect(valueOf(after, calls) - valueOf(before, calls)).toBe(3);
    const notFound = 'hoursync_trpc_errors_total{procedure="projects.get",code="NOT_FOUND"}';
    expect(valueOf(after, notFound) - valueOf(before, notFound)).toBe(1);
    const bad = 'hoursync_trpc_errors_total{procedure="entries.create",code="BAD_REQUEST"}';
    expect(valueOf(after, bad) - valueOf(before, bad)).toBe(1);
    // Plain HTTP routes by their pattern (the probes here), never by a path with ids in it.
    await fetch(`${server.url}/healthz`);
    const http = 'hoursync_http_requests_total{route="/healthz",method="GET",status="2xx"}';
    expect(valueOf(await exposition(), http)).toBeGreaterThan(valueOf(after, http));
  });

  it("count refusals by a rate limit under their scope", async () => {
    const series = 'hoursync_rate_limit_refusals_total{scope="user"}';
    const before = valueOf(await exposition(), series);
    let refused = 0;
    for (let i = 0; i < 14; i++) if ((await errorCodeOf(flood.owner.api.entries.list.query({}))) === "TOO_MANY_REQUESTS") refused++;
    expect(refused).toBeGreaterThan(0);
    const after = await exposition();
    expect(valueOf(after, series) - before).toBe(refused);
    const tooMany = 'hoursync_trpc_errors_total{procedure="entries.list",code="TOO_MANY_REQUESTS"}';
    expect(valueOf(after, tooMany)).toBeGreaterThanOrEqual(refused);
  });

  it("count sync pushes by outcome, pulls, the changes sent and how far behind the device was", async () => {
    const api = acme.owner.api;
    const clientId = randomUUID();
    await api.sync.registerClient.mutate({ clientId, name: "laptop" });
    const put = (hour: number) => ({
      id: randomUUID(),
      start: at("2026-04-06", hour).toISOString(),
      end: at("2026-04-06", hour + 1).toISOString(),
      description: `work ${hour}`,
    });
    const before = await exposition();
    await api.sync.push.mutate({
      clientId,
      mutations: [
        { mutationId: 1, name: "entry.put", args: put(9) },
        { mutationId: 2, name: "entry.put", args: put(11) },
        // Overlaps the first: refused.
        { mutationId: 3, name: "entry.put", args: put(9) },
      ],
    });
    // The same batch again: answered from the record.
    await api.sync.push.mutate({ clientId, mutations: [{ mutationId: 2, name: "entry.put", args: put(11) }] });
    const page = await api.sync.pull.query({ cursor: 0, limit: 1000 });
    const changes = page.entries.length + page.projects.length + page.tasks.length + page.tags.length + page.clients.length + page.deletions.length + page.attachments.length;
    const after = await exposition();
    const delta = (s: string) => valueOf(after, s) - valueOf(before, s);
    expect(delta("hoursync_sync_pushes_total")).toBe(2);
    expect(delta('hoursync_sync_push_mutations_total{outcome="applied"}')).toBe(2);
    expect(delta('hoursync_sync_push_mutations_total{outcome="rejected"}')).toBe(1);
    expect(delta('hoursync_sync_push_mutations_total{outcome="replayed"}')).toBe(1);
    expect(delta("hoursync_sync_pulls_total")).toBe(1);
    expect(delta("hoursync_sync_pull_changes_total")).toBe(changes);
    expect(delta("hoursync_sync_pull_lag_changes_count")).toBe(1);
    // From cursor 0 the device was behind by every change of the workspace (at least the two entries).
    expect(delta("hoursync_sync_pull_lag_changes_sum")).toBeGreaterThanOrEqual(2);
    expect(delta('hoursync_sync_pull_lag_changes_bucket{le="1"}')).toBe(0);
  });

  it("count job runs: one that ran, one another run already had", async () => {
    const before = await exposition();
    const now = at("2026-05-18", 10);
    expect((await weeklySummaryJob(server.services, { now })).ran).toBe(true);
    expect((await weeklySummaryJob(server.services, { now })).ran).toBe(false);
    const after = await exposition();
    const delta = (s: string) => valueOf(after, s) - valueOf(before, s);
    expect(delta('hoursync_job_runs_total{job="weekly-summary",outcome="ran"}')).toBe(1);
    expect(delta('hoursync_job_runs_total{job="weekly-summary",outcome="skipped"}')).toBe(1);
    expect(delta('hoursync_job_duration_seconds_count{job="weekly-summary"}')).toBe(2);
  });

  it("show the database's pool where there is one (PostgreSQL), open transactions on both", async () => {
    const text = await exposition();
    expect(text).toContain("hoursync_db_open_transactions ");
    if (server.services.db.kind === "postgres") {
      expect(valueOf(text, 'hoursync_db_pool_connections{state="max"}')).toBe(4);
      expect(valueOf(text, 'hoursync_db_pool_connections{state="total"}')).toBeGreaterThan(0);
      expect(text).toContain('hoursync_db_pool_connections{state="waiting"}');
    } else {
      // PGlite is one in-process session: there is no pool to report.
      expect(text).not.toContain("hoursync_db_pool_connections");
    }
    expect(text).toContain("hoursync_process_resident_memory_bytes");
  });
});

describe("the exposition", () => {
  it("holds no e-mail, token, workspace or user id", async () => {
    const text = await exposition();
    const secrets = [
      TOKEN,
      acme.owner.token,
      acme.owner.email,
      acme.owner.userId,
      acme.workspaceId,
      flood.owner.email,
      flood.workspaceId,
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
  });
});
