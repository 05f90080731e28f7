import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../server/src/db/tenant.js";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
import { at } from "../../support/api.js";
import { download } from "../../support/csv-export.js";
import { createCompany, type Company, type Person } from "../../support/people.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { UNLIMITED, UNLIMITED_ENV } from "../../support/staffed-company.js";
import { stalledGet, type StalledGet } from "../../support/stalled-client.js";

/**
 * One company's clients that stop reading a large export must not stall
 * anyone else: an export holds a database connection only while it reads a
 * page, a client that takes nothing for SLOW_CLIENT_TIMEOUT_MS is cut off,
 * and each workspace and user has a cap on exports running at once.
 */
const POOL = 4;
const WRITE_TIMEOUT_MS = 3_000;
/**
 * For the cases about slow clients that do read: long enough that no pause of a busy test machine
 * (the server shares this process, and PGlite its thread) ever counts as a stalled client.
 */
const PATIENT_WRITE_TIMEOUT_MS = 120_000;
const ENTRIES = 10_000;
/** About 15 MB of CSV per export: far more than the socket buffers of a client that reads nothing. */
const DESCRIPTION = "x".repeat(1_500);

const range = { from: "2024-01-01", to: "2028-01-01" };

interface Setting {
  server: TestServer;
  hoarder: Company;
  exporters: Person[];
  neighbour: Company;
}

/**
 * A server whose hoarding company has ten thousand long entries and three exporters, and a
 * neighbour company. `writeTimeoutMs` is how long a client may read nothing before it is cut off.
 */
async function setting(writeTimeoutMs: number): Promise<Setting> {
  const server = await startTestServer({
    env: {
      ...UNLIMITED_ENV,
      DB_POOL_MAX: String(POOL),
      SLOW_CLIENT_TIMEOUT_MS: String(writeTimeoutMs),
      EXPORT_MAX_PER_WORKSPACE: String(POOL),
      EXPORT_MAX_PER_USER: "2",
    },
  });
  const hoarder = await createCompany(server, "Hoarder");
  await hoarder.owner.api.workspace.update.mutate(UNLIMITED);
  const exporters = [hoarder.owner, await hoarder.hire("MANAGER", "m1"), await hoarder.hire("MANAGER", "m2")];
  // Ten thousand long entries, written straight into the hoarder's tenant.
  await withTenant(server.services.db.prisma, hoarder.workspaceId, (db) =>
    db.$executeRaw`
      INSERT INTO time_entries (tenant_id, id, user_id, description, start_at, end_at)
      SELECT ${hoarder.workspaceId}::uuid, gen_random_uuid(), ${hoarder.owner.userId}::uuid, ${DESCRIPTION} || g,
             ${at("2025-01-01", 0)}::timestamptz + g * interval '2 hours',
             ${at("2025-01-01", 1)}::timestamptz + g * interval '2 hours'
      FROM generate_series(1, ${ENTRIES}::int) AS g`,
  );
  const neighbour = await createCompany(server, "Neighbour");
  await neighbour.owner.api.workspace.update.mutate(UNLIMITED);
  await neighbour.owner.api.entries.create.mutate({ start: at("2026-03-02", 9), end: at("2026-03-02", 10), description: "ours" });
  return { server, hoarder, exporters, neighbour };
}

const auth = (p: Person, c: Company) => ({ authorization: `Bearer ${p.token}`, [WORKSPACE_HEADER]: c.workspaceId });
const entriesPath = `/export/entries.csv?from=${range.from}&to=${range.to}`;

/** Milliseconds each of the neighbour's usual calls takes; an answer later than `giveUpMs` counts as that long. */
async function neighbourLatencies({ server, neighbour }: Setting, giveUpMs: number): Promise<Record<string, number>> {
  const api = neighbour.owner.api;
  const calls: Record<string, () => Promise<unknown>> = {
    healthz: () => fetch(`${server.url}/healthz`).then((r) => r.json()),
    "entries.list": () => api.entries.list.query({}),
    "entries.create": () => api.entries.create.mutate({ start: at("2026-03-03", 9), end: null }).then((e) => api.entries.delete.mutate({ id: e.id })),
    "reports.summary": () => api.reports.summary.query({ from: at("2026-03-01", 0), to: at("2026-04-01", 0), groupBy: "day" }),
    "export.entries": () => download(server.url, "entries.csv", { token: neighbour.owner.token, workspaceId: neighbour.workspaceId }, range),
  };
  const out: Record<string, number> = {};
  for (const [name, call] of Object.entries(calls)) {
    const started = performance.now();
    const late = new Promise((r) => setTimeout(r, giveUpMs, "late"));
    await Promise.race([call(), late]);
    out[name] = Math.round(performance.now() - started);
  }
  return out;
}

