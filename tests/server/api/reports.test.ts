import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, membershipIdOf } from "../../support/api.js";
import { createCompany, type Company, type Person } from "../../support/people.js";
import { errorCodeOf, startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let acme: Company;
let ann: Person;
let bob: Person;
let ids: { site: string; app: string; client: string; tag: string };

const range = { from: at("2026-03-02", 0), to: at("2026-03-16", 0) };

beforeAll(async () => {
  server = await startTestServer({ env: { USER_RATE_LIMIT_PER_MINUTE: "100000" } });
  acme = await createCompany(server, "Acme");
  const owner = acme.owner.api;
  await owner.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000, hourlyRateCents: 5_000, currency: "EUR" });
  ann = await acme.hire("EMPLOYEE", "ann");
  bob = await acme.hire("EMPLOYEE", "bob");
  const client = await owner.clients.create.mutate({ name: "Northwind" });
  const site = await owner.projects.create.mutate({ name: "Site", clientId: client.id, hourlyRateCents: 10_000 });
  const app = await owner.projects.create.mutate({ name: "App" });
  const tag = await owner.tags.create.mutate({ name: "meeting" });
  ids = { site: site.id, app: app.id, client: client.id, tag: tag.id };
  // Rates: Ann has her own rate (8,000), and 12,000 on Site as a project member; Bob has none.
  await owner.members.setRate.mutate({ membershipId: await membershipIdOf(acme, ann.userId), hourlyRateCents: 8_000 });
  await owner.projects.addMember.mutate({ projectId: site.id, membershipId: await membershipIdOf(acme, ann.userId), hourlyRateCents: 12_000 });

  // Ann: 2h Site billable (Mon wk1), 1h App billable tagged (Tue wk1), 30 min App non-billable (Mon wk2)
  await ann.api.entries.create.mutate({ start: at("2026-03-02", 9), end: at("2026-03-02", 11), projectId: site.id, billable: true });
  await ann.api.entries.create.mutate({ start: at("2026-03-03", 9), end: at("2026-03-03", 10), projectId: app.id, billable: true, tagIds: [tag.id] });
  await ann.api.entries.create.mutate({ start: at("2026-03-09", 9), end: at("2026-03-09", 9, 30), projectId: app.id });
  // Bob: 3h Site billable (Wed wk1), 1h no project billable (Mon wk2); a running timer never counts.
  await bob.api.entries.create.mutate({ start: at("2026-03-04", 9), end: at("2026-03-04", 12), projectId: site.id, billable: true });
  await bob.api.entries.create.mutate({ start: at("2026-03-09", 13), end: at("2026-03-09", 14), billable: true });
  // Outside the range.
  await bob.api.entries.create.mutate({ start: at("2026-02-27", 9), end: at("2026-02-27", 10), billable: true });
  await bob.api.entries.create.mutate({ start: at("2026-03-10", 8), end: null });
});
afterAll(async () => {
  await server.close();
});

const H = 3600;

