import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, membershipIdOf, uniqueEmail } from "../../support/api.js";
import { createCompany, type Company, type Person } from "../../support/people.js";
import { errorCodeOf, rejectionOf, startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface Staffed {
  company: Company;
  admin: Person;
  manager: Person;
  employee: Person;
  colleague: Person;
  catalog: { clientId: string; projectId: string; taskId: string; tagId: string };
}

/** A workspace with one member per role (two employees) and a small catalog. */
async function staffedCompany(): Promise<Staffed> {
  const company = await createCompany(server, "Staffed");
  const [admin, manager, employee, colleague] = [
    await company.hire("ADMIN"),
    await company.hire("MANAGER"),
    await company.hire("EMPLOYEE"),
    await company.hire("EMPLOYEE", "colleague"),
  ];
  const api = company.owner.api;
  const client = await api.clients.create.mutate({ name: "Client" });
  const project = await api.projects.create.mutate({ name: "Project", clientId: client.id });
  const task = await api.tasks.create.mutate({ projectId: project.id, name: "Task" });
  const tag = await api.tags.create.mutate({ name: "tag" });
  return {
    company,
    admin,
    manager,
    employee,
    colleague,
    catalog: { clientId: client.id, projectId: project.id, taskId: task.id, tagId: tag.id },
  };
}

type Calls = Record<string, () => Promise<unknown>>;

/** Every catalog write; each must be refused for `who`. */
function catalogWrites(who: Person, c: Staffed["catalog"]): Calls {
  const api = who.api;
  return {
    "clients.create": () => api.clients.create.mutate({ name: "New client" }),
    "clients.update": () => api.clients.update.mutate({ id: c.clientId, name: "Renamed" }),
    "clients.delete": () => api.clients.delete.mutate({ id: c.clientId }),
    "projects.create": () => api.projects.create.mutate({ name: "New project" }),
    "projects.update": () => api.projects.update.mutate({ id: c.projectId, archived: true }),
    "projects.delete": () => api.projects.delete.mutate({ id: c.projectId }),
    "tasks.create": () => api.tasks.create.mutate({ projectId: c.projectId, name: "New task" }),
    "tasks.update": () => api.tasks.update.mutate({ id: c.taskId, done: true }),
    "tasks.delete": () => api.tasks.delete.mutate({ id: c.taskId }),
    "tags.create": () => api.tags.create.mutate({ name: "new tag" }),
    "tags.rename": () => api.tags.rename.mutate({ id: c.tagId, name: "renamed" }),
    "tags.delete": () => api.tags.delete.mutate({ id: c.tagId }),
    "workspace.update": () => api.workspace.update.mutate({ name: "Taken over" }),
  };
}

/** Runs the calls one after another and reports each one's error code (null: it succeeded). */
async function codesOf(calls: Calls): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const [name, call] of Object.entries(calls)) out[name] = await errorCodeOf(call());
  return out;
}

const allForbidden = (calls: Record<string, unknown>) => Object.fromEntries(Object.keys(calls).map((k) => [k, "FORBIDDEN"]));

async function catalogSnapshot(api: Person["api"]) {
  return {
    clients: (await api.clients.list.query({ includeArchived: true })).items.map((c) => [c.id, c.name, c.archived]),
    projects: (await api.projects.list.query({ includeArchived: true })).items.map((p) => [p.id, p.name, p.archived]),
    tasks: (await api.tasks.list.query({ includeDone: true })).items.map((t) => [t.id, t.name, t.done]),
    tags: (await api.tags.list.query({})).items.map((t) => [t.id, t.name]),
    workspace: (await api.workspace.get.query()).name,
  };
}

