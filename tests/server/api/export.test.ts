import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRY_COLUMNS, ENTRY_PAGE } from "../../../server/src/export/entries-csv.js";
import { REPORT_COLUMNS } from "../../../server/src/export/report-csv.js";
import { allPages, at, membershipIdOf } from "../../support/api.js";
import { download, streamDownload, type ExportAuth } from "../../support/csv-export.js";
import { deniedTally } from "../../support/denials.js";
import { createCompany, type Company, type Person } from "../../support/people.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let acme: Company;
let ann: Person;
let bob: Person;
let mia: Person;
let ids: { site: string; app: string; client: string; task: string };

const range = { from: "2026-03-02", to: "2026-03-16" };
const NASTY = 'Café "Zürich", naïve — 日本語, 50% done';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TWO_DECIMALS = /^\d+\.\d{2}$/;

const as = (p: Person): ExportAuth => ({ token: p.token, workspaceId: acme.workspaceId });
const entries = (p: Person, query: Record<string, string | undefined> = {}) => download(server.url, "entries.csv", as(p), { ...range, ...query });

beforeAll(async () => {
  server = await startTestServer({ env: { USER_RATE_LIMIT_PER_MINUTE: "100000" } });
  acme = await createCompany(server, "Acme");
  const owner = acme.owner.api;
  await owner.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000, hourlyRateCents: 5_000, currency: "EUR" });
  ann = await acme.hire("EMPLOYEE", "ann");
  bob = await acme.hire("EMPLOYEE", "bob");
  mia = await acme.hire("MANAGER", "mia");
  const client = await owner.clients.create.mutate({ name: "Northwind" });
  const site = await owner.projects.create.mutate({ name: "Site", clientId: client.id, hourlyRateCents: 10_000 });
  const app = await owner.projects.create.mutate({ name: "App" });
  const task = await owner.tasks.create.mutate({ projectId: site.id, name: "Build" });
  const meeting = await owner.tags.create.mutate({ name: "meeting" });
  const urgent = await owner.tags.create.mutate({ name: "urgent" });
  ids = { site: site.id, app: app.id, client: client.id, task: task.id };
  await owner.members.setRate.mutate({ membershipId: await membershipIdOf(acme, ann.userId), hourlyRateCents: 8_000 });

  // Ann: 2h on Site/Build, tagged, with a description that needs quoting; 1h20 on App; 30 min on App, not billable;
  // 45 min at night (02:00 UTC, the evening before in New York) whose description looks like a formula.
  await ann.api.entries.create.mutate({
    start: at("2026-03-02", 9),
    end: at("2026-03-02", 11),
    projectId: site.id,
    taskId: task.id,
    billable: true,
    tagIds: [urgent.id, meeting.id],
    description: NASTY,
  });
  await ann.api.entries.create.mutate({ start: at("2026-03-03", 9), end: at("2026-03-03", 10, 20), projectId: app.id, billable: true });
  await ann.api.entries.create.mutate({ start: at("2026-03-09", 9), end: at("2026-03-09", 9, 30), projectId: app.id });
  await ann.api.entries.create.mutate({ start: at("2026-03-06", 2), end: at("2026-03-06", 2, 45), description: "=1+2" });
  // Bob: 3h on Site, 1h without a project, one outside the range and a running timer.
  await bob.api.entries.create.mutate({ start: at("2026-03-04", 9), end: at("2026-03-04", 12), projectId: site.id, billable: true });
  await bob.api.entries.create.mutate({ start: at("2026-03-09", 13), end: at("2026-03-09", 14), billable: true });
  await bob.api.entries.create.mutate({ start: at("2026-02-27", 9), end: at("2026-02-27", 10), billable: true });
  await bob.api.entries.create.mutate({ start: at("2026-03-10", 8), end: null });
});
afterAll(async () => {
  await server.close();
});

