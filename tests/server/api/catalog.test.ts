import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allPages, at } from "../../support/api.js";
import { createCompany } from "../../support/people.js";
import { errorCodeOf, rejectionOf, startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const names = (rows: { name: string }[]) => rows.map((r) => r.name);

describe("search", () => {
  it("matches % and _ (and \\) literally in clients, projects and tags, never as wildcards", async () => {
    const { owner } = await createCompany(server);
    const api = owner.api;
    const made = ["100% done", "1000 done", "a_b", "axb", "back\\slash", "backslash"];
    for (const name of made) {
      await api.clients.create.mutate({ name });
      await api.projects.create.mutate({ name });
      await api.tags.create.mutate({ name });
    }
    const searches: [string, string[]][] = [
      ["%", ["100% done"]],
      ["0%", ["100% done"]],
      ["_", ["a_b"]],
      ["a_", ["a_b"]],
      ["\\", ["back\\slash"]],
      ["k\\s", ["back\\slash"]],
    ];
    for (const [search, expected] of searches) {
      expect(names((await api.clients.list.query({ search })).items), `clients "${search}"`).toEqual(expected);
      expect(names((await api.projects.list.query({ search })).items), `projects "${search}"`).toEqual(expected);
      expect(names((await api.tags.list.query({ search })).items), `tags "${search}"`).toEqual(expected);
    }
  });
});

describe("clients", () => {
  it("are created, renamed, archived, searched and deleted", async () => {
    const { owner } = await createCompany(server);
    const api = owner.api;
    const northwind = await api.clients.create.mutate({ name: "  Northwind  " });
    expect(northwind.name).toBe("Northwind");
    const contoso = await api.clients.create.mutate({ name: "Contoso" });
    expect(names((await api.clients.list.query({})).items)).toEqual(["Contoso", "Northwind"]);

    expect((await api.clients.update.mutate({ id: contoso.id, name: "Contoso Ltd" })).name).toBe("Contoso Ltd");
    expect(await api.clients.update.mutate({ id: northwind.id, archived: true })).toMatchObject({ archived: true, name: "Northwind" });
    expect(names((await api.clients.list.query({})).items)).toEqual(["Contoso Ltd"]);
    expect(names((await api.clients.list.query({ includeArchived: true })).items)).toEqual(["Contoso Ltd", "Northwind"]);
    expect(names((await api.clients.list.query({ search: "NORTH", includeArchived: true })).items)).toEqual(["Northwind"]);

    const dup = await rejectionOf(api.clients.create.mutate({ name: "Contoso Ltd" }));
    expect([dup.data?.code, dup.data?.reason]).toEqual(["CONFLICT", "DUPLICATE"]);

    expect(await api.clients.delete.mutate({ id: northwind.id })).toEqual({ ok: true });
    expect(await errorCodeOf(api.clients.delete.mutate({ id: northwind.id }))).toBe("NOT_FOUND");
    expect(await errorCodeOf(api.clients.update.mutate({ id: northwind.id, name: "Back" }))).toBe("NOT_FOUND");
    expect(names((await api.clients.list.query({ includeArchived: true })).items)).toEqual(["Contoso Ltd"]);
  });
});

describe("pagination", () => {
  it("pages clients, projects, tasks and tags with limit, cursor and nextCursor", async () => {
    const { owner } = await createCompany(server);
    const api = owner.api;
    const project = await api.projects.create.mutate({ name: "P-00" });
    const made: Record<string, string[]> = { clients: [], projects: ["P-00"], tasks: [], tags: [] };
    for (let i = 5; i >= 1; i--) {
      const n = String(i).padStart(2, "0");
      made.clients!.push((await api.clients.create.mutate({ name: `C-${n}` })).name);
      made.projects!.push((await api.projects.create.mutate({ name: `P-${n}` })).name);
      made.tasks!.push((await api.tasks.create.mutate({ projectId: project.id, name: `T-${n}` })).name);
      made.tags!.push((await api.tags.create.mutate({ name: `G-${n}` })).name);
    }
    const lists = {
      clients: (cursor: number, limit = 2) => api.clients.list.query({ page: { limit, cursor } }),
      projects: (cursor: number, limit = 2) => api.projects.list.query({ page: { limit, cursor } }),
      tasks: (cursor: number, limit = 2) => api.tasks.list.query({ page: { limit, cursor } }),
      tags: (cursor: number, limit = 2) => api.tags.list.query({ page: { limit, cursor } }),
    };
    for (const [kind, list] of Object.entries(lists)) {
      const expected = [...made[kind]!].sort();
      const first = await list(0);
      expect(names(first.items), kind).toEqual(expected.slice(0, 2));
      expect(first.nextCursor, kind).toBe(2);
      const { items, pages } = await allPages((cursor) => list(cursor));
      expect(names(items), kind).toEqual(expected);
      expect(pages, kind).toBe(Math.ceil(expected.length / 2));
      expect((await list(0, expected.length)).nextCursor, `${kind}: a full last page has no next page`).toBeNull();
      expect((await list(expected.length - 1, 10)).items, kind).toHaveLength(1);
    }
    expect(await errorCodeOf(api.clients.list.query({ page: { limit: 0, cursor: 0 } }))).toBe("BAD_REQUEST");
    expect(await errorCodeOf(api.tags.list.query({ page: { limit: 501, cursor: 0 } }))).toBe("BAD_REQUEST");
  });
});

describe("projects", () => {
  it("belong to clients, filter by client and archived state, and refuse unknown clients", async () => {
    const { owner } = await createCompany(server);
    const api = owner.api;
    const acme = await api.clients.create.mutate({ name: "Acme" });
    const globex = await api.clients.create.mutate({ name: "Globex" });
    const site = await api.projects.create.mutate({ name: "Site", clientId: acme.id, color: "#ff0000", hourlyRateCents: 12000 });
    const app = await api.projects.create.mutate({ name: "App", clientId: acme.id, billable: false });
    await api.projects.create.mutate({ name: "Audit", clientId: globex.id });
    await api.projects.create.mutate({ name: "Internal" });
    expect(await api.projects.get.query({ id: site.id })).toMatchObject({
      clientId: acme.id,
      color: "#ff0000",
      hourlyRateCents: 12000,
      billable: true,
      archived: false,
    });

    expect(names((await api.projects.list.query({ clientId: acme.id })).items)).toEqual(["App", "Site"]);
    expect(names((await api.projects.list.query({ clientId: globex.id })).items)).toEqual(["Audit"]);
    await api.projects.update.mutate({ id: app.id, archived: true });
    expect(names((await api.projects.list.query({ clientId: acme.id })).items)).toEqual(["Site"]);
    expect(names((await api.projects.list.query({ clientId: acme.id, includeArchived: true })).items)).toEqual(["App", "Site"]);
    expect(names((await api.projects.list.query({ search: "it" })).items)).toEqual(["Audit", "Site"]);

    expect((await api.projects.update.mutate({ id: site.id, clientId: null })).clientId).toBeNull();
    expect(names((await api.projects.list.query({ clientId: acme.id, includeArchived: true })).items)).toEqual(["App"]);
    const missing = "00000000-0000-4000-8000-000000000000";
    expect(await errorCodeOf(api.projects.create.mutate({ name: "Orphan", clientId: missing }))).toBe("NOT_FOUND");
    expect(await errorCodeOf(api.projects.update.mutate({ id: site.id, clientId: missing }))).toBe("NOT_FOUND");
    expect(await errorCodeOf(api.projects.get.query({ id: missing }))).toBe("NOT_FOUND");
    expect(names((await api.projects.list.query({ includeArchived: true })).items)).toEqual(["App", "Audit", "Internal", "Site"]);
  });
});

describe("tasks and tags", () => {
  it("tasks filter by project and done state", async () => {
    const { owner } = await createCompany(server);
    const api = owner.api;
    const p1 = await api.projects.create.mutate({ name: "One" });
    const p2 = await api.projects.create.mutate({ name: "Two" });
    const design = await api.tasks.create.mutate({ projectId: p1.id, name: "Design" });
    await api.tasks.create.mutate({ projectId: p1.id, name: "Build" });
    await api.tasks.create.mutate({ projectId: p2.id, name: "Test" });
    expect(names((await api.tasks.list.query({ projectId: p1.id })).items)).toEqual(["Build", "Design"]);
    expect(names((await api.tasks.list.query({ projectId: p2.id })).items)).toEqual(["Test"]);

    expect(await api.tasks.update.mutate({ id: design.id, done: true })).toMatchObject({ done: true, name: "Design" });
    expect(names((await api.tasks.list.query({ projectId: p1.id })).items)).toEqual(["Build"]);
    expect(names((await api.tasks.list.query({ projectId: p1.id, includeDone: true })).items)).toEqual(["Build", "Design"]);
    expect(names((await api.tasks.list.query({})).items)).toEqual(["Build", "Test"]);

    expect(await errorCodeOf(api.tasks.create.mutate({ projectId: "00000000-0000-4000-8000-000000000000", name: "X" }))).toBe("NOT_FOUND");
    const dup = await rejectionOf(api.tasks.create.mutate({ projectId: p1.id, name: "Build" }));
    expect(dup.data?.reason).toBe("DUPLICATE");
    await api.tasks.create.mutate({ projectId: p2.id, name: "Build" }); // same name, other project: fine
    await api.tasks.delete.mutate({ id: design.id });
    expect(names((await api.tasks.list.query({ projectId: p1.id, includeDone: true })).items)).toEqual(["Build"]);
  });

  it("tags are created, renamed, searched and deleted", async () => {
    const { owner } = await createCompany(server);
    const api = owner.api;
    const meeting = await api.tags.create.mutate({ name: "meeting" });
    await api.tags.create.mutate({ name: "travel" });
    expect((await api.tags.rename.mutate({ id: meeting.id, name: "Meetings" })).name).toBe("Meetings");
    expect(names((await api.tags.list.query({ search: "meet" })).items)).toEqual(["Meetings"]);
    expect((await rejectionOf(api.tags.rename.mutate({ id: meeting.id, name: "travel" }))).data?.reason).toBe("DUPLICATE");
    await api.tags.delete.mutate({ id: meeting.id });
    expect(names((await api.tags.list.query({})).items)).toEqual(["travel"]);
    expect(await errorCodeOf(api.tags.rename.mutate({ id: meeting.id, name: "again" }))).toBe("NOT_FOUND");
  });
});

describe("things in use", () => {
  it("a client used by a project cannot be deleted: CONFLICT IN_USE, nothing changes", async () => {
    const { owner } = await createCompany(server);
    const api = owner.api;
    const client = await api.clients.create.mutate({ name: "Busy" });
    const project = await api.projects.create.mutate({ name: "Uses it", clientId: client.id });
    const err = await rejectionOf(api.clients.delete.mutate({ id: client.id }));
    expect([err.data?.code, err.data?.reason]).toEqual(["CONFLICT", "IN_USE"]);
    expect(names((await api.clients.list.query({})).items)).toEqual(["Busy"]);
    expect((await api.projects.get.query({ id: project.id })).clientId).toBe(client.id);
    expect((await api.workspace.auditLog.query({ action: "client.deleted" })).items).toEqual([]);
    // Once the project lets go, the client can go.
    await api.projects.update.mutate({ id: project.id, clientId: null });
    await api.clients.delete.mutate({ id: client.id });
    expect((await api.clients.list.query({ includeArchived: true })).items).toEqual([]);
  });

  it("a project with time entries cannot be deleted; one without can, taking its tasks", async () => {
    const { owner } = await createCompany(server);
    const api = owner.api;
    const booked = await api.projects.create.mutate({ name: "Booked" });
    const task = await api.tasks.create.mutate({ projectId: booked.id, name: "Work" });
    const entry = await api.entries.create.mutate({ projectId: booked.id, taskId: task.id, start: at("2026-03-02", 9), end: at("2026-03-02", 10) });
    const err = await rejectionOf(api.projects.delete.mutate({ id: booked.id }));
    expect([err.data?.code, err.data?.reason]).toEqual(["CONFLICT", "IN_USE"]);
    expect((await api.projects.get.query({ id: booked.id })).name).toBe("Booked");
    expect(names((await api.tasks.list.query({ projectId: booked.id })).items)).toEqual(["Work"]);
    expect((await api.entries.get.query({ id: entry.id })).projectId).toBe(booked.id);

    const empty = await api.projects.create.mutate({ name: "Empty" });
    await api.tasks.create.mutate({ projectId: empty.id, name: "Never used" });
    await api.projects.delete.mutate({ id: empty.id });
    expect(await errorCodeOf(api.projects.get.query({ id: empty.id }))).toBe("NOT_FOUND");
    expect(names((await api.tasks.list.query({ includeDone: true })).items)).toEqual(["Work"]);
  });
});

describe("project totals", () => {
  it("sum finished entries per project, come from the tenant cache, and follow entry writes", async () => {
    const company = await createCompany(server);
    const api = company.owner.api;
    const employee = await company.hire("EMPLOYEE");
    const site = await api.projects.create.mutate({ name: "Site" });
    const app = await api.projects.create.mutate({ name: "App" });
    const day = "2026-03-09";
    await api.entries.create.mutate({ projectId: site.id, start: at(day, 9), end: at(day, 10, 30) }); // 5400 s
    await employee.api.entries.create.mutate({ projectId: site.id, start: at(day, 9), end: at(day, 9, 45) }); // 2700 s
    const appEntry = await api.entries.create.mutate({ projectId: app.id, start: at(day, 11), end: at(day, 11, 20) }); // 1200 s
    await api.entries.create.mutate({ start: at(day, 12), end: at(day, 13) }); // no project: not counted
    await employee.api.entries.create.mutate({ projectId: app.id, start: at(day, 14), end: null }); // running: not counted

    const totals = async () =>
      Object.fromEntries((await api.projects.totals.query()).map((t) => [t.projectId, [t.seconds, t.entries]]));
    const stats = () => server.services.cache.stats();

    expect(await totals()).toEqual({ [site.id]: [8100, 2], [app.id]: [1200, 1] });
    const before = stats();
    expect(await totals()).toEqual({ [site.id]: [8100, 2], [app.id]: [1200, 1] });
    expect(stats().hits).toBe(before.hits + 1);
    expect(stats().misses).toBe(before.misses);

    // Every entry write drops the cached totals.
    const created = await api.entries.create.mutate({ projectId: app.id, start: at(day, 15), end: at(day, 16) });
    expect(await totals()).toEqual({ [site.id]: [8100, 2], [app.id]: [4800, 2] });
    await api.entries.update.mutate({ id: appEntry.id, end: at(day, 11, 40) });
    expect(await totals()).toEqual({ [site.id]: [8100, 2], [app.id]: [6000, 2] });
    await api.entries.update.mutate({ id: created.id, projectId: site.id });
    expect(await totals()).toEqual({ [site.id]: [11700, 3], [app.id]: [2400, 1] });
    await api.entries.delete.mutate({ id: appEntry.id });
    expect(await totals()).toEqual({ [site.id]: [11700, 3] });
    await employee.api.entries.stop.mutate({ end: at(day, 14, 30) });
    expect(await totals()).toEqual({ [site.id]: [11700, 3], [app.id]: [1800, 1] });

    // Another workspace has its own totals, never this one's.
    const other = await createCompany(server);
    expect(await other.owner.api.projects.totals.query()).toEqual([]);
    expect(await totals()).toEqual({ [site.id]: [11700, 3], [app.id]: [1800, 1] });
  });
});
