import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, isEmpty, seedDemo, type DemoSummary } from "../../../server/src/seed/demo.js";
import { errorCodeOf, startTestServer, type TestServer } from "../../support/server.js";

const DAY = 86_400_000;

let server: TestServer;
let summary: DemoSummary;
let wasEmpty: boolean;
const now = new Date();

beforeAll(async () => {
  server = await startTestServer();
  wasEmpty = await isEmpty(server.services.db.prisma);
  summary = await seedDemo(server.services.db.prisma, "low", now);
});
afterAll(async () => {
  await server.close();
});

async function logIn(email: string) {
  const res = await server.client().auth.logIn.mutate({ email, password: DEMO_PASSWORD });
  return { ...res, as: (workspaceId: string) => server.client({ token: res.token, workspaceId }) };
}

describe("seedDemo", () => {
  it("seeds only what was an empty database, which is not empty afterwards", async () => {
    expect(wasEmpty).toBe(true);
    expect(await isEmpty(server.services.db.prisma)).toBe(false);
  });

  it("creates two workspaces, each with one login per role, and one person in both", async () => {
    expect(summary.workspaces).toHaveLength(2);
    expect(new Set(summary.workspaces.map((w) => w.id)).size).toBe(2);
    const inBoth: string[] = [];
    for (const ws of summary.workspaces) {
      const members = await (await logIn(ownerOf(ws.id))).as(ws.id).members.list.query();
      for (const role of ["OWNER", "ADMIN", "MANAGER", "EMPLOYEE"] as const) {
        expect(members.some((m) => m.role === role), `${ws.name} has a ${role}`).toBe(true);
      }
      inBoth.push(...members.map((m) => m.email));
    }
    const twice = [...new Set(inBoth.filter((e, i) => inBoth.indexOf(e) !== i))];
    expect(twice).toHaveLength(1);
    const both = await logIn(twice[0]!);
    const theirs = await both.as(summary.workspaces[0]!.id).auth.workspaces.query();
    expect(theirs.map((w) => w.workspaceId).sort()).toEqual(summary.workspaces.map((w) => w.id).sort());
  });

  it("every listed demo login works through auth.logIn with the demo password, and only with it", async () => {
    expect(summary.logins.length).toBeGreaterThanOrEqual(8);
    for (const { email } of summary.logins) {
      const session = await logIn(email);
      expect(session.user.email).toBe(email);
      const workspaces = await server.client({ token: session.token }).auth.workspaces.query();
      expect(workspaces.length, email).toBeGreaterThan(0);
    }
    const wrong = server.client().auth.logIn.mutate({ email: summary.logins[0]!.email, password: `${DEMO_PASSWORD}!` });
    expect(await errorCodeOf(wrong)).toBe("UNAUTHORIZED");
  });

  it("gives each workspace clients, projects with tasks, tags, and weekday entries over the last three weeks", async () => {
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    let total = 0;
    for (const ws of summary.workspaces) {
      const api = (await logIn(ownerOf(ws.id))).as(ws.id);
      const projects = (await api.projects.list.query({})).items;
      expect(projects.length).toBeGreaterThan(0);
      expect(projects.every((p) => p.clientId !== null)).toBe(true);
      expect((await api.clients.list.query({})).items.length).toBeGreaterThan(0);
      expect((await api.tasks.list.query({})).items.length).toBeGreaterThanOrEqual(projects.length);
      expect((await api.tags.list.query({})).items.length).toBeGreaterThan(0);

      const entries = (await api.entries.list.query({ page: { limit: 500, cursor: 0 } })).items;
      const members = await api.members.list.query();
      const days = new Set(entries.map((e) => e.start.toISOString().slice(0, 10)));
      // 21 days back from today hold exactly 15 weekdays; two blocks per person per weekday.
      expect(days.size).toBe(15);
      expect(entries).toHaveLength(members.length * 15 * 2);
      for (const e of entries) {
        expect(e.start.getTime()).toBeGreaterThanOrEqual(today - 21 * DAY);
        expect(e.start.getTime()).toBeLessThan(today);
        expect(e.end!.getTime()).toBeGreaterThan(e.start.getTime());
        expect([0, 6]).not.toContain(e.start.getUTCDay());
        expect(projects.map((p) => p.id)).toContain(e.projectId);
        expect(e.tagIds).toHaveLength(1);
      }
      expect(Math.min(...entries.map((e) => e.start.getTime()))).toBeLessThan(today - 14 * DAY);
      expect(new Set(entries.map((e) => e.userId))).toEqual(new Set(members.map((m) => m.userId)));
      const totals = await api.projects.totals.query();
      const bookedSeconds = entries.reduce((s, e) => s + (e.end!.getTime() - e.start.getTime()) / 1000, 0);
      expect(totals.reduce((s, t) => s + t.seconds, 0)).toBeCloseTo(bookedSeconds, 3);
      total += entries.length;
    }
    expect(summary.entries).toBe(total);
  });
});

/** The demo owner of a workspace, from the summary's login list. */
function ownerOf(workspaceId: string): string {
  const ws = summary.workspaces.find((w) => w.id === workspaceId)!;
  const login = summary.logins.find((l) => l.roles === `OWNER in ${ws.name}`);
  if (!login) throw new Error(`no owner login for ${ws.name}`);
  return login.email;
}