describe("GET /export/entries.csv", () => {
  it("sends every entry of the range as a UTF-8 CSV attachment with a header row", async () => {
    const res = await entries(acme.owner);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="hoursync-entries-2026-03-02-2026-03-16.csv"');
    expect(res.header).toEqual([...ENTRY_COLUMNS]);
    expect(res.rows).toHaveLength(7);
    // Oldest first.
    const starts = res.rows.map((r) => r.start!);
    expect([...starts].sort()).toEqual(starts);
    for (const r of res.rows) {
      expect(r.date).toMatch(ISO_DATE);
      expect(r.start).toMatch(ISO_INSTANT);
      expect(["true", "false"]).toContain(r.billable);
    }
    const finished = res.rows.filter((r) => r.end !== "");
    expect(finished).toHaveLength(6);
    for (const r of finished) {
      expect(r.end).toMatch(ISO_INSTANT);
      expect(r.duration_hours).toMatch(TWO_DECIMALS);
    }

    expect(res.rows[0]).toEqual({
      date: "2026-03-02",
      start: "2026-03-02T09:00:00.000Z",
      end: "2026-03-02T11:00:00.000Z",
      duration_hours: "2.00",
      user_name: "ann",
      user_email: ann.email,
      project: "Site",
      client: "Northwind",
      task: "Build",
      description: NASTY,
      tags: "meeting;urgent",
      billable: "true",
    });
    const byStart = Object.fromEntries(res.rows.map((r) => [r.start, r]));
    expect(byStart["2026-03-03T09:00:00.000Z"]).toMatchObject({ duration_hours: "1.33", project: "App", client: "", task: "", tags: "" });
    expect(byStart["2026-03-09T09:00:00.000Z"]).toMatchObject({ duration_hours: "0.50", billable: "false" });
    expect(byStart["2026-03-09T13:00:00.000Z"]).toMatchObject({ user_name: "bob", user_email: bob.email, project: "", duration_hours: "1.00" });
    // A running timer is exported with an empty end and duration.
    expect(byStart["2026-03-10T08:00:00.000Z"]).toMatchObject({ user_name: "bob", end: "", duration_hours: "" });
    expect(byStart["2026-02-27T09:00:00.000Z"]).toBeUndefined();
  });

  it("round-trips non-ASCII text, commas and quotes, and defuses spreadsheet formulas", async () => {
    const res = await entries(acme.owner);
    // Quoted as CSV needs, as UTF-8 bytes (download() decodes strictly).
    expect(res.text).toContain(`"Café ""Zürich"", naïve — 日本語, 50% done"`);
    expect(res.rows.map((r) => r.description)).toContain(NASTY);
    expect(res.rows.find((r) => r.start === "2026-03-06T02:00:00.000Z")?.description).toBe("'=1+2");
  });

  it("defuses cells that start with white space before = + - @, or with a tab or carriage return", async () => {
    const { owner, workspaceId } = await createCompany(server, "Spreadsheet");
    const risky = [" =1+2", "  +SUM(A1)", "\u00a0-2+3", "\u3000@cmd", "\n=HYPERLINK(\"http://x\")", "\tplain", "\rplain", " \t=1"];
    for (const [i, description] of risky.entries()) {
      await owner.api.entries.create.mutate({ start: at("2026-03-02", i), end: at("2026-03-02", i, 30), description });
    }
    await owner.api.entries.create.mutate({ start: at("2026-03-03", 9), end: at("2026-03-03", 10), description: "a = b, fine" });
    const res = await download(server.url, "entries.csv", { token: owner.token, workspaceId }, range);
    expect(res.rows.map((r) => r.description)).toEqual([...risky.map((d) => `'${d}`), "a = b, fine"]);
  });

  it("filters by user and by project", async () => {
    const bobs = await entries(acme.owner, { userId: bob.userId });
    expect(bobs.rows).toHaveLength(3);
    expect(new Set(bobs.rows.map((r) => r.user_email))).toEqual(new Set([bob.email]));
    const app = await entries(acme.owner, { projectId: ids.app });
    expect(app.rows.map((r) => r.start)).toEqual(["2026-03-03T09:00:00.000Z", "2026-03-09T09:00:00.000Z"]);
  });

  it("gives employees their own rows only and refuses anyone else's", async () => {
    const mine = await entries(ann);
    expect(mine.status).toBe(200);
    expect(mine.rows).toHaveLength(4);
    expect(new Set(mine.rows.map((r) => r.user_email))).toEqual(new Set([ann.email]));
    expect((await entries(ann, { userId: ann.userId })).rows).toHaveLength(4);

    const theirs = await entries(ann, { userId: bob.userId });
    expect(theirs.status).toBe(403);
    expect(theirs.json).toEqual({ error: "You can only export your own entries" });
    const bobsOwn = await entries(bob);
    expect(bobsOwn.rows.map((r) => r.user_name)).toEqual(["bob", "bob", "bob"]);
  });

  it("gives a manager everyone's rows", async () => {
    const res = await entries(mia);
    expect(res.rows).toHaveLength(7);
    expect(new Set(res.rows.map((r) => r.user_name))).toEqual(new Set(["ann", "bob"]));
    expect((await entries(mia, { userId: ann.userId })).rows).toHaveLength(4);
  });

  it("dates rows, and reads date-only bounds, in the workspace's time zone", async () => {
    const before = await entries(acme.owner);
    expect(before.rows.find((r) => r.start === "2026-03-06T02:00:00.000Z")?.date).toBe("2026-03-06");
    await acme.owner.api.workspace.update.mutate({ timezone: "America/New_York" });
    try {
      const local = await entries(acme.owner);
      expect(local.rows.find((r) => r.start === "2026-03-06T02:00:00.000Z")?.date).toBe("2026-03-05");
      // 2026-03-06 starts at 05:00 UTC in New York: the 02:00 UTC entry belongs to the 5th.
      const sixth = await entries(acme.owner, { from: "2026-03-06", to: "2026-03-07" });
      expect(sixth.rows).toEqual([]);
      const fifth = await entries(acme.owner, { from: "2026-03-05", to: "2026-03-06" });
      expect(fifth.rows.map((r) => r.start)).toEqual(["2026-03-06T02:00:00.000Z"]);
      // Full instants are taken as they are.
      const utc = await entries(acme.owner, { from: "2026-03-06T00:00:00Z", to: "2026-03-07T00:00:00Z" });
      expect(utc.rows.map((r) => r.start)).toEqual(["2026-03-06T02:00:00.000Z"]);
    } finally {
      await acme.owner.api.workspace.update.mutate({ timezone: "UTC" });
    }
  });
});