describe("employees", () => {
  it("read projects, clients, tasks and tags but cannot change them", async () => {
    const s = await staffedCompany();
    const before = await catalogSnapshot(s.employee.api);
    expect(before.clients.map((c) => c[0])).toEqual([s.catalog.clientId]);
    expect(before.projects.map((p) => p[0])).toEqual([s.catalog.projectId]);
    expect(before.tasks.map((t) => t[0])).toEqual([s.catalog.taskId]);
    expect(before.tags.map((t) => t[0])).toEqual([s.catalog.tagId]);
    expect((await s.employee.api.projects.get.query({ id: s.catalog.projectId })).name).toBe("Project");

    const writes = catalogWrites(s.employee, s.catalog);
    expect(await codesOf(writes)).toEqual(allForbidden(writes));
    expect(await catalogSnapshot(s.company.owner.api)).toEqual(before);
    expect(await errorCodeOf(s.employee.api.projects.totals.query())).toBe("FORBIDDEN");
    expect(await errorCodeOf(s.employee.api.members.list.query())).toBe("FORBIDDEN");
  });

  it("see only their own entries and cannot read, edit or delete anyone else's", async () => {
    const s = await staffedCompany();
    const mine = await s.employee.api.entries.create.mutate({ start: at("2026-02-02", 9), end: at("2026-02-02", 10) });
    const theirs = await s.colleague.api.entries.create.mutate({
      start: at("2026-02-02", 9),
      end: at("2026-02-02", 11),
      description: "colleague's",
    });
    const ownersEntry = await s.company.owner.api.entries.create.mutate({ start: at("2026-02-03", 9), end: at("2026-02-03", 10) });

    expect((await s.employee.api.entries.list.query({})).items.map((e) => e.id)).toEqual([mine.id]);
    expect((await s.employee.api.entries.list.query({ userId: s.employee.userId })).items.map((e) => e.id)).toEqual([mine.id]);
    expect(await errorCodeOf(s.employee.api.entries.list.query({ userId: s.colleague.userId }))).toBe("FORBIDDEN");
    for (const other of [theirs.id, ownersEntry.id]) {
      expect(await errorCodeOf(s.employee.api.entries.get.query({ id: other }))).toBe("NOT_FOUND");
      expect(await errorCodeOf(s.employee.api.entries.update.mutate({ id: other, description: "mine now" }))).toBe("NOT_FOUND");
      expect(await errorCodeOf(s.employee.api.entries.delete.mutate({ id: other }))).toBe("NOT_FOUND");
    }
    const still = await s.colleague.api.entries.get.query({ id: theirs.id });
    expect(still).toMatchObject({ description: "colleague's", userId: s.colleague.userId });
    expect((await s.employee.api.entries.update.mutate({ id: mine.id, description: "edited" })).description).toBe("edited");
  });
});

describe("managers", () => {
  it("list everyone's entries but cannot edit others', manage members or the catalog", async () => {
    const s = await staffedCompany();
    const a = await s.employee.api.entries.create.mutate({ start: at("2026-02-02", 9), end: at("2026-02-02", 10) });
    const b = await s.colleague.api.entries.create.mutate({ start: at("2026-02-02", 9), end: at("2026-02-02", 10) });

    expect((await s.manager.api.entries.list.query({})).items.map((e) => e.id).sort()).toEqual([a.id, b.id].sort());
    expect((await s.manager.api.entries.list.query({ userId: s.colleague.userId })).items.map((e) => e.id)).toEqual([b.id]);
    expect((await s.manager.api.entries.get.query({ id: a.id })).userId).toBe(s.employee.userId);
    expect(await errorCodeOf(s.manager.api.entries.update.mutate({ id: a.id, description: "x" }))).toBe("NOT_FOUND");
    expect(await errorCodeOf(s.manager.api.entries.delete.mutate({ id: a.id }))).toBe("NOT_FOUND");
    expect((await s.manager.api.members.list.query()).length).toBe(5);
    expect(Array.isArray(await s.manager.api.projects.totals.query())).toBe(true);

    const employeeMembership = await membershipIdOf(s.company, s.employee.userId);
    const memberWrites: Calls = {
      invite: () => s.manager.api.members.invite.mutate({ email: uniqueEmail("x"), role: "EMPLOYEE" }),
      changeRole: () => s.manager.api.members.changeRole.mutate({ membershipId: employeeMembership, role: "MANAGER" }),
      setRate: () => s.manager.api.members.setRate.mutate({ membershipId: employeeMembership, hourlyRateCents: 1 }),
      remove: () => s.manager.api.members.remove.mutate({ membershipId: employeeMembership }),
      invitations: () => s.manager.api.members.invitations.query(),
    };
    expect(await codesOf(memberWrites)).toEqual(allForbidden(memberWrites));
    const writes = catalogWrites(s.manager, s.catalog);
    expect(await codesOf(writes)).toEqual(allForbidden(writes));
    const employeeRow = (await s.company.owner.api.members.list.query()).find((m) => m.userId === s.employee.userId);
    expect(employeeRow).toMatchObject({ role: "EMPLOYEE", hourlyRateCents: null });
  });
});

