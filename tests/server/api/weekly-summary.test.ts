import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWeeklySummary, type WeeklySummary } from "../../../server/src/jobs/weekly-summary.js";
import type { Mailer } from "../../../server/src/jobs/mailer.js";
import { at } from "../../support/api.js";
import { createCompany, type Company, type Person } from "../../support/people.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
const companies: { company: Company; manager: Person; worker: Person; late: Person }[] = [];
// Monday 2026-03-16 10:00 UTC: the last finished week is 2026-03-09 .. 2026-03-16.
const NOW = at("2026-03-16", 10);

beforeAll(async () => {
  server = await startTestServer({ env: { USER_RATE_LIMIT_PER_MINUTE: "100000" } });
  for (const name of ["Alpha", "Bravo", "Charlie"]) {
    const company = await createCompany(server, name);
    await company.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
    const manager = await company.hire("MANAGER", `${name}-manager`);
    const worker = await company.hire("EMPLOYEE", `${name}-worker`);
    const late = await company.hire("EMPLOYEE", `${name}-late`);
    await worker.api.entries.create.mutate({ start: at("2026-03-10", 9), end: at("2026-03-10", 12) });
    await worker.api.timesheets.submit.mutate({ periodStart: "2026-03-09" });
    await late.api.entries.create.mutate({ start: at("2026-03-11", 9), end: at("2026-03-11", 10, 30) });
    companies.push({ company, manager, worker, late });
  }
});
afterAll(async () => {
  await server.close();
});

/** A mail service that refuses one workspace's managers (as a real provider might), and records the rest. */
function mailerFailingFor(emails: Set<string>, sent: string[]): Mailer {
  return {
    send: async ({ to }) => {
      if (emails.has(to)) throw new Error(`mailbox unavailable: ${to}`);
      sent.push(to);
    },
  };
}

describe("weekly summary job", () => {
  it("summarises each workspace in its own context; one failing workspace is retried and does not stop the others", async () => {
    const [alpha, bravo, charlie] = companies;
    const failing = new Set([bravo!.manager.email.toLowerCase()]);
    const sent: string[] = [];
    const result = await runWeeklySummary(server.services.db.prisma, mailerFailingFor(failing, sent), { now: NOW, force: true, pauseMs: 1 });
    expect(result.ran).toBe(true);
    const mine = (x: { company: Company }) => [x.company.workspaceId];
    expect(result.report!.succeeded).toEqual(expect.arrayContaining([...mine(alpha!), ...mine(charlie!)]));
    expect(result.report!.failed).toEqual([expect.objectContaining({ tenantId: bravo!.company.workspaceId, attempts: 3 })]);

    for (const ok of [alpha!, charlie!]) {
      const [note] = await ok.manager.api.notifications.list.query({ unreadOnly: true });
      const body = note!.body as unknown as WeeklySummary;
      expect(body.period).toEqual({ start: "2026-03-09", end: "2026-03-16" });
      expect(Object.fromEntries(body.hoursByUser.map((h) => [h.userId, h.hours]))).toEqual({ [ok.worker.userId]: 3, [ok.late.userId]: 1.5 });
      expect(body.missingTimesheets.map((m) => m.userId)).toEqual(expect.arrayContaining([ok.late.userId, ok.manager.userId]));
      expect(body.missingTimesheets.map((m) => m.userId)).not.toContain(ok.worker.userId);
      expect(body.pendingApprovals).toBe(1);
      // Nothing of another workspace in it.
      const text = JSON.stringify(note);
      for (const other of companies.filter((c) => c !== ok)) {
        expect(text).not.toContain(other.worker.userId);
        expect(text).not.toContain(other.company.workspaceId);
      }
      expect(sent).toContain(ok.manager.email.toLowerCase());
    }
    // The failing workspace kept nothing half-done: its notifications were rolled back with the failed attempt.
    expect(await bravo!.manager.api.notifications.list.query({ unreadOnly: false })).toEqual([]);
    // Employees get no summary.
    expect(await alpha!.worker.api.notifications.list.query({ unreadOnly: false })).toEqual([]);
  });

  it("runs once per week however many processes try, unless forced", async () => {
    const later = new Date(NOW.getTime() + 7 * 86_400_000);
    const tries = await Promise.all([1, 2, 3].map(() => runWeeklySummary(server.services.db.prisma, { send: async () => {} }, { now: later, pauseMs: 1 })));
    expect(tries.filter((t) => t.ran)).toHaveLength(1);
    expect((await runWeeklySummary(server.services.db.prisma, { send: async () => {} }, { now: later })).ran).toBe(false);
    expect((await runWeeklySummary(server.services.db.prisma, { send: async () => {} }, { now: later, force: true, pauseMs: 1 })).ran).toBe(true);
  });

  it("lets a manager mark a notification read", async () => {
    const { manager } = companies[0]!;
    const [note] = await manager.api.notifications.list.query({ unreadOnly: true });
    await manager.api.notifications.markRead.mutate({ id: note!.id });
    const unread = await manager.api.notifications.list.query({ unreadOnly: true });
    expect(unread.map((n) => n.id)).not.toContain(note!.id);
  });
});