describe("who may export", () => {
  type AuditRow = Awaited<ReturnType<Person["api"]["workspace"]["auditLog"]["query"]>>["items"][number];
  const deniedIn = async (company: Company): Promise<AuditRow[]> =>
    (await allPages((cursor) => company.owner.api.workspace.auditLog.query({ action: "access.denied", page: { limit: 50, cursor } }))).items;

  it("answers a user of another workspace naming this one 404, and logs access.denied in the target workspace", async () => {
    const other = await createCompany(server, "Other");
    const before = (await deniedIn(acme)).length;
    const intruder = { token: other.owner.token, workspaceId: acme.workspaceId };
    const list = await download(server.url, "entries.csv", intruder, range);
    expect(list.status).toBe(404);
    expect(list.json).toEqual({ error: "Workspace not found" });
    expect(list.text).not.toContain(ann.email);
    const report = await download(server.url, "report.csv", intruder, { ...range, groupBy: "user" });
    expect(report.status).toBe(404);

    const denied = await deniedIn(acme);
    expect(denied.length).toBeGreaterThan(before);
    expect(await deniedTally(acme.owner.api, other.owner.userId)).toMatchObject({
      count: 2,
      procedures: { "export.entries": 1, "export.report": 1 },
      reasons: ["not a member"],
    });
    expect(await deniedIn(other)).toEqual([]);
  });

  it("answers 401 without a valid token and 400 without a workspace", async () => {
    for (const auth of [{ workspaceId: acme.workspaceId }, { authorization: "Bearer hs_nonsense", workspaceId: acme.workspaceId }, { authorization: `Basic ${acme.owner.token}`, workspaceId: acme.workspaceId }]) {
      const res = await download(server.url, "entries.csv", auth, range);
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: "Sign in first" });
    }
    expect((await download(server.url, "report.csv", {}, { ...range, groupBy: "day" })).status).toBe(401);
    const unnamed = await download(server.url, "entries.csv", { token: acme.owner.token }, range);
    expect(unnamed.status).toBe(400);
    const ghost = await download(server.url, "entries.csv", { token: acme.owner.token, workspaceId: randomUUID() }, range);
    expect(ghost.status).toBe(404);
  });

  it("answers 429 with Retry-After once the workspace is over its budget", async () => {
    const small = await createCompany(server, "Small");
    await small.owner.api.workspace.update.mutate({ rateLimitPerMinute: 10 });
    const auth = { token: small.owner.token, workspaceId: small.workspaceId };
    let limited: Awaited<ReturnType<typeof download>> | null = null;
    for (let i = 0; i < 30 && !limited; i++) {
      const res = await download(server.url, "entries.csv", auth, range);
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(200);
    }
    expect(limited).not.toBeNull();
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited!.headers.get("retry-after"))).toBeLessThanOrEqual(60);
  });
});