describe("admins", () => {
  it("manage members, clients, projects, tasks, tags and workspace settings", async () => {
    const s = await staffedCompany();
    const api = s.admin.api;
    expect(await errorCodeOf(api.members.invite.mutate({ email: s.employee.email, role: "ADMIN" }))).toBe("CONFLICT");
    const inv = await api.members.invite.mutate({ email: uniqueEmail("recruit"), role: "EMPLOYEE" });
    expect((await api.members.invitations.query()).map((i) => i.id)).toContain(inv.invitationId);
    await api.members.revokeInvitation.mutate({ id: inv.invitationId });
    expect((await api.members.invitations.query()).map((i) => i.id)).not.toContain(inv.invitationId);

    const employeeMembership = await membershipIdOf(s.company, s.employee.userId);
    expect(await api.members.changeRole.mutate({ membershipId: employeeMembership, role: "MANAGER" })).toMatchObject({ role: "MANAGER" });
    await api.members.setRate.mutate({ membershipId: employeeMembership, hourlyRateCents: 4200 });
    expect((await api.members.list.query()).find((m) => m.id === employeeMembership)).toMatchObject({
      role: "MANAGER",
      hourlyRateCents: 4200,
    });
    expect((await s.employee.api.workspace.get.query()).myRole).toBe("MANAGER");

    const client = await api.clients.create.mutate({ name: "Admin's client" });
    const project = await api.projects.create.mutate({ name: "Admin's project", clientId: client.id });
    const task = await api.tasks.create.mutate({ projectId: project.id, name: "Admin's task" });
    const tag = await api.tags.create.mutate({ name: "admin-tag" });
    await api.clients.update.mutate({ id: client.id, name: "Renamed client" });
    await api.projects.update.mutate({ id: project.id, color: "#112233" });
    await api.tasks.update.mutate({ id: task.id, done: true });
    await api.tags.rename.mutate({ id: tag.id, name: "renamed-tag" });
    expect((await api.projects.get.query({ id: project.id })).color).toBe("#112233");
    await api.tasks.delete.mutate({ id: task.id });
    await api.projects.delete.mutate({ id: project.id });
    await api.clients.delete.mutate({ id: client.id });
    await api.tags.delete.mutate({ id: tag.id });
    expect(await catalogSnapshot(api)).toMatchObject({
      clients: [[s.catalog.clientId, "Client", false]],
      projects: [[s.catalog.projectId, "Project", false]],
      tags: [[s.catalog.tagId, "tag"]],
    });

    const ws = await api.workspace.update.mutate({ name: "Renamed Co", timezone: "Europe/Berlin", weekStartsOn: 0, currency: "USD" });
    expect(ws).toMatchObject({ name: "Renamed Co", timezone: "Europe/Berlin", weekStartsOn: 0, currency: "USD" });
    expect((await s.employee.api.workspace.get.query()).name).toBe("Renamed Co");

    await api.members.remove.mutate({ membershipId: await membershipIdOf(s.company, s.colleague.userId) });
    expect((await api.members.list.query()).map((m) => m.userId)).not.toContain(s.colleague.userId);
  });

  it("cannot touch the OWNER role", async () => {
    const s = await staffedCompany();
    const ownerMembership = await membershipIdOf(s.company, s.company.owner.userId);
    const managerMembership = await membershipIdOf(s.company, s.manager.userId);
    const adminMembership = await membershipIdOf(s.company, s.admin.userId);
    const attempts: Calls = {
      inviteOwner: () => s.admin.api.members.invite.mutate({ email: uniqueEmail("co-owner"), role: "OWNER" }),
      promote: () => s.admin.api.members.changeRole.mutate({ membershipId: managerMembership, role: "OWNER" }),
      promoteSelf: () => s.admin.api.members.changeRole.mutate({ membershipId: adminMembership, role: "OWNER" }),
      demoteOwner: () => s.admin.api.members.changeRole.mutate({ membershipId: ownerMembership, role: "EMPLOYEE" }),
      removeOwner: () => s.admin.api.members.remove.mutate({ membershipId: ownerMembership }),
    };
    expect(await codesOf(attempts)).toEqual(allForbidden(attempts));
    const roles = Object.fromEntries((await s.company.owner.api.members.list.query()).map((m) => [m.userId, m.role]));
    expect(roles[s.company.owner.userId]).toBe("OWNER");
    expect(roles[s.manager.userId]).toBe("MANAGER");
    expect(roles[s.admin.userId]).toBe("ADMIN");
    expect(await s.company.owner.api.members.invitations.query()).toEqual([]);
  });
});

