import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at } from "../../support/api.js";
import { createCompany, type Company, type Person } from "../../support/people.js";
import { errorCodeOf, rejectionOf, startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let acme: Company;
let employee: Person;
let manager: Person;
let admin: Person;

beforeAll(async () => {
  server = await startTestServer({ env: { USER_RATE_LIMIT_PER_MINUTE: "100000" } });
  acme = await createCompany(server, "Acme");
  await acme.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
  employee = await acme.hire("EMPLOYEE");
  manager = await acme.hire("MANAGER");
  admin = await acme.hire("ADMIN");
});
afterAll(async () => {
  await server.close();
});

const reasonOf = async (call: Promise<unknown>) => (await rejectionOf(call)).data?.reason;

describe("timesheets", () => {
  it("goes from submitted to withdrawn, resubmitted and approved, with totals per day and project and a history", async () => {
    const project = await acme.owner.api.projects.create.mutate({ name: "Site" });
    await employee.api.entries.create.mutate({ start: at("2026-03-02", 9), end: at("2026-03-02", 11), projectId: project.id });
    await employee.api.entries.create.mutate({ start: at("2026-03-03", 9), end: at("2026-03-03", 9, 30) });
    await employee.api.entries.create.mutate({ start: at("2026-03-09", 9), end: at("2026-03-09", 10) }); // next week

    expect(await errorCodeOf(employee.api.timesheets.submit.mutate({ periodStart: "2026-03-03" }))).toBe("BAD_REQUEST");
    const sheet = await employee.api.timesheets.submit.mutate({ periodStart: "2026-03-02" });
    expect(sheet).toMatchObject({ status: "SUBMITTED", periodStart: "2026-03-02", periodEnd: "2026-03-09" });
    expect((await manager.api.timesheets.pending.query()).map((s) => s.id)).toContain(sheet.id);

    expect((await employee.api.timesheets.withdraw.mutate({ id: sheet.id })).status).toBe("WITHDRAWN");
    expect((await manager.api.timesheets.pending.query()).map((s) => s.id)).not.toContain(sheet.id);
    expect(await errorCodeOf(manager.api.timesheets.approve.mutate({ id: sheet.id }))).toBe("CONFLICT");
    await employee.api.timesheets.submit.mutate({ periodStart: "2026-03-02" });

    const opened = await manager.api.timesheets.get.query({ id: sheet.id });
    expect(opened.entries).toHaveLength(2);
    expect(opened.totals).toEqual({
      byDay: { "2026-03-02": 7200, "2026-03-03": 1800 },
      byProject: { [project.id]: 7200, none: 1800 },
      totalSeconds: 9000,
    });

    expect((await manager.api.timesheets.approve.mutate({ id: sheet.id })).status).toBe("APPROVED");
    expect(await errorCodeOf(employee.api.timesheets.withdraw.mutate({ id: sheet.id }))).toBe("CONFLICT");
    const history = await employee.api.timesheets.history.query({ id: sheet.id });
    expect(history.map((h) => h.action)).toEqual([
      "timesheet.submitted",
      "timesheet.withdrawn",
      "timesheet.submitted",
      "timesheet.approved",
    ]);
  });

  it("locks an approved week against every change, through the API and through sync, until an admin reopens it", async () => {
    const person = await acme.hire("EMPLOYEE");
    const inside = await person.api.entries.create.mutate({ start: at("2026-03-16", 9), end: at("2026-03-16", 10) });
    const outside = await person.api.entries.create.mutate({ start: at("2026-03-23", 9), end: at("2026-03-23", 10) });
    const sheet = await person.api.timesheets.submit.mutate({ periodStart: "2026-03-16" });
    await manager.api.timesheets.approve.mutate({ id: sheet.id });

    expect(await reasonOf(person.api.entries.create.mutate({ start: at("2026-03-17", 9), end: at("2026-03-17", 10) }))).toBe("LOCKED_PERIOD");
    expect(await reasonOf(person.api.entries.update.mutate({ id: inside.id, description: "changed" }))).toBe("LOCKED_PERIOD");
    expect(await reasonOf(person.api.entries.update.mutate({ id: outside.id, start: at("2026-03-18", 9), end: at("2026-03-18", 10) }))).toBe("LOCKED_PERIOD");
    expect(await reasonOf(person.api.entries.delete.mutate({ id: inside.id }))).toBe("LOCKED_PERIOD");
    await person.api.entries.update.mutate({ id: outside.id, description: "still open" });

    // A device that was offline all along pushes its late changes: refused with the typed reason.
    const clientId = randomUUID();
    await person.api.sync.registerClient.mutate({ clientId, name: "laptop" });
    const late = await person.api.sync.push.mutate({
      clientId,
      mutations: [
        { mutationId: 1, name: "entry.put", args: { id: randomUUID(), start: at("2026-03-19", 9).toISOString(), end: at("2026-03-19", 10).toISOString() } },
        { mutationId: 2, name: "entry.delete", args: { id: inside.id } },
        { mutationId: 3, name: "entry.put", args: { id: randomUUID(), start: at("2026-03-24", 9).toISOString(), end: at("2026-03-24", 10).toISOString() } },
      ],
    });
    expect(late.results.map((r) => (r.status === "rejected" ? r.reason : r.status))).toEqual(["LOCKED_PERIOD", "LOCKED_PERIOD", "applied"]);
    expect((await person.api.entries.get.query({ id: inside.id })).description).toBe("");

    expect(await errorCodeOf(manager.api.timesheets.reopen.mutate({ id: sheet.id }))).toBe("FORBIDDEN");
    expect((await admin.api.timesheets.reopen.mutate({ id: sheet.id })).status).toBe("REOPENED");
    await person.api.entries.update.mutate({ id: inside.id, description: "fixed after reopening" });
    const log = await acme.owner.api.workspace.auditLog.query({ action: "timesheet.reopened" });
    expect(log.items.map((e) => e.targetId)).toContain(sheet.id);
  });

  it("lets nobody approve their own timesheet, and employees approve nothing; a rejection's comment reaches the employee", async () => {
    await manager.api.entries.create.mutate({ start: at("2026-04-06", 9), end: at("2026-04-06", 10) });
    const own = await manager.api.timesheets.submit.mutate({ periodStart: "2026-04-06" });
    expect(await errorCodeOf(manager.api.timesheets.approve.mutate({ id: own.id }))).toBe("FORBIDDEN");
    expect((await manager.api.timesheets.pending.query()).map((s) => s.id)).not.toContain(own.id);
    expect((await admin.api.timesheets.approve.mutate({ id: own.id })).status).toBe("APPROVED");

    const sheet = await employee.api.timesheets.submit.mutate({ periodStart: "2026-04-13" });
    expect(await errorCodeOf(employee.api.timesheets.approve.mutate({ id: sheet.id }))).toBe("FORBIDDEN");
    expect(await errorCodeOf(manager.api.timesheets.reject.mutate({ id: sheet.id, comment: " " }))).toBe("BAD_REQUEST");
    await manager.api.timesheets.reject.mutate({ id: sheet.id, comment: "Tuesday is missing" });
    const mine = await employee.api.timesheets.mine.query();
    expect(mine.find((s) => s.id === sheet.id)).toMatchObject({ status: "REJECTED", comment: "Tuesday is missing" });
    expect((await employee.api.timesheets.submit.mutate({ periodStart: "2026-04-13" })).status).toBe("SUBMITTED");
  });

  it("lets only project managers decide when approvals go by project", async () => {
    const company = await createCompany(server, "ByProject");
    await company.owner.api.workspace.update.mutate({ approvalMode: "PROJECT_MANAGERS", rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
    const worker = await company.hire("EMPLOYEE");
    const lead = await company.hire("MANAGER");
    const [p1, p2] = [await company.owner.api.projects.create.mutate({ name: "P1" }), await company.owner.api.projects.create.mutate({ name: "P2" })];
    const members = await company.owner.api.members.list.query();
    const leadMembership = members.find((m) => m.userId === lead.userId)!.id;
    await company.owner.api.projects.addMember.mutate({ projectId: p1.id, membershipId: leadMembership, isManager: true });

    await worker.api.entries.create.mutate({ start: at("2026-05-04", 9), end: at("2026-05-04", 10), projectId: p1.id });
    const onlyP1 = await worker.api.timesheets.submit.mutate({ periodStart: "2026-05-04" });
    await worker.api.entries.create.mutate({ start: at("2026-05-11", 9), end: at("2026-05-11", 10), projectId: p1.id });
    await worker.api.entries.create.mutate({ start: at("2026-05-12", 9), end: at("2026-05-12", 10), projectId: p2.id });
    const mixed = await worker.api.timesheets.submit.mutate({ periodStart: "2026-05-11" });

    expect((await lead.api.timesheets.approve.mutate({ id: onlyP1.id })).status).toBe("APPROVED");
    expect(await errorCodeOf(lead.api.timesheets.approve.mutate({ id: mixed.id }))).toBe("FORBIDDEN");
    expect((await company.owner.api.timesheets.approve.mutate({ id: mixed.id })).status).toBe("APPROVED");
  });

  it("locks everything before the workspace's lock date and, with a grace period, periods that ended long enough ago", async () => {
    const company = await createCompany(server, "Locks");
    await company.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
    const worker = await company.hire("EMPLOYEE");
    const old = await worker.api.entries.create.mutate({ start: at("2026-01-05", 9), end: at("2026-01-05", 10) });
    await company.owner.api.workspace.update.mutate({ lockBefore: "2026-02-01" });
    expect(await reasonOf(worker.api.entries.update.mutate({ id: old.id, description: "late fix" }))).toBe("LOCKED_PERIOD");
    expect(await reasonOf(worker.api.entries.create.mutate({ start: at("2026-01-31", 9), end: at("2026-01-31", 10) }))).toBe("LOCKED_PERIOD");
    await worker.api.entries.create.mutate({ start: at("2026-02-01", 9), end: at("2026-02-01", 10) });

    await company.owner.api.workspace.update.mutate({ lockBefore: null });
    await worker.api.entries.update.mutate({ id: old.id, description: "open again" });
    await company.owner.api.workspace.update.mutate({ lockGraceDays: 3 });
    expect(await reasonOf(worker.api.entries.update.mutate({ id: old.id, description: "too late" }))).toBe("LOCKED_PERIOD");
    const now = new Date();
    const longAgo = new Date(now.getTime() - 30 * 86_400_000);
    expect(await reasonOf(worker.api.entries.create.mutate({ start: longAgo, end: new Date(longAgo.getTime() + 3_600_000) }))).toBe("LOCKED_PERIOD");
    const recent = new Date(now.getTime() - 3_600_000 * 2);
    await worker.api.entries.create.mutate({ start: recent, end: new Date(recent.getTime() + 1_800_000) });
  });
});