describe("query validation", () => {
  const fieldsOf = (json: unknown) => Object.keys((json as { fields?: Record<string, string[]> }).fields ?? {}).sort();

  it("answers 400 naming the wrong fields, and nothing of the database", async () => {
    const cases: [string, Record<string, string | undefined>, string[]][] = [
      ["entries.csv", { from: "yesterday", to: "2026-03-16" }, ["from"]],
      ["entries.csv", { from: "2026-03-16", to: "2026-03-02" }, ["to"]],
      ["entries.csv", { from: "2026-03-02", to: "2026-03-02" }, ["to"]],
      ["entries.csv", { from: "2026-02-30", to: "2026-03-02" }, ["from"]],
      ["entries.csv", { from: "2026-03-02T09:00:00", to: "2026-03-16" }, ["from"]],
      ["entries.csv", { from: "1969-12-31", to: "2026-03-16" }, ["from"]],
      ["entries.csv", {}, ["from", "to"]],
      ["entries.csv", { ...range, userId: "1 OR 1=1", projectId: "x'; DROP TABLE time_entries;--" }, ["projectId", "userId"]],
      ["report.csv", { ...range }, ["groupBy"]],
      ["report.csv", { ...range, groupBy: "month", billable: "maybe" }, ["billable", "groupBy"]],
      ["report.csv", { from: "2026-03-02", groupBy: "day" }, ["to"]],
    ];
    for (const [file, query, fields] of cases) {
      const res = await download(server.url, file, { token: acme.owner.token, workspaceId: acme.workspaceId }, query);
      expect(res.status, `${file} ${JSON.stringify(query)}`).toBe(400);
      expect(fieldsOf(res.json), `${file} ${JSON.stringify(query)}`).toEqual(fields);
      expect(res.text).not.toMatch(/SELECT|prisma|\bat \S+ \(/i);
    }
  });

  it("refuses a field given twice", async () => {
    const res = await fetch(`${server.url}/export/entries.csv?from=2026-03-02&from=2026-03-03&to=2026-03-16`, {
      headers: { authorization: `Bearer ${acme.owner.token}`, "x-hoursync-workspace": acme.workspaceId },
    });
    expect(res.status).toBe(400);
    expect(Object.keys(((await res.json()) as { fields: object }).fields)).toEqual(["from"]);
  });
});

describe("GET /export/report.csv", () => {
  const instants = { from: at(range.from, 0), to: at(range.to, 0) };

  async function compare(p: Person, groupBy: "project" | "client" | "user" | "day" | "week", billable?: boolean) {
    const summary = await p.api.reports.summary.query({ ...instants, groupBy, billable });
    const res = await download(server.url, "report.csv", as(p), { ...range, groupBy, billable: billable === undefined ? undefined : String(billable) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="hoursync-report-${groupBy}-2026-03-02-2026-03-16.csv"`);
    expect(res.header).toEqual([...REPORT_COLUMNS]);
    expect(res.rows).toEqual(
      summary.groups.map((g) => ({
        key: g.key ?? "",
        label: g.label,
        hours: (g.seconds / 3600).toFixed(2),
        billable_hours: (g.billableSeconds / 3600).toFixed(2),
        amount: (g.amountCents / 100).toFixed(2),
        currency: summary.currency,
      })),
    );
    const sum = (col: "hours" | "billable_hours" | "amount") => res.rows.reduce((t, r) => t + Number(r[col]), 0);
    expect(sum("hours")).toBeCloseTo(summary.totals.seconds / 3600, 1);
    expect(sum("amount")).toBeCloseTo(summary.totals.amountCents / 100, 2);
    return res;
  }

  it("matches reports.summary for every grouping", async () => {
    const byProject = await compare(acme.owner, "project");
    expect(byProject.rows.find((r) => r.key === ids.site)).toEqual({
      key: ids.site,
      label: "Site",
      hours: "5.00",
      billable_hours: "5.00",
      // Ann's 2h at her own rate (80.00) and Bob's 3h at the project's (100.00).
      amount: "460.00",
      currency: "EUR",
    });
    expect(byProject.rows.find((r) => r.key === "")).toMatchObject({ label: "No project", hours: "1.75" });
    await compare(acme.owner, "client");
    await compare(acme.owner, "user");
    await compare(acme.owner, "day");
    await compare(acme.owner, "week");
    await compare(acme.owner, "project", true);
    await compare(acme.owner, "user", false);
    await compare(mia, "user");
  });

  it("takes the report's filters (users, projects, clients, tags) as comma-separated ids", async () => {
    const filter = { userIds: [ann.userId, bob.userId], projectIds: [ids.site, ids.app], clientIds: [ids.client] };
    const summary = await acme.owner.api.reports.summary.query({ ...instants, groupBy: "project", ...filter });
    const res = await download(server.url, "report.csv", as(acme.owner), {
      ...range,
      groupBy: "project",
      userIds: filter.userIds.join(","),
      projectIds: filter.projectIds.join(","),
      clientIds: filter.clientIds.join(","),
    });
    expect(res.status).toBe(200);
    expect(res.rows.map((r) => [r.key, r.hours])).toEqual(summary.groups.map((g) => [g.key ?? "", (g.seconds / 3600).toFixed(2)]));
    expect(res.rows.map((r) => r.key)).toEqual([ids.site]);
    expect((await download(server.url, "report.csv", as(acme.owner), { ...range, groupBy: "day", userIds: "not-an-id" })).status).toBe(400);
  });

  it("limits employees to their own time", async () => {
    const mine = await compare(ann, "user");
    expect(mine.rows.map((r) => r.label)).toEqual(["ann"]);
    await compare(ann, "project");
  });
});

describe("a large export", () => {
  const COUNT = 5_000;
  let big: Company;
  const bigAuth = () => ({ token: big.owner.token, workspaceId: big.workspaceId });
  const year = { from: "2025-01-01", to: "2026-03-01" };

  beforeAll(async () => {
    big = await createCompany(server, "Big");
    const api = big.owner.api;
    await api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
    const clientId = randomUUID();
    await api.sync.registerClient.mutate({ clientId, name: "laptop" });
    const first = at("2025-01-01", 0).getTime();
    const HOUR = 3_600_000;
    // A year and more of 1h15 entries every two hours, pushed as a device would, 1,000 at a time.
    for (let batch = 0; batch < COUNT / 1000; batch++) {
      const mutations = Array.from({ length: 1000 }, (_, j) => {
        const i = batch * 1000 + j;
        const start = new Date(first + i * 2 * HOUR);
        return {
          mutationId: i + 1,
          name: "entry.put",
          args: {
            id: randomUUID(),
            start: start.toISOString(),
            end: new Date(start.getTime() + HOUR + 15 * 60_000).toISOString(),
            description: `entry ${i}`,
            billable: i % 2 === 0,
          },
        };
      });
      const res = await api.sync.push.mutate({ clientId, mutations });
      expect(res.results.every((r) => r.status === "applied")).toBe(true);
    }
  }, 240_000);

  it("streams 5,000 entries pushed through sync completely, reading them page by page", { timeout: 120_000 }, async () => {
    const pageStatements = () => server.statements.filter((s) => s.includes("FROM time_entries t")).length;
    const before = pageStatements();
    let rows = 0;
    let last = "";
    let ordered = true;
    let billable = 0;
    const res = await streamDownload(server.url, "entries.csv", bigAuth(), year, (row) => {
      if (row.start! <= last) ordered = false;
      last = row.start!;
      if (row.billable === "true") billable++;
      expect(row.duration_hours).toBe("1.25");
      expect(row.description).toBe(`entry ${rows}`);
      rows++;
    });
    expect(res.status).toBe(200);
    // Streamed: chunked, with no length known up front.
    expect(res.headers.get("transfer-encoding")).toBe("chunked");
    expect(res.headers.get("content-length")).toBeNull();
    expect(rows).toBe(COUNT);
    expect(ordered).toBe(true);
    expect(billable).toBe(COUNT / 2);
    // Keyset pages of ENTRY_PAGE rows, the last one short.
    expect(pageStatements() - before).toBe(Math.floor(COUNT / ENTRY_PAGE) + 1);
  });

  it("lets go of its transaction when the client leaves mid-download", { timeout: 60_000 }, async () => {
    const controller = new AbortController();
    const url = new URL("/export/entries.csv", server.url);
    for (const [k, v] of Object.entries(year)) url.searchParams.set(k, v);
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${big.owner.token}`, "x-hoursync-workspace": big.workspaceId },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    await res.body!.getReader().read();
    controller.abort();
    // The server goes on answering at once (PGlite has one session: a transaction left open would block this).
    const started = Date.now();
    const report = await download(server.url, "report.csv", bigAuth(), { ...year, groupBy: "week" });
    expect(report.status).toBe(200);
    expect(report.rows.length).toBeGreaterThan(50);
    expect(Date.now() - started).toBeLessThan(8_000);
    const again = await download(server.url, "entries.csv", bigAuth(), year);
    expect(again.rows).toHaveLength(COUNT);
  });
});