describe("owners", () => {
  it("hand out and take away ownership; the last owner can be neither demoted nor removed", async () => {
    const s = await staffedCompany();
    const owner = s.company.owner.api;
    const ownerMembership = await membershipIdOf(s.company, s.company.owner.userId);
    expect(await errorCodeOf(owner.members.changeRole.mutate({ membershipId: ownerMembership, role: "ADMIN" }))).toBe("BAD_REQUEST");
    expect(await errorCodeOf(owner.members.remove.mutate({ membershipId: ownerMembership }))).toBe("BAD_REQUEST");
    // The app tells this refusal apart from bad input by its reason.
    expect((await rejectionOf(owner.members.remove.mutate({ membershipId: ownerMembership }))).data?.reason).toBe("LAST_OWNER");
    expect((await owner.workspace.get.query()).myRole).toBe("OWNER");

    const adminMembership = await membershipIdOf(s.company, s.admin.userId);
    await owner.members.changeRole.mutate({ membershipId: adminMembership, role: "OWNER" });
    expect((await s.admin.api.workspace.get.query()).myRole).toBe("OWNER");
    // With a second owner the first may step down, and the new owner may then remove them.
    await owner.members.changeRole.mutate({ membershipId: ownerMembership, role: "ADMIN" });
    expect((await owner.workspace.get.query()).myRole).toBe("ADMIN");
    expect(await errorCodeOf(s.admin.api.members.remove.mutate({ membershipId: adminMembership }))).toBe("BAD_REQUEST");
    await s.admin.api.members.remove.mutate({ membershipId: ownerMembership });
    expect(await errorCodeOf(owner.workspace.get.query())).toBe("NOT_FOUND");
  });
  it("two owners stepping down at the same moment leave one owner", async () => {
    // A read-then-write race: repeated, so a missing lock shows up reliably on PostgreSQL.
    for (let round = 0; round < 5; round++) {
      const company = await createCompany(server, "Race");
      const second = await company.hire("OWNER");
      const [a, b] = [await membershipIdOf(company, company.owner.userId), await membershipIdOf(company, second.userId)];
      const codes = await Promise.all([
        errorCodeOf(company.owner.api.members.changeRole.mutate({ membershipId: a, role: "ADMIN" })),
        errorCodeOf(second.api.members.changeRole.mutate({ membershipId: b, role: "ADMIN" })),
      ]);
      expect(codes.sort(), `round ${round}`).toEqual(["BAD_REQUEST", null].sort());
      const roles = (await company.owner.api.members.list.query()).map((m) => m.role);
      expect(roles.filter((r) => r === "OWNER"), `round ${round}`).toHaveLength(1);
    }
  });
});

describe("deleting a workspace", () => {
  it("is for owners only, who must type its name; everyone loses access", async () => {
    const s = await staffedCompany();
    const name = (await s.company.owner.api.workspace.get.query()).name;
    expect(await errorCodeOf(s.admin.api.workspace.delete.mutate({ confirmName: name }))).toBe("FORBIDDEN");
    expect(await errorCodeOf(s.company.owner.api.workspace.delete.mutate({ confirmName: `${name}?` }))).toBe("BAD_REQUEST");
    expect((await s.employee.api.projects.list.query({})).items).toHaveLength(1);
    expect(await s.company.owner.api.workspace.delete.mutate({ confirmName: name })).toEqual({ deleted: true });
    for (const who of [s.company.owner, s.admin, s.employee]) {
      expect(await errorCodeOf(who.api.workspace.get.query())).toBe("NOT_FOUND");
      expect(await who.api.auth.workspaces.query()).toEqual([]);
    }
  });
});

describe("removed members", () => {
  it("lose access at once, keeping their login", async () => {
    const s = await staffedCompany();
    await s.employee.api.entries.create.mutate({ start: at("2026-02-02", 9), end: at("2026-02-02", 10) });
    expect((await s.employee.api.projects.list.query({})).items).toHaveLength(1);
    await s.company.owner.api.members.remove.mutate({ membershipId: await membershipIdOf(s.company, s.employee.userId) });

    expect(await errorCodeOf(s.employee.api.projects.list.query({}))).toBe("NOT_FOUND");
    expect(await errorCodeOf(s.employee.api.entries.list.query({}))).toBe("NOT_FOUND");
    expect(await errorCodeOf(s.employee.api.entries.create.mutate({ start: at("2026-02-03", 9), end: at("2026-02-03", 10) }))).toBe(
      "NOT_FOUND",
    );
    expect((await s.employee.api.auth.me.query()).id).toBe(s.employee.userId);
    expect(await s.employee.api.auth.workspaces.query()).toEqual([]);
  });
});