describe("stalled exports of one company", () => {
  let the: Setting;
  beforeAll(async () => {
    the = await setting(WRITE_TIMEOUT_MS);
  }, 120_000);
  afterAll(async () => {
    await the?.server.close();
  });

  it("as many as the pool leave every other company's calls and /healthz at their normal latency", { timeout: 90_000 }, async () => {
    const { server, hoarder, exporters } = the;
    const baseline = await neighbourLatencies(the, 10_000);

    // Two exporters each open two exports and stop reading: as many as the pool has connections.
    const stalled: StalledGet[] = [];
    for (const person of exporters.slice(0, 2)) {
      for (let i = 0; i < 2; i++) stalled.push(stalledGet(server.url, entriesPath, auth(person, hoarder)));
    }
    for (const s of stalled) expect(await s.started).toBe("HTTP/1.1 200 OK");
    // Long enough for every export to fill its client's buffers and wait on it.
    await new Promise((r) => setTimeout(r, 300));

    const during = await neighbourLatencies(the, 5_000);
    for (const [call, ms] of Object.entries(during)) {
      expect(ms, `${call}: ${ms} ms while stalled, ${baseline[call]} ms before`).toBeLessThan(Math.max(1_000, 5 * baseline[call]!));
    }

    // Past the write timeout every stalled client has been cut off: its file is incomplete.
    await new Promise((r) => setTimeout(r, WRITE_TIMEOUT_MS + 500));
    for (const s of stalled) expect(await s.resume()).toEqual({ complete: false });
    // Their places are free again: the same people export the whole range.
    const again = await download(server.url, "entries.csv", { token: exporters[0]!.token, workspaceId: hoarder.workspaceId }, range);
    expect(again.status).toBe(200);
    expect(again.rows).toHaveLength(ENTRIES);
  });

});

describe("slow exports of one company (clients that read, however slowly)", () => {
  let the: Setting;
  beforeAll(async () => {
    the = await setting(PATIENT_WRITE_TIMEOUT_MS);
  }, 120_000);
  afterAll(async () => {
    await the?.server.close();
  });

  it("caps the exports running at once per user and per workspace, and answers 429 with Retry-After beyond", { timeout: 60_000 }, async () => {
    const { server, hoarder, exporters, neighbour } = the;
    const open: StalledGet[] = [];
    const tryExport = (p: Person) => download(server.url, "entries.csv", { token: p.token, workspaceId: hoarder.workspaceId }, range);
    /** An export whose client reads slowly, so it stays running (however slow the database is) until destroyed. */
    const slowExport = async (p: Person) => {
      const s = stalledGet(server.url, entriesPath, auth(p, hoarder));
      open.push(s);
      expect(await s.started).toBe("HTTP/1.1 200 OK");
      s.trickle();
    };
    try {
      for (let i = 0; i < 2; i++) await slowExport(exporters[0]!);
      const third = await tryExport(exporters[0]!);
      expect(third.status).toBe(429);
      expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);

      for (let i = 0; i < 2; i++) await slowExport(exporters[1]!);
      // The workspace has POOL exports running: a third person waits too, with a reason.
      const full = await tryExport(exporters[2]!);
      expect(full.status).toBe(429);
      expect(full.json).toMatchObject({ error: expect.stringMatching(/export/i) });
      // Another workspace has caps of its own.
      const theirs = await download(server.url, "entries.csv", { token: neighbour.owner.token, workspaceId: neighbour.workspaceId }, range);
      expect(theirs.status).toBe(200);
    } finally {
      for (const s of open) s.destroy();
    }
  });

  it("stops an export at its next page once the exporter is removed from the workspace", { timeout: 60_000 }, async () => {
    const { server, hoarder, exporters } = the;
    const leaver = exporters[2]!;
    const slow = stalledGet(server.url, entriesPath, auth(leaver, hoarder));
    expect(await slow.started).toBe("HTTP/1.1 200 OK");
    slow.trickle();
    const seat = (await hoarder.owner.api.members.list.query()).find((m) => m.userId === leaver.userId)!;
    await hoarder.owner.api.members.remove.mutate({ membershipId: seat.id });
    // Read as fast as it comes: the file ends short, without the last chunk.
    expect(await slow.resume()).toEqual({ complete: false });
  });
});
