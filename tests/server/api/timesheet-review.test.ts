import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../../server/src/routers/index.js";
import { at } from "../../support/api.js";
import { createCompany, type Company, type Person } from "../../support/people.js";
import { errorCodeOf, startTestServer, type TestServer } from "../../support/server.js";
import { UNLIMITED, UNLIMITED_ENV } from "../../support/staffed-company.js";
import { invoke } from "../isolation/procedures.js";

let server: TestServer;
let acme: Company;
let ann: Person;
let bob: Person;
let manager: Person;

beforeAll(async () => {
  server = await startTestServer({ env: UNLIMITED_ENV });
  acme = await createCompany(server, "Review");
  await acme.owner.api.workspace.update.mutate(UNLIMITED);
  ann = await acme.hire("EMPLOYEE");
  bob = await acme.hire("EMPLOYEE");
  manager = await acme.hire("MANAGER");
});
afterAll(async () => {
  await server.close();
});

async function onProject(person: Person, name: string) {
  const project = await acme.owner.api.projects.create.mutate({ name });
  const members = await acme.owner.api.members.list.query();
  const membershipId = members.find((m) => m.userId === person.userId)!.id;
  await acme.owner.api.projects.addMember.mutate({ projectId: project.id, membershipId });
  return project;
}

describe("the review queue", () => {
  it("answers each pending timesheet with the person, the period's last day, total hours and submitted when, oldest first, filtered by person and project", async () => {
    const site = await onProject(bob, "Site");
    await bob.api.entries.create.mutate({ start: at("2026-05-04", 9), end: at("2026-05-04", 11, 30), projectId: site.id });
    await bob.api.entries.create.mutate({ start: at("2026-05-05", 9), end: at("2026-05-05", 10) });
    const first = await bob.api.timesheets.submit.mutate({ periodStart: "2026-05-04" });
    await ann.api.entries.create.mutate({ start: at("2026-05-11", 9), end: at("2026-05-11", 10) });
    const second = await ann.api.timesheets.submit.mutate({ periodStart: "2026-05-11" });

    expect(first).toMatchObject({ periodStart: "2026-05-04", periodEnd: "2026-05-11", periodLastDay: "2026-05-10" });
    const queue = await manager.api.timesheets.pending.query();
    expect(queue.map((s) => s.id)).toEqual([first.id, second.id]);
    const [bobs] = queue;
    expect(bobs).toMatchObject({ periodLastDay: "2026-05-10", totalSeconds: 3.5 * 3600, projectIds: [site.id] });
    expect(bobs?.person.email).toBe(bob.email);
    expect(bobs?.submittedAt).toBeInstanceOf(Date);

    expect((await manager.api.timesheets.pending.query({ userId: ann.userId })).map((s) => s.id)).toEqual([second.id]);
    expect((await manager.api.timesheets.pending.query({ projectId: site.id })).map((s) => s.id)).toEqual([first.id]);
    expect(await manager.api.timesheets.pending.query({ userId: manager.userId })).toEqual([]);
    expect(await errorCodeOf(ann.api.timesheets.pending.query())).toBe("FORBIDDEN");

    const opened = await manager.api.timesheets.get.query({ id: first.id });
    expect(opened.person.email).toBe(bob.email);
    expect(opened.earlier).toEqual([]);
  });

  it("shows the person's earlier decisions beside a timesheet", async () => {
    await ann.api.entries.create.mutate({ start: at("2026-06-01", 9), end: at("2026-06-01", 10) });
    const june = await ann.api.timesheets.submit.mutate({ periodStart: "2026-06-01" });
    await manager.api.timesheets.reject.mutate({ id: june.id, comment: "Add the meeting" });
    const later = await ann.api.timesheets.submit.mutate({ periodStart: "2026-06-08" });
    const opened = await manager.api.timesheets.get.query({ id: later.id });
    expect(opened.earlier.map((s) => [s.id, s.status, s.comment])).toEqual([[june.id, "REJECTED", "Add the meeting"]]);
  });
});

