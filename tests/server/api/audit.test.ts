import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allPages, membershipIdOf, uniqueEmail } from "../../support/api.js";
import { deniedTally } from "../../support/denials.js";
import { createCompany, type Company, type Person } from "../../support/people.js";
import { errorCodeOf, startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

type AuditRow = Awaited<ReturnType<Person["api"]["workspace"]["auditLog"]["query"]>>["items"][number];

async function auditLog(admin: Person, action?: string): Promise<AuditRow[]> {
  return (await allPages((cursor) => admin.api.workspace.auditLog.query({ action, page: { limit: 50, cursor } }))).items;
}

describe("audit log", () => {
  it("records every admin action with tenant, actor, action, target and time", async () => {
    const company = await createCompany(server, "Audited");
    const admin = await company.hire("ADMIN");
    const employee = await company.hire("EMPLOYEE");
    const api = admin.api;
    const since = new Date(Date.now() - 1000);
    const expected: [string, string][] = [];
    const did = (action: string, targetId: string) => expected.push([action, targetId]);

    await api.workspace.update.mutate({ name: "Audited Co", currency: "USD" });
    did("workspace.updated", company.workspaceId);
    const inv = await api.members.invite.mutate({ email: uniqueEmail("later"), role: "MANAGER" });
    did("member.invited", inv.invitationId);
    await api.members.revokeInvitation.mutate({ id: inv.invitationId });
    did("member.invitation_revoked", inv.invitationId);
    const employeeMembership = await membershipIdOf(company, employee.userId);
    await api.members.changeRole.mutate({ membershipId: employeeMembership, role: "MANAGER" });
    did("member.role_changed", employeeMembership);
    await api.members.setRate.mutate({ membershipId: employeeMembership, hourlyRateCents: 5000 });
    did("member.rate_changed", employeeMembership);

    const client = await api.clients.create.mutate({ name: "Client" });
    did("client.created", client.id);
    await api.clients.update.mutate({ id: client.id, archived: true });
    did("client.updated", client.id);
    const project = await api.projects.create.mutate({ name: "Project" });
    did("project.created", project.id);
    await api.projects.update.mutate({ id: project.id, billable: false });
    did("project.updated", project.id);
    await api.projects.addMember.mutate({ projectId: project.id, membershipId: employeeMembership, hourlyRateCents: 100 });
    did("project.member_added", project.id);
    expect((await api.projects.members.query({ projectId: project.id })).map((m) => m.userId)).toEqual([employee.userId]);
    await api.projects.removeMember.mutate({ projectId: project.id, membershipId: employeeMembership });
    did("project.member_removed", project.id);
    const task = await api.tasks.create.mutate({ projectId: project.id, name: "Task" });
    did("task.created", task.id);
    await api.tasks.update.mutate({ id: task.id, done: true });
    did("task.updated", task.id);
    await api.tasks.delete.mutate({ id: task.id });
    did("task.deleted", task.id);
    const tag = await api.tags.create.mutate({ name: "tag" });
    did("tag.created", tag.id);
    await api.tags.rename.mutate({ id: tag.id, name: "renamed" });
    did("tag.renamed", tag.id);
    await api.tags.delete.mutate({ id: tag.id });
    did("tag.deleted", tag.id);
    await api.projects.delete.mutate({ id: project.id });
    did("project.deleted", project.id);
    await api.clients.delete.mutate({ id: client.id });
    did("client.deleted", client.id);
    await api.members.remove.mutate({ membershipId: employeeMembership });
    did("member.removed", employeeMembership);
    const until = new Date(Date.now() + 1000);

    const byAdmin = (await auditLog(company.owner)).filter((e) => e.actorUserId === admin.userId && e.action !== "member.joined");
    const key = ([action, target]: [string, string | null]) => `${action} ${target}`;
    expect(byAdmin.map((e) => key([e.action, e.targetId])).sort()).toEqual(expected.map(key).sort());
    for (const e of byAdmin) {
      expect(e.tenantId).toBe(company.workspaceId);
      expect(e.createdAt).toBeInstanceOf(Date);
      expect(e.createdAt.getTime()).toBeGreaterThanOrEqual(since.getTime());
      expect(e.createdAt.getTime()).toBeLessThanOrEqual(until.getTime());
    }
    // Details say what changed.
    const roleChange = byAdmin.find((e) => e.action === "member.role_changed");
    expect(roleChange?.details).toEqual({ from: "EMPLOYEE", to: "MANAGER" });
    expect(byAdmin.find((e) => e.action === "workspace.updated")?.details).toEqual({ changed: { name: "Audited Co", currency: "USD" } });
    // The action filter returns just that action.
    expect((await auditLog(admin, "tag.renamed")).map((e) => e.targetId)).toEqual([tag.id]);
    // By actor and by time: the admin's own events, and nothing before `since` or from `until` on.
    const byActor = await admin.api.workspace.auditLog.query({ actorUserId: admin.userId, page: { limit: 500, cursor: 0 } });
    expect(byActor.items.length).toBeGreaterThanOrEqual(expected.length);
    expect(new Set(byActor.items.map((e) => e.actorUserId))).toEqual(new Set([admin.userId]));
    const inWindow = await admin.api.workspace.auditLog.query({ actorUserId: admin.userId, from: since, before: until, page: { limit: 500, cursor: 0 } });
    expect(inWindow.items.filter((e) => e.action !== "member.joined")).toHaveLength(expected.length);
    // (Joining may fall within the second before `since`: it is not one of the admin's actions here.)
    const earlier = await admin.api.workspace.auditLog.query({ actorUserId: admin.userId, before: since, page: { limit: 500, cursor: 0 } });
    expect(earlier.items.filter((e) => e.action !== "member.joined")).toEqual([]);
    expect((await admin.api.workspace.auditLog.query({ from: until, page: { limit: 500, cursor: 0 } })).items).toEqual([]);
  });

  it("is for owners and admins only", async () => {
    const company = await createCompany(server, "Private");
    const manager = await company.hire("MANAGER");
    const employee = await company.hire("EMPLOYEE");
    const admin = await company.hire("ADMIN");
    expect(await errorCodeOf(manager.api.workspace.auditLog.query({}))).toBe("FORBIDDEN");
    expect(await errorCodeOf(employee.api.workspace.auditLog.query({}))).toBe("FORBIDDEN");
    const seen = await auditLog(admin);
    expect(seen.map((e) => e.action)).toContain("workspace.created");
    expect(seen.filter((e) => e.action === "member.joined").map((e) => e.actorUserId).sort()).toEqual(
      [manager.userId, employee.userId, admin.userId].sort(),
    );
  });

  it("writes nothing for a refused action", async () => {
    const company = await createCompany(server, "Refused");
    const employee = await company.hire("EMPLOYEE");
    const client = await company.owner.api.clients.create.mutate({ name: "Busy" });
    await company.owner.api.projects.create.mutate({ name: "Uses it", clientId: client.id });
    const before = await auditLog(company.owner);
    expect(await errorCodeOf(company.owner.api.clients.delete.mutate({ id: client.id }))).toBe("CONFLICT");
    expect(await errorCodeOf(employee.api.clients.create.mutate({ name: "Nope" }))).toBe("FORBIDDEN");
    const ownerMembership = await membershipIdOf(company, company.owner.userId);
    expect(await errorCodeOf(company.owner.api.members.remove.mutate({ membershipId: ownerMembership }))).toBe("BAD_REQUEST");
    expect(await auditLog(company.owner)).toEqual(before);
  });
});

describe("cross-tenant attempts", () => {
  function attempt(intruder: Person, victim: Company) {
    return server.client({ token: intruder.token, workspaceId: victim.workspaceId });
  }

  it("are refused and written to the target workspace's log as access.denied", async () => {
    const a = await createCompany(server, "A");
    const b = await createCompany(server, "B");
    const secret = await a.owner.api.projects.create.mutate({ name: "Secret" });
    const asB = attempt(b.owner, a);
    expect(await errorCodeOf(asB.projects.get.query({ id: secret.id }))).toBe("NOT_FOUND");
    expect(await errorCodeOf(asB.projects.delete.mutate({ id: secret.id }))).toBe("NOT_FOUND");
    expect((await a.owner.api.projects.get.query({ id: secret.id })).name).toBe("Secret");

    const denied = await auditLog(a.owner, "access.denied");
    expect(denied.length).toBeGreaterThan(0);
    for (const e of denied) {
      expect(e).toMatchObject({ tenantId: a.workspaceId, actorUserId: b.owner.userId, action: "access.denied" });
      expect(e.createdAt).toBeInstanceOf(Date);
    }
    expect(await deniedTally(a.owner.api, b.owner.userId)).toMatchObject({
      count: 2,
      procedures: { "projects.get": 1, "projects.delete": 1 },
      reasons: ["not a member"],
    });
    // B's own log has nothing about it, and A's events never show up in B's log.
    const bLog = await auditLog(b.owner);
    expect(bLog.every((e) => e.tenantId === b.workspaceId)).toBe(true);
    expect(bLog.map((e) => e.action)).not.toContain("access.denied");
  });

  it("are counted in one row per outsider per hour, so no one can flood a workspace's log", async () => {
    const a = await createCompany(server, "A");
    const b = await createCompany(server, "B");
    const c = await createCompany(server, "C");
    const asB = attempt(b.owner, a);
    // Sixty attempts, half of them at the same moment.
    for (let i = 0; i < 30; i++) await errorCodeOf(asB.projects.list.query({}));
    await Promise.all(Array.from({ length: 30 }, () => errorCodeOf(asB.entries.list.query({}))));
    await errorCodeOf(attempt(c.owner, a).workspace.get.query());

    const fromB = await deniedTally(a.owner.api, b.owner.userId);
    expect(fromB.rows, "one row an hour (two if the attempts spanned the hour)").toBeLessThanOrEqual(2);
    expect(fromB).toMatchObject({ count: 60, procedures: { "projects.list": 30, "entries.list": 30 }, reasons: ["not a member"] });
    expect(await deniedTally(a.owner.api, c.owner.userId)).toMatchObject({ rows: 1, count: 1, procedures: { "workspace.get": 1 } });
    const row = (await auditLog(a.owner, "access.denied")).find((e) => e.actorUserId === b.owner.userId)!;
    expect(row.details).toMatchObject({ firstAt: expect.any(String), lastAt: expect.any(String) });
  });

  it("naming a workspace that does not exist fails cleanly and logs nowhere", async () => {
    const b = await createCompany(server, "B");
    const ghost = server.client({ token: b.owner.token, workspaceId: randomUUID() });
    expect(await errorCodeOf(ghost.workspace.get.query())).toBe("NOT_FOUND");
    expect(await auditLog(b.owner, "access.denied")).toEqual([]);
  });
});
