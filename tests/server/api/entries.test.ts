import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allPages, at } from "../../support/api.js";
import { createCompany, type Company, type Person } from "../../support/people.js";
import { errorCodeOf, rejectionOf, startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface Setup {
  company: Company;
  owner: Person;
  employee: Person;
  site: { id: string; taskId: string };
  app: { id: string; taskId: string };
  tags: string[];
}

/** A workspace with an employee, two projects with a task each, and three tags. */
async function setup(): Promise<Setup> {
  const company = await createCompany(server, "Entries");
  const api = company.owner.api;
  const employee = await company.hire("EMPLOYEE");
  const site = await api.projects.create.mutate({ name: "Site" });
  const app = await api.projects.create.mutate({ name: "App" });
  const siteTask = await api.tasks.create.mutate({ projectId: site.id, name: "Build" });
  const appTask = await api.tasks.create.mutate({ projectId: app.id, name: "Build" });
  const tags = [];
  for (const name of ["meeting", "review", "travel"]) tags.push((await api.tags.create.mutate({ name })).id);
  return {
    company,
    owner: company.owner,
    employee,
    site: { id: site.id, taskId: siteTask.id },
    app: { id: app.id, taskId: appTask.id },
    tags,
  };
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe("entries CRUD", () => {
  it("creates, reads, updates and deletes an entry", async () => {
    const s = await setup();
    const api = s.employee.api;
    const created = await api.entries.create.mutate({
      projectId: s.site.id,
      taskId: s.site.taskId,
      start: at("2026-01-05", 9),
      end: at("2026-01-05", 10, 30),
      description: "Kick-off",
      billable: true,
      tagIds: [s.tags[0]!],
    });
    expect(created).toMatchObject({ userId: s.employee.userId, description: "Kick-off", billable: true, tagIds: [s.tags[0]] });
    expect(await api.entries.get.query({ id: created.id })).toMatchObject({
      projectId: s.site.id,
      taskId: s.site.taskId,
      start: at("2026-01-05", 9),
      end: at("2026-01-05", 10, 30),
      tagIds: [s.tags[0]],
    });

    const updated = await api.entries.update.mutate({
      id: created.id,
      start: at("2026-01-05", 8),
      projectId: s.app.id,
      taskId: s.app.taskId,
      description: "Moved",
    });
    expect(updated).toMatchObject({ start: at("2026-01-05", 8), end: at("2026-01-05", 10, 30), projectId: s.app.id, description: "Moved" });
    expect(updated.tagIds).toEqual([s.tags[0]]);
    expect((await api.entries.get.query({ id: created.id })).description).toBe("Moved");

    expect(await errorCodeOf(api.entries.update.mutate({ id: created.id, end: at("2026-01-05", 7) }))).toBe("BAD_REQUEST");
    expect(await api.entries.delete.mutate({ id: created.id })).toEqual({ ok: true });
    expect(await errorCodeOf(api.entries.get.query({ id: created.id }))).toBe("NOT_FOUND");
    expect(await errorCodeOf(api.entries.delete.mutate({ id: created.id }))).toBe("NOT_FOUND");
  });

  it("keeps client-made ids and refuses a second entry with the same id", async () => {
    const s = await setup();
    const id = "6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f";
    const made = await s.employee.api.entries.create.mutate({ id, start: at("2026-01-05", 9), end: at("2026-01-05", 10) });
    expect(made.id).toBe(id);
    const again = await rejectionOf(s.employee.api.entries.create.mutate({ id, start: at("2026-01-06", 9), end: at("2026-01-06", 10) }));
    expect([again.data?.code, again.data?.reason]).toEqual(["CONFLICT", "DUPLICATE"]);
    // Ids are per workspace: another workspace may use the same one.
    const other = await createCompany(server, "Other");
    expect((await other.owner.api.entries.create.mutate({ id, start: at("2026-01-05", 9), end: at("2026-01-05", 10) })).id).toBe(id);
  });
});

describe("listing entries", () => {
  it("filters by date range, user and project, newest first, and pages", async () => {
    const s = await setup();
    const mine: { id: string; start: Date }[] = [];
    for (const [day, project] of [["2026-01-05", s.site.id], ["2026-01-06", s.app.id], ["2026-01-06", s.site.id], ["2026-01-07", s.site.id]] as const) {
      const hour = mine.filter((e) => e.start.toISOString().startsWith(day)).length + 9;
      mine.push(await s.employee.api.entries.create.mutate({ projectId: project, start: at(day, hour), end: at(day, hour, 30) }));
    }
    const ownerEntry = await s.owner.api.entries.create.mutate({ projectId: s.site.id, start: at("2026-01-06", 9), end: at("2026-01-06", 17) });
    const list = s.owner.api.entries.list.query;

    const onJan6 = await list({ from: at("2026-01-06", 0), to: at("2026-01-07", 0) });
    expect(ids(onJan6.items).sort()).toEqual([mine[1]!.id, mine[2]!.id, ownerEntry.id].sort());
    // `to` is exclusive, `from` inclusive.
    expect(ids((await list({ from: at("2026-01-07", 9), to: at("2026-01-08", 0) })).items)).toEqual([mine[3]!.id]);
    expect(ids((await list({ to: at("2026-01-05", 9) })).items)).toEqual([]);

    expect(ids((await list({ userId: s.employee.userId })).items)).toEqual([mine[3]!.id, mine[2]!.id, mine[1]!.id, mine[0]!.id]);
    expect(ids((await list({ userId: s.owner.userId })).items)).toEqual([ownerEntry.id]);
    expect(ids((await list({ projectId: s.app.id })).items)).toEqual([mine[1]!.id]);
    expect(ids((await list({ projectId: s.site.id, userId: s.employee.userId, from: at("2026-01-06", 0) })).items)).toEqual([
      mine[3]!.id,
      mine[2]!.id,
    ]);

    const everything = ids((await list({})).items);
    expect(everything).toHaveLength(5);
    const paged = await allPages((cursor) => list({ page: { limit: 2, cursor } }));
    expect(paged.pages).toBe(3);
    expect(ids(paged.items)).toEqual(everything);
    const starts = paged.items.map((e) => e.start.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    expect(await errorCodeOf(list({ from: at("2026-01-07", 0), to: at("2026-01-06", 0) }))).toBe("BAD_REQUEST");
  });
});

describe("overlaps", () => {
  it("refuses overlapping entries of one user, allows back-to-back ones and other users' overlaps", async () => {
    const s = await setup();
    const api = s.employee.api;
    const first = await api.entries.create.mutate({ start: at("2026-01-05", 9), end: at("2026-01-05", 11) });

    for (const [start, end] of [[at("2026-01-05", 10), at("2026-01-05", 12)], [at("2026-01-05", 8), at("2026-01-05", 9, 1)], [at("2026-01-05", 9, 30), at("2026-01-05", 10)]]) {
      const err = await rejectionOf(api.entries.create.mutate({ start: start!, end: end! }));
      expect([err.data?.code, err.data?.reason]).toEqual(["CONFLICT", "OVERLAP"]);
    }
    const after = await api.entries.create.mutate({ start: at("2026-01-05", 11), end: at("2026-01-05", 12) });
    const before = await api.entries.create.mutate({ start: at("2026-01-05", 8), end: at("2026-01-05", 9) });
    const others = await s.owner.api.entries.create.mutate({ start: at("2026-01-05", 9), end: at("2026-01-05", 11) });
    expect(ids((await api.entries.list.query({})).items).sort()).toEqual([first.id, after.id, before.id].sort());

    // Moving an entry onto another is refused too, and leaves it where it was.
    const moved = await rejectionOf(api.entries.update.mutate({ id: after.id, start: at("2026-01-05", 10, 59) }));
    expect(moved.data?.reason).toBe("OVERLAP");
    expect((await api.entries.get.query({ id: after.id })).start).toEqual(at("2026-01-05", 11));
    expect((await s.owner.api.entries.get.query({ id: others.id })).userId).toBe(s.owner.userId);
  });
});

describe("running timers", () => {
  it("runs one timer per user, reports it, and stops it", async () => {
    const s = await setup();
    const api = s.employee.api;
    expect(await api.entries.running.query()).toBeNull();
    const timer = await api.entries.create.mutate({ projectId: s.site.id, start: at("2026-01-05", 9), end: null, tagIds: [s.tags[1]!] });
    expect(timer.end).toBeNull();
    expect(await api.entries.running.query()).toMatchObject({ id: timer.id, end: null, tagIds: [s.tags[1]] });
    expect(await s.owner.api.entries.running.query()).toBeNull();

    const second = await rejectionOf(api.entries.create.mutate({ start: at("2026-01-05", 10), end: null }));
    expect([second.data?.code, second.data?.reason]).toEqual(["CONFLICT", "OVERLAP"]);
    // The owner's own timer is independent.
    await s.owner.api.entries.create.mutate({ start: at("2026-01-05", 9, 30), end: null });

    expect(await errorCodeOf(api.entries.stop.mutate({ end: at("2026-01-05", 8) }))).toBe("BAD_REQUEST");
    const stopped = await api.entries.stop.mutate({ end: at("2026-01-05", 12) });
    expect(stopped).toMatchObject({ id: timer.id, end: at("2026-01-05", 12) });
    expect(await api.entries.running.query()).toBeNull();
    expect(await errorCodeOf(api.entries.stop.mutate({}))).toBe("NOT_FOUND");
    expect((await s.owner.api.entries.running.query())?.userId).toBe(s.owner.userId);

    // A new timer may start where the stopped one ended; stopping without `end` uses now.
    await api.entries.create.mutate({ start: at("2026-01-05", 12), end: null });
    const beforeStop = Date.now();
    const nowStopped = await api.entries.stop.mutate({});
    expect(nowStopped.end!.getTime()).toBeGreaterThanOrEqual(beforeStop - 1000);
    expect(nowStopped.end!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });
});

describe("references", () => {
  it("refuses a task of another project, an unknown project and an archived project", async () => {
    const s = await setup();
    const api = s.employee.api;
    const day = "2026-01-05";
    expect(await errorCodeOf(api.entries.create.mutate({ projectId: s.site.id, taskId: s.app.taskId, start: at(day, 9), end: at(day, 10) }))).toBe(
      "BAD_REQUEST",
    );
    expect(await errorCodeOf(api.entries.create.mutate({ taskId: s.app.taskId, start: at(day, 9), end: at(day, 10) }))).toBe("BAD_REQUEST");
    const entry = await api.entries.create.mutate({ projectId: s.site.id, taskId: s.site.taskId, start: at(day, 9), end: at(day, 10) });
    expect(await errorCodeOf(api.entries.update.mutate({ id: entry.id, taskId: s.app.taskId }))).toBe("BAD_REQUEST");
    expect(await errorCodeOf(api.entries.update.mutate({ id: entry.id, projectId: s.app.id }))).toBe("BAD_REQUEST");
    expect(await api.entries.get.query({ id: entry.id })).toMatchObject({ projectId: s.site.id, taskId: s.site.taskId });

    const missing = "00000000-0000-4000-8000-000000000000";
    expect(await errorCodeOf(api.entries.create.mutate({ projectId: missing, start: at(day, 11), end: at(day, 12) }))).toBe("NOT_FOUND");
    await s.owner.api.projects.update.mutate({ id: s.app.id, archived: true });
    expect(await errorCodeOf(api.entries.create.mutate({ projectId: s.app.id, start: at(day, 11), end: at(day, 12) }))).toBe("BAD_REQUEST");
    expect(ids((await api.entries.list.query({})).items)).toEqual([entry.id]);
  });

  it("sets tags, replaces them, keeps them when not given and clears them", async () => {
    const s = await setup();
    const api = s.employee.api;
    const [meeting, review, travel] = s.tags as [string, string, string];
    const entry = await api.entries.create.mutate({ start: at("2026-01-05", 9), end: at("2026-01-05", 10), tagIds: [meeting, review, meeting] });
    expect(entry.tagIds.sort()).toEqual([meeting, review].sort());
    expect((await api.entries.get.query({ id: entry.id })).tagIds.sort()).toEqual([meeting, review].sort());

    expect((await api.entries.update.mutate({ id: entry.id, tagIds: [travel] })).tagIds).toEqual([travel]);
    expect((await api.entries.get.query({ id: entry.id })).tagIds).toEqual([travel]);
    expect((await api.entries.update.mutate({ id: entry.id, description: "no tag change" })).tagIds).toEqual([travel]);
    expect((await api.entries.get.query({ id: entry.id })).tagIds).toEqual([travel]);
    await api.entries.update.mutate({ id: entry.id, tagIds: [] });
    expect((await api.entries.get.query({ id: entry.id })).tagIds).toEqual([]);

    // Another workspace's tag is unknown here.
    const other = await createCompany(server, "Other");
    const foreignTag = await other.owner.api.tags.create.mutate({ name: "foreign" });
    expect(await errorCodeOf(api.entries.update.mutate({ id: entry.id, tagIds: [foreignTag.id] }))).toBe("NOT_FOUND");
    expect((await api.entries.get.query({ id: entry.id })).tagIds).toEqual([]);
  });
});