describe("reports", () => {
  it("totals by project with billable hours and amounts from the most specific rate", async () => {
    const r = await acme.owner.api.reports.summary.query({ ...range, groupBy: "project" });
    const byKey = Object.fromEntries(r.groups.map((g) => [g.key ?? "none", g]));
    // Site: Ann 2h at her project rate 120.00 = 240.00; Bob 3h at the project rate 100.00 = 300.00.
    expect(byKey[ids.site]).toMatchObject({ label: "Site", seconds: 5 * H, billableSeconds: 5 * H, amountCents: 54_000 });
    // App: Ann 1h billable at her member rate 80.00; 30 min not billable.
    expect(byKey[ids.app]).toMatchObject({ label: "App", seconds: 1.5 * H, billableSeconds: H, amountCents: 8_000 });
    // No project: Bob 1h at the workspace rate 50.00.
    expect(byKey.none).toMatchObject({ label: "No project", seconds: H, billableSeconds: H, amountCents: 5_000 });
    expect(r.totals).toEqual({ seconds: 7.5 * H, billableSeconds: 7 * H, amountCents: 67_000 });
    expect(r.currency).toBe("EUR");
  });

  it("totals by day, week (in the workspace's week), client and user", async () => {
    const api = acme.owner.api;
    const days = await api.reports.summary.query({ ...range, groupBy: "day" });
    expect(days.groups.map((g) => [g.key, g.seconds])).toEqual([
      ["2026-03-02", 2 * H],
      ["2026-03-03", H],
      ["2026-03-04", 3 * H],
      ["2026-03-09", 1.5 * H],
    ]);
    const weeks = await api.reports.summary.query({ ...range, groupBy: "week" });
    expect(weeks.groups.map((g) => [g.key, g.seconds])).toEqual([
      ["2026-03-02", 6 * H],
      ["2026-03-09", 1.5 * H],
    ]);
    await api.workspace.update.mutate({ weekStartsOn: 0 });
    const sundayWeeks = await api.reports.summary.query({ ...range, groupBy: "week" });
    expect(sundayWeeks.groups.map((g) => [g.key, g.seconds])).toEqual([
      ["2026-03-01", 6 * H],
      ["2026-03-08", 1.5 * H],
    ]);
    await api.workspace.update.mutate({ weekStartsOn: 1 });
    const clients = await api.reports.summary.query({ ...range, groupBy: "client" });
    expect(clients.groups.map((g) => [g.label, g.seconds])).toEqual([
      ["Northwind", 5 * H],
      ["No client", 2.5 * H],
    ]);
    const users = await api.reports.summary.query({ ...range, groupBy: "user" });
    expect(Object.fromEntries(users.groups.map((g) => [g.label, g.seconds]))).toEqual({ ann: 3.5 * H, bob: 4 * H });
  });

  it("splits each day's and week's hours by project when asked, adding up to the group", async () => {
    const api = acme.owner.api;
    const days = await api.reports.summary.query({ ...range, groupBy: "day", stackBy: "project" });
    expect(days.stacks).toEqual([
      { key: "2026-03-02", projectId: ids.site, seconds: 2 * H },
      { key: "2026-03-03", projectId: ids.app, seconds: H },
      { key: "2026-03-04", projectId: ids.site, seconds: 3 * H },
      { key: "2026-03-09", projectId: ids.app, seconds: 0.5 * H },
      { key: "2026-03-09", projectId: null, seconds: H },
    ]);
    const weeks = await api.reports.summary.query({ ...range, groupBy: "week", stackBy: "project", billable: true });
    for (const g of weeks.groups) {
      const parts = weeks.stacks!.filter((s) => s.key === g.key).reduce((n, s) => n + s.seconds, 0);
      expect(parts).toBe(g.seconds);
    }
    // Within a group the order of projects is by id (random here): compare them as a set.
    const byGroupThenProject = (a: unknown[], b: unknown[]) => String(a.slice(0, 2)).localeCompare(String(b.slice(0, 2)));
    expect(weeks.stacks!.map((s) => [s.key, s.projectId, s.seconds]).sort(byGroupThenProject)).toEqual(
      [
        ["2026-03-02", ids.site, 5 * H],
        ["2026-03-02", ids.app, H],
        ["2026-03-09", null, H],
      ].sort(byGroupThenProject),
    );
    // An employee's stacks hold their own time only.
    const mine = await ann.api.reports.summary.query({ ...range, groupBy: "week", stackBy: "project" });
    expect(mine.stacks!.reduce((n, s) => n + s.seconds, 0)).toBe(3.5 * H);
    expect((await api.reports.summary.query({ ...range, groupBy: "day" })).stacks).toBeUndefined();
  });

  it("filters by users, projects, clients, tags and billable", async () => {
    const api = acme.owner.api;
    const total = async (f: object) => (await api.reports.summary.query({ ...range, groupBy: "user", ...f })).totals.seconds;
    expect(await total({ userIds: [bob.userId] })).toBe(4 * H);
    expect(await total({ projectIds: [ids.app] })).toBe(1.5 * H);
    expect(await total({ clientIds: [ids.client] })).toBe(5 * H);
    expect(await total({ tagIds: [ids.tag] })).toBe(H);
    expect(await total({ billable: false })).toBe(0.5 * H);
  });

  it("limits employees to their own time", async () => {
    const mine = await ann.api.reports.summary.query({ ...range, groupBy: "user" });
    expect(mine.groups.map((g) => g.label)).toEqual(["ann"]);
    expect(await errorCodeOf(ann.api.reports.summary.query({ ...range, groupBy: "user", userIds: [bob.userId] }))).toBe("FORBIDDEN");
  });

  it("serves repeats from the tenant cache and recomputes after a write", async () => {
    const api = acme.owner.api;
    const input = { ...range, groupBy: "project" as const };
    const first = await api.reports.summary.query(input);
    const hits = server.services.cache.stats().hits;
    await api.reports.summary.query(input);
    expect(server.services.cache.stats().hits).toBe(hits + 1);
    await ann.api.entries.create.mutate({ start: at("2026-03-11", 9), end: at("2026-03-11", 10), projectId: ids.app });
    const after = await api.reports.summary.query(input);
    expect(after.totals.seconds).toBe(first.totals.seconds + H);
  });
  it("cuts days and weeks at midnight in the workspace's time zone", async () => {
    // Kathmandu is UTC+05:45: 18:30 UTC on Sunday 2026-03-15 is 00:15 on Monday there.
    const nepal = await createCompany(server, "Himal");
    await nepal.owner.api.workspace.update.mutate({ timezone: "Asia/Kathmandu", rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
    await nepal.owner.api.entries.create.mutate({ start: at("2026-03-15", 18, 0), end: at("2026-03-15", 18, 30) });
    await nepal.owner.api.entries.create.mutate({ start: at("2026-03-15", 18, 30), end: at("2026-03-15", 19, 30) });
    const input = { from: at("2026-03-14", 0), to: at("2026-03-17", 0) };
    const days = await nepal.owner.api.reports.summary.query({ ...input, groupBy: "day" });
    expect(days.groups.map((g) => [g.key, g.seconds])).toEqual([
      ["2026-03-15", 0.5 * H],
      ["2026-03-16", H],
    ]);
    const weeks = await nepal.owner.api.reports.summary.query({ ...input, groupBy: "week" });
    expect(weeks.groups.map((g) => [g.key, g.seconds])).toEqual([
      ["2026-03-09", 0.5 * H],
      ["2026-03-16", H],
    ]);
  });

  it("keeps a removed member's time, billed at the project's rate", async () => {
    const shop = await createCompany(server, "Shop");
    const owner = shop.owner.api;
    await owner.workspace.update.mutate({ hourlyRateCents: 4_000, rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
    const cy = await shop.hire("EMPLOYEE", "cy");
    const project = await owner.projects.create.mutate({ name: "Till", hourlyRateCents: 6_000 });
    await owner.members.setRate.mutate({ membershipId: await membershipIdOf(shop, cy.userId), hourlyRateCents: 9_000 });
    await cy.api.entries.create.mutate({ start: at("2026-03-02", 9), end: at("2026-03-02", 11), projectId: project.id, billable: true });
    await cy.api.entries.create.mutate({ start: at("2026-03-03", 9), end: at("2026-03-03", 10), billable: true });
    const before = await owner.reports.summary.query({ ...range, groupBy: "project" });
    // As a member: her own rate, 90.00, on both.
    expect(before.totals).toEqual({ seconds: 3 * H, billableSeconds: 3 * H, amountCents: 27_000 });
    await owner.members.remove.mutate({ membershipId: await membershipIdOf(shop, cy.userId) });
    const after = await owner.reports.summary.query({ ...range, groupBy: "project" });
    // Gone: 2h at Till's 60.00 and 1h at the workspace's 40.00.
    expect(after.totals).toEqual({ seconds: 3 * H, billableSeconds: 3 * H, amountCents: 16_000 });
  });
});