describe("the team overview", () => {
  it("gives each member's standing for a week with hours, late once the week is over", async () => {
    const company = await createCompany(server, "Team");
    await company.owner.api.workspace.update.mutate(UNLIMITED);
    const [submits, forgets, idle, lead] = [
      await company.hire("EMPLOYEE"),
      await company.hire("EMPLOYEE"),
      await company.hire("EMPLOYEE"),
      await company.hire("MANAGER"),
    ];
    await submits.api.entries.create.mutate({ start: at("2026-02-02", 9), end: at("2026-02-02", 17) });
    await submits.api.timesheets.submit.mutate({ periodStart: "2026-02-02" });
    await forgets.api.entries.create.mutate({ start: at("2026-02-03", 9), end: at("2026-02-03", 10) });

    const team = await lead.api.timesheets.team.query({ periodStart: "2026-02-02" });
    expect(team).toMatchObject({ periodStart: "2026-02-02", periodEnd: "2026-02-09", periodLastDay: "2026-02-08", over: true });
    const standing = (p: Person) => team.people.find((m) => m.userId === p.userId);
    expect(standing(submits)).toMatchObject({ standing: "SUBMITTED", late: false, totalSeconds: 8 * 3600 });
    expect(standing(forgets)).toMatchObject({ standing: "NOT_SUBMITTED", late: true, totalSeconds: 3600 });
    expect(standing(idle)).toMatchObject({ standing: "NOTHING_TRACKED", late: true, totalSeconds: 0 });

    const current = await lead.api.timesheets.team.query();
    expect(current.over).toBe(false);
    expect(current.people.every((p) => !p.late)).toBe(true);
    expect(await errorCodeOf(lead.api.timesheets.team.query({ periodStart: "2026-02-03" }))).toBe("BAD_REQUEST");
    expect(await errorCodeOf(submits.api.timesheets.team.query())).toBe("FORBIDDEN");
  });
});

/** Queries that cannot mean anything without naming something, and why. */
const NEEDS_INPUT: Record<string, string> = {
  "attachments.list": "the entry whose files to list",
  "entries.get": "the entry",
  "projects.get": "the project",
  "projects.members": "the project",
  "timesheets.get": "the timesheet",
  "timesheets.history": "the timesheet",
  "reports.summary": "the range and grouping (a report of all time would be a guess)",
  "sync.pull": "the device's cursor",
};

describe("list and read procedures called with no input", () => {
  const queries = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
    .filter(([, p]) => p._def.type === "query")
    .map(([path]) => path)
    .sort();

  it.each(queries.filter((q) => !(q in NEEDS_INPUT)))("%s answers without BAD_REQUEST", async (path) => {
    const code = await errorCodeOf(invoke(acme.owner.api, path, undefined) as Promise<unknown>);
    expect(code).toBeNull();
  });

  it("still refuses, with BAD_REQUEST, the queries that must name something", async () => {
    for (const path of Object.keys(NEEDS_INPUT)) {
      expect(queries, `${path} is no query of the router any more`).toContain(path);
      expect(await errorCodeOf(invoke(acme.owner.api, path, undefined) as Promise<unknown>), path).toBe("BAD_REQUEST");
    }
  });
});

describe("decisions reach the person as notifications", () => {
  it("tells the employee of a rejection with its comment, and of an approval", async () => {
    await bob.api.entries.create.mutate({ start: at("2026-07-06", 9), end: at("2026-07-06", 10) });
    const sheet = await bob.api.timesheets.submit.mutate({ periodStart: "2026-07-06" });
    await manager.api.timesheets.reject.mutate({ id: sheet.id, comment: "Which client?" });
    await bob.api.timesheets.submit.mutate({ periodStart: "2026-07-06" });
    await manager.api.timesheets.approve.mutate({ id: sheet.id });
    const mine = await bob.api.notifications.list.query({ unreadOnly: true });
    const about = mine.filter((n) => (n.body as { timesheetId?: string }).timesheetId === sheet.id);
    expect(about.map((n) => n.kind)).toEqual(["timesheet.approved", "timesheet.rejected"]);
    expect(about[1]?.body).toMatchObject({ comment: "Which client?" });
    expect((await ann.api.notifications.list.query()).some((n) => (n.body as { timesheetId?: string }).timesheetId === sheet.id)).toBe(false);
  });
});
