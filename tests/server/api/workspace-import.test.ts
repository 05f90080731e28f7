/**
 * Workspace archive import over real HTTP: an archive made by
 * GET /export/workspace.zip restores into a new workspace the importer owns,
 * with new ids everywhere and the same data (entries, projects, tags,
 * timesheets, files' bytes, report totals) for the importer; everyone else is
 * invited and their rows held for them: seen by nobody until they accept,
 * then theirs (entries, tags, timesheets, files, in the owner's reports);
 * gone with their files when the invitation is revoked or the workspace
 * deleted. A bad archive is refused with a reason and leaves nothing. The
 * cross-tenant cases are in tests/server/isolation/workspace-import.test.ts.
 */
import { createHash } from "node:crypto";
import { request } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { adminRows } from "../../support/admin-rows.js";
import { at } from "../../support/api.js";
import { archiveView } from "../../support/archive-view.js";
import { exportArchive, importArchive, traces, zipOf } from "../../support/archive-import.js";
import { download } from "../../support/attachments.js";
import { fillWorkspace } from "../../support/filled-workspace.js";
import { createCompany, signUpConfirmed, TEST_PASSWORD, type Company } from "../../support/people.js";
import { errorCodeOf, startTestServer, type TestServer } from "../../support/server.js";
import { staffCompany, UNLIMITED_ENV, type StaffedCompany } from "../../support/staffed-company.js";

let server: TestServer;
/** A second server, with small import limits, on which nobody of the archive has an account. */
let elsewhere: TestServer;
let acme: StaffedCompany;
let importer: Company;
let stranger: Company;
let archive: Buffer;

beforeAll(async () => {
  [server, elsewhere] = await Promise.all([
    startTestServer({ env: UNLIMITED_ENV }),
    startTestServer({
      env: { ...UNLIMITED_ENV, ARCHIVE_IMPORT_MAX_BYTES: "300000", ARCHIVE_IMPORT_MAX_EXPANDED_BYTES: "1000000", ARCHIVE_IMPORT_MAX_ENTRIES: "100" },
    }),
  ]);
  acme = await staffCompany(server, "Acme");
  await fillWorkspace(acme);
  // The owner's own time, with a project, task and tag, so the import restores rows of theirs.
  const project = (await acme.owner.api.projects.list.query({})).items[0]!;
  const task = (await acme.owner.api.tasks.list.query({ projectId: project.id })).items[0];
  const tag = (await acme.owner.api.tags.list.query()).items[0];
  await acme.owner.api.entries.create.mutate({
    start: at("2026-03-02", 9),
    end: at("2026-03-02", 11),
    description: "Board meeting",
    projectId: project.id,
    taskId: task?.id ?? null,
    tagIds: tag ? [tag.id] : [],
  });
  importer = await createCompany(server, "Importer");
  stranger = await createCompany(elsewhere, "Stranger");
  archive = await exportArchive(server.url, acme.owner.token, acme.workspaceId);
}, 180_000);
afterAll(async () => {
  await Promise.all([server?.close(), elsewhere?.close()]);
});

const report = (api: ReturnType<TestServer["client"]>, userIds?: string[]) =>
  api.reports.summary.query({ from: at("2020-01-01", 0), to: at("2030-01-01", 0), groupBy: "day", ...(userIds ? { userIds } : {}) });

interface Held {
  email: string;
  entries: number;
  timesheets: number;
  attachments: number;
}
const pick = ({ entries, timesheets, attachments }: Held) => ({ entries, timesheets, attachments });
const sum = (held: Held[], field: "entries" | "timesheets" | "attachments") => held.reduce((n, p) => n + p[field], 0);

/** Held rows of `workspaceId`, by kind, read past RLS (the server shows them to nobody). */
async function heldRows(on: TestServer, workspaceId: string): Promise<Record<string, number>> {
  const rows = await adminRows(on, `SELECT kind, count(*)::int AS n FROM held_rows WHERE tenant_id = $1 GROUP BY kind`, [workspaceId]);
  return Object.fromEntries(rows.map((r) => [r.kind as string, r.n as number]));
}

/** The files stored for `workspaceId` (server-made keys in its folder under the storage root). */
async function storedFiles(on: TestServer, workspaceId: string): Promise<string[]> {
  const names = await readdir(path.join(on.services.attachments.root!, workspaceId)).catch(() => [] as string[]);
  return names.filter((n) => /^[0-9a-f]{32}$/.test(n));
}

/** The attachment rows of an archive view. */
const attachmentsOf = (view: Awaited<ReturnType<typeof archiveView>>) => JSON.parse(view.zip.get("attachments.json")!.toString("utf8")) as { id: string }[];

/** The archive's rows of `email` in an archive view's list (entries, timesheets). */
const rowsOf = (list: string[], email: string) => list.filter((row) => JSON.parse(row).by === email);

describe("workspace archive import", () => {
  it("restores an archive into a new workspace the importer owns: the catalog, their own rows, every id new; everyone else invited", async () => {
    // The archive's owner restores their company (on this server: the same e-mail, the same account).
    const res = await importArchive(server.url, acme.owner.token, archive);
    expect(res.status).toBe(201);
    const workspaceId = res.body.workspaceId as string;
    expect(res.body.ids).toBe("remapped");
    expect(workspaceId).not.toBe(acme.workspaceId);

    const workspaces = await server.client({ token: acme.owner.token }).auth.workspaces.query();
    expect(workspaces.find((w) => w.workspaceId === workspaceId)).toMatchObject({ role: "OWNER", name: acme.name });

    // Export the restored workspace and compare the two archives by what the ids name.
    const before = await archiveView(archive);
    const after = await archiveView(await exportArchive(server.url, acme.owner.token, workspaceId));
    expect(after.tasks).toEqual(before.tasks);
    // Project memberships come back for the importer alone (the others are only invited).
    const onlyOwner = (list: string[]) =>
      list.map((row) => JSON.parse(row) as { members: string[] }).map((p) => JSON.stringify({ ...p, members: p.members.filter((m) => m === acme.owner.email) })).sort();
    expect(onlyOwner(after.projects)).toEqual(onlyOwner(before.projects));
    const ownersOwn = (list: string[]) => list.filter((row) => JSON.parse(row).by === acme.owner.email);
    expect(after.entries).toEqual(ownersOwn(before.entries));
    expect(after.timesheets).toEqual(ownersOwn(before.timesheets));
    expect(after.entries.length).toBeGreaterThanOrEqual(1);

    // Nobody else becomes a member without saying so, not even people with an account here:
    // each is invited with their role (an owner as an admin), their own rows held for them (and not exported).
    expect(after.members).toEqual([JSON.stringify({ email: acme.owner.email, role: "OWNER" })]);
    const others = before.members.map((m) => JSON.parse(m) as { email: string; role: string }).filter((m) => m.email !== acme.owner.email);
    const invited = res.body.invitations as { email: string; role: string; token: string }[];
    expect(invited.map((i) => i.email).sort()).toEqual(others.map((m) => m.email).sort());
    expect(invited.every((i) => i.role !== "OWNER")).toBe(true);
    const held = res.body.held as Held[];
    expect(sum(held, "entries")).toBe(before.entries.length - after.entries.length);
    expect(sum(held, "timesheets")).toBe(before.timesheets.length - after.timesheets.length);
    expect(held.every((p) => p.email !== acme.owner.email)).toBe(true);
    expect(res.body.leftOut).toEqual([]);
    // The invitations list says what each invitation holds (revoking it discards that).
    const listed = await server.client({ token: acme.owner.token, workspaceId }).members.invitations.query();
    const heldFor = (email: string) => {
      const person = held.find((p) => p.email === email);
      return person ? pick(person) : { entries: 0, timesheets: 0, attachments: 0 };
    };
    expect(Object.fromEntries(listed.map((i) => [i.email, i.held]))).toEqual(Object.fromEntries(others.map((m) => [m.email, heldFor(m.email)])));
    expect(listed.some((i) => i.held.entries > 0)).toBe(true);
    const employee = server.client({ token: acme.people.EMPLOYEE.token, workspaceId });
    await expect(employee.entries.list.query({})).rejects.toMatchObject({ data: { code: "NOT_FOUND" } });

    const restoredFiles = (res.body.counts as { attachments: number }).attachments;
    expect(restoredFiles + sum(held, "attachments")).toBe(2);
    expect(res.body.counts).toMatchObject({ entries: after.entries.length, timesheets: after.timesheets.length, projects: before.projects.length });

    const newIds = new Set(after.ids);
    expect(before.ids.filter((id) => newIds.has(id))).toEqual([]);

    // Files: the same bytes, served from the new workspace.
    const attachments = JSON.parse(after.zip.get("attachments.json")!.toString("utf8")) as { id: string; sha256: string }[];
    expect(attachments).toHaveLength(restoredFiles);
    for (const a of attachments) {
      const got = await download(server.url, acme.owner, workspaceId, a.id);
      expect(got.status).toBe(200);
      expect(before.files.some((b) => b.equals(got.body))).toBe(true);
    }

    // The owner's time adds up the same in a report of the copy as in the original, day by day.
    const mine = server.client({ token: acme.owner.token, workspaceId });
    const theirs = await acme.owner.api.reports.summary.query({ from: at("2020-01-01", 0), to: at("2030-01-01", 0), groupBy: "day", userIds: [acme.owner.userId] });
    const ours = await report(mine);
    expect(ours.totals).toEqual(theirs.totals);
    expect(ours.groups.map((g) => [g.key, g.seconds])).toEqual(theirs.groups.map((g) => [g.key, g.seconds]));

    // The employee (an account here) accepts: their held rows become theirs, in this workspace only.
    const employeeEmail = acme.people.EMPLOYEE.email;
    const token = invited.find((i) => i.email === employeeEmail)!.token;
    expect(await server.client({ token: acme.people.EMPLOYEE.token }).auth.acceptInvitation.mutate({ token })).toEqual({ workspaceId });
    const accepted = await archiveView(await exportArchive(server.url, acme.owner.token, workspaceId));
    expect(rowsOf(accepted.entries, employeeEmail)).toEqual(rowsOf(before.entries, employeeEmail));
    expect(rowsOf(accepted.entries, employeeEmail).length).toBeGreaterThan(0);
    expect(rowsOf(accepted.timesheets, employeeEmail)).toEqual(rowsOf(before.timesheets, employeeEmail));
    expect(rowsOf(accepted.entries, acme.owner.email)).toEqual(after.entries);
    expect((await heldRows(server, workspaceId)).entry ?? 0).toBe(sum(held, "entries") - rowsOf(before.entries, employeeEmail).length);
    // The owner's reports now count the employee's time as the original did (figures cached before are dropped).
    const employeesThere = await acme.owner.api.reports.summary.query({ from: at("2020-01-01", 0), to: at("2030-01-01", 0), groupBy: "day", userIds: [acme.people.EMPLOYEE.userId] });
    const employeesHere = await report(mine, [acme.people.EMPLOYEE.userId]);
    // (Seconds, not amounts: an invited person's archived hourly rate does not come back.)
    expect(employeesHere.groups.map((g) => [g.key, g.seconds])).toEqual(employeesThere.groups.map((g) => [g.key, g.seconds]));
    expect(employeesHere.totals.seconds).toBeGreaterThan(0);
    expect((await report(mine)).totals.seconds).toBe(ours.totals.seconds + employeesThere.totals.seconds);
    // Their files: the same bytes, theirs to download.
    const theirFiles = attachmentsOf(accepted);
    expect(theirFiles.length).toBe(sum(held.filter((p) => p.email === employeeEmail), "attachments"));
    expect(theirFiles.length).toBeGreaterThan(0);
    for (const a of theirFiles) {
      const got = await download(server.url, acme.people.EMPLOYEE, workspaceId, a.id);
      expect(got.status).toBe(200);
      expect(before.files.some((b) => b.equals(got.body))).toBe(true);
    }
  }, 120_000);

  it("moves held time to a new invitation of the same person, and accepts all or nothing: held time that overlaps the person's own entries is refused, typed, and stays held", async () => {
    const res = await importArchive(server.url, acme.owner.token, archive);
    expect(res.status).toBe(201);
    const workspaceId = res.body.workspaceId as string;
    const owner = server.client({ token: acme.owner.token, workspaceId });
    const person = acme.people.EMPLOYEE;
    const held = (res.body.held as Held[]).find((p) => p.email === person.email)!;
    const imported = (res.body.invitations as { email: string; token: string }[]).find((i) => i.email === person.email)!;
    // Invited again (their link lost or expired): what the import holds for them moves to the new invitation.
    const again = await owner.members.invite.mutate({ email: person.email, role: "EMPLOYEE" });
    const listed = await owner.members.invitations.query();
    expect(listed.find((i) => i.id === again.invitationId)?.held).toEqual(pick(held));
    expect(listed.filter((i) => i.email === person.email && i.id !== again.invitationId).map((i) => i.held)).toEqual([{ entries: 0, timesheets: 0, attachments: 0 }]);
    // They join through the first link (which holds nothing now) and log an hour over one of their held entries.
    await server.client({ token: person.token }).auth.acceptInvitation.mutate({ token: imported.token });
    const theirs = server.client({ token: person.token, workspaceId });
    expect((await theirs.entries.list.query({})).items).toEqual([]);
    const clash = await theirs.entries.create.mutate({ start: at("2026-03-03", 9), end: at("2026-03-03", 10), description: "clash" });
    const heldBefore = await heldRows(server, workspaceId);

    const refused = await server.client({ token: person.token }).auth.acceptInvitation.mutate({ token: again.token }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ data: { code: "CONFLICT", reason: "OVERLAP" }, message: expect.stringMatching(/time held for you .* nothing was changed/) });
    expect(JSON.stringify(refused)).not.toMatch(/prisma|SELECT|INSERT|time_entries/i);
    // Nothing half-applied: their entries are the one they made, the rows still held, the invitation still pending.
    expect((await theirs.entries.list.query({})).items.map((e) => e.id)).toEqual([clash.id]);
    expect(await heldRows(server, workspaceId)).toEqual(heldBefore);
    expect((await owner.members.invitations.query()).map((i) => i.id)).toContain(again.invitationId);

    // Without the clash, the same token hands everything over.
    await theirs.entries.delete.mutate({ id: clash.id });
    await server.client({ token: person.token }).auth.acceptInvitation.mutate({ token: again.token });
    expect((await theirs.entries.list.query({})).items).toHaveLength(held.entries);
    expect(attachmentsOf(await archiveView(await exportArchive(server.url, acme.owner.token, workspaceId)))).toHaveLength(held.attachments);
    expect(await heldRows(server, workspaceId)).not.toHaveProperty("attachment");
  }, 120_000);

  it("on a server where nobody of the archive has an account, invites them and holds their rows until they sign up through the invitation", async () => {
    const res = await importArchive(elsewhere.url, stranger.owner.token, archive);
    expect(res.status).toBe(201);
    const workspaceId = res.body.workspaceId as string;
    const before = await archiveView(archive);
    const invitations = res.body.invitations as { email: string; role: string; token: string }[];
    const invited = invitations.map((i) => i.email).sort();
    expect(invited).toEqual(before.members.map((m) => JSON.parse(m).email).sort());
    expect(invitations.every((i) => i.role !== "OWNER")).toBe(true);
    const held = res.body.held as Held[];
    expect(sum(held, "entries")).toBe(before.entries.length);
    expect(sum(held, "timesheets")).toBe(before.timesheets.length);
    expect(sum(held, "attachments")).toBe(2);
    expect(res.body.leftOut).toEqual([]);
    expect(res.body.counts).toMatchObject({ entries: 0, attachments: 0, projects: before.projects.length, invitations: invited.length });
    expect(await heldRows(elsewhere, workspaceId)).toEqual({ entry: before.entries.length, timesheet: before.timesheets.length, attachment: 2 });
    expect(await storedFiles(elsewhere, workspaceId)).toHaveLength(2);

    const api = elsewhere.client({ token: stranger.owner.token, workspaceId });
    const pending = await api.members.invitations.query();
    expect(pending.map((p) => p.email).sort()).toEqual(invited);
    expect((await api.projects.list.query({})).items.map((p) => p.name).sort()).toEqual(before.projects.map((p) => JSON.parse(p).name).sort());
    // Held is not visible: no entries, no time in reports, nothing in an export.
    expect((await api.entries.list.query({})).items).toEqual([]);
    expect((await report(api)).totals.seconds).toBe(0);
    expect((await archiveView(await exportArchive(elsewhere.url, stranger.owner.token, workspaceId))).entries).toEqual([]);
    // A project with held time is in use, as with real time: it cannot be deleted from under the rows.
    const project = (await api.projects.list.query({})).items.find((p) => before.entries.some((e) => JSON.parse(e).project === p.name))!;
    expect(await errorCodeOf(api.projects.delete.mutate({ id: project.id }))).toBe("CONFLICT");

    // The employee makes an account here through their invitation: their rows become theirs.
    const email = acme.people.EMPLOYEE.email;
    const joined = await signUpConfirmed(elsewhere, { email, password: TEST_PASSWORD, name: "Employee", invitationToken: invitations.find((i) => i.email === email)!.token });
    expect(joined.workspaceId).toBe(workspaceId);
    const theirs = elsewhere.client({ token: joined.token, workspaceId });
    const accepted = await archiveView(await exportArchive(elsewhere.url, stranger.owner.token, workspaceId));
    expect(accepted.entries).toEqual(rowsOf(before.entries, email));
    expect(accepted.timesheets).toEqual(rowsOf(before.timesheets, email));
    expect(accepted.entries.some((e) => JSON.parse(e).tags.length > 0 && JSON.parse(e).project !== null)).toBe(true);
    const files = attachmentsOf(accepted);
    expect(files).toHaveLength(2);
    expect((await theirs.entries.list.query({})).items).toHaveLength(accepted.entries.length);
    for (const a of files) {
      const got = await download(elsewhere.url, { token: joined.token }, workspaceId, a.id);
      expect(got.status).toBe(200);
      expect(before.files.some((b) => b.equals(got.body))).toBe(true);
    }
    const original = await acme.owner.api.reports.summary.query({ from: at("2020-01-01", 0), to: at("2030-01-01", 0), groupBy: "day", userIds: [acme.people.EMPLOYEE.userId] });
    const owners = await report(api);
    expect(owners.totals.seconds).toBeGreaterThan(0);
    expect(owners.groups.map((g) => [g.key, g.seconds])).toEqual(original.groups.map((g) => [g.key, g.seconds]));
    // Only the employee's held rows went; the others' wait for them; the files are the same two.
    const others = held.filter((p) => p.email !== email);
    expect(await heldRows(elsewhere, workspaceId)).toEqual(
      Object.fromEntries(
        (
          [
            ["entry", sum(others, "entries")],
            ["timesheet", sum(others, "timesheets")],
            ["attachment", sum(others, "attachments")],
          ] as const
        ).filter(([, n]) => n > 0),
      ),
    );
    expect(await storedFiles(elsewhere, workspaceId)).toHaveLength(2);
  }, 120_000);

  it("revoking an invitation discards the rows held for it and their files; deleting the workspace leaves none either", async () => {
    const res = await importArchive(elsewhere.url, stranger.owner.token, archive);
    expect(res.status).toBe(201);
    const workspaceId = res.body.workspaceId as string;
    const api = elsewhere.client({ token: stranger.owner.token, workspaceId });
    const employee = acme.people.EMPLOYEE.email;
    const pending = await api.members.invitations.query();
    const theirs = pending.find((p) => p.email === employee)!;
    const held = (res.body.held as Held[]).find((p) => p.email === employee)!;
    expect(held.attachments).toBe(2);
    const rowsBefore = await heldRows(elsewhere, workspaceId);
    expect(await storedFiles(elsewhere, workspaceId)).toHaveLength(2);

    await api.members.revokeInvitation.mutate({ id: theirs.id });
    const rowsAfter = await heldRows(elsewhere, workspaceId);
    expect((rowsBefore.entry ?? 0) - (rowsAfter.entry ?? 0)).toBe(held.entries);
    expect(rowsAfter.attachment).toBeUndefined();
    expect(await storedFiles(elsewhere, workspaceId)).toEqual([]);
    // The revoked token takes nobody in, and brings nothing back.
    const token = (res.body.invitations as { email: string; token: string }[]).find((i) => i.email === employee)!.token;
    await expect(signUpConfirmed(elsewhere, { email: employee, password: TEST_PASSWORD, name: "Employee", invitationToken: token })).rejects.toMatchObject({
      data: { code: "NOT_FOUND" },
    });

    // The others' rows are still held; deleting the workspace takes them (and its folder) too.
    expect(Object.keys(rowsAfter).length).toBeGreaterThan(0);
    const name = (await api.workspace.get.query()).name;
    await api.workspace.delete.mutate({ confirmName: name });
    expect(await heldRows(elsewhere, workspaceId)).toEqual({});
    expect(await storedFiles(elsewhere, workspaceId)).toEqual([]);
  }, 120_000);

  it("carries held rows through an export and back: held.json and the held files; imported again they are held again, and an acceptance makes them the person's", async () => {
    // The importer is nobody of the archive: everyone's rows are held in the copy.
    const first = await importArchive(server.url, importer.owner.token, archive);
    expect(first.status).toBe(201);
    const copyId = first.body.workspaceId as string;
    const heldFirst = first.body.held as Held[];
    const before = await archiveView(archive);
    expect(sum(heldFirst, "entries")).toBe(before.entries.length);
    expect(sum(heldFirst, "attachments")).toBe(2);

    // Its export carries every held row, with the invitation's e-mail address and role, and the held files.
    const carried = await exportArchive(server.url, importer.owner.token, copyId);
    const view = await archiveView(carried);
    const manifest = JSON.parse(view.zip.get("manifest.json")!.toString("utf8"));
    const heldJson = heldOf(view.zip);
    expect(manifest).toMatchObject({ formatVersion: 2, counts: { held: heldJson.length } });
    const kinds = (email: string) => ({
      entries: heldJson.filter((h) => h.email === email && h.kind === "entry").length,
      timesheets: heldJson.filter((h) => h.email === email && h.kind === "timesheet").length,
      attachments: heldJson.filter((h) => h.email === email && h.kind === "attachment").length,
    });
    for (const p of heldFirst) expect(kinds(p.email), p.email).toEqual(pick(p));
    const roleOf = (list: { email: string; role: string }[]) => Object.fromEntries(list.map((i) => [i.email, i.role]));
    const firstRoles = roleOf(first.body.invitations as { email: string; role: string }[]);
    for (const h of heldJson) expect(h.role).toBe(firstRoles[h.email]);
    // Ids are this server's, as in the other files: projects, tasks, tags, and the held entries an attachment names.
    const ids = (name: string) => new Set((JSON.parse(view.zip.get(`${name}.json`)!.toString("utf8")) as { id: string }[]).map((r) => r.id));
    const [projects, tasks, tags] = [ids("projects"), ids("tasks"), ids("tags")];
    const heldEntries = new Set(heldJson.filter((h) => h.kind === "entry").map((h) => h.payload.id as string));
    for (const h of heldJson.filter((r) => r.kind === "entry")) {
      if (h.project_id) expect(projects.has(h.project_id)).toBe(true);
      if (h.task_id) expect(tasks.has(h.task_id)).toBe(true);
      for (const t of h.payload.tagIds as string[]) expect(tags.has(t)).toBe(true);
    }
    expect(heldJson.some((h) => h.kind === "entry" && (h.payload.tagIds as string[]).length > 0 && h.project_id)).toBe(true);
    const heldFiles = heldJson.filter((h) => h.kind === "attachment");
    expect(manifest.files).toMatchObject({ written: 2, missing: [] });
    for (const a of heldFiles) {
      expect(heldEntries.has(a.payload.entryId as string)).toBe(true);
      const bytes = view.zip.get(`files/${a.payload.id as string}`)!;
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(a.payload.sha256);
      expect(before.files.some((b) => b.equals(bytes))).toBe(true);
    }
    expect(view.zip.get("held.json")!.toString("utf8")).not.toMatch(/storage_key|tenant_id/);

    // Imported by someone else: the same people's rows held again, the same counts, no file missing.
    const second = await createCompany(server, "Second");
    const res = await importArchive(server.url, second.owner.token, carried);
    expect(res.status).toBe(201);
    const byEmail = (list: Held[]) => [...list].sort((a, b) => a.email.localeCompare(b.email));
    expect(byEmail(res.body.held as Held[])).toEqual(byEmail(heldFirst));
    expect(res.body.missingFiles).toBe(0);
    expect(res.body.counts).toMatchObject({ entries: 0, timesheets: 0, attachments: 0 });
    const invitations = res.body.invitations as { email: string; role: string; token: string }[];
    // The people rows were held for, with their roles, and the first copy's owner (a member of it) as an admin.
    // (An invitation that holds nothing is not carried: the archive has no invitations, only held rows.)
    const heldRoles = Object.fromEntries(heldFirst.map((p) => [p.email, firstRoles[p.email]]));
    expect(roleOf(invitations)).toEqual({ ...heldRoles, [importer.owner.email]: "ADMIN" });
    const workspaceId = res.body.workspaceId as string;
    expect(await heldRows(server, workspaceId)).toEqual({ entry: before.entries.length, timesheet: before.timesheets.length, attachment: 2 });

    // The employee accepts there: their entries, timesheet and files are theirs, as in the original.
    const employee = acme.people.EMPLOYEE;
    const token = invitations.find((i) => i.email === employee.email)!.token;
    expect(await server.client({ token: employee.token }).auth.acceptInvitation.mutate({ token })).toEqual({ workspaceId });
    const accepted = await archiveView(await exportArchive(server.url, second.owner.token, workspaceId));
    expect(accepted.entries).toEqual(rowsOf(before.entries, employee.email));
    expect(accepted.entries.length).toBeGreaterThan(0);
    expect(accepted.timesheets).toEqual(rowsOf(before.timesheets, employee.email));
    expect(accepted.timesheets.length).toBeGreaterThan(0);
    const files = attachmentsOf(accepted);
    expect(files).toHaveLength(2);
    for (const a of files) {
      const got = await download(server.url, employee, workspaceId, a.id);
      expect(got.status).toBe(200);
      expect(before.files.some((b) => b.equals(got.body))).toBe(true);
    }
    // What is still held is everyone else's, and the export says so.
    expect(heldOf(accepted.zip).every((h) => h.email !== employee.email)).toBe(true);
    expect(heldOf(accepted.zip)).toHaveLength(heldJson.length - heldJson.filter((h) => h.email === employee.email).length);

    // Imported by a person the archive held rows for: those rows are restored as theirs, not held.
    const own = await importArchive(server.url, acme.owner.token, carried);
    expect(own.status).toBe(201);
    expect((own.body.held as Held[]).map((p) => p.email)).not.toContain(acme.owner.email);
    const owned = await archiveView(await exportArchive(server.url, acme.owner.token, own.body.workspaceId as string));
    expect(owned.entries).toEqual(rowsOf(before.entries, acme.owner.email));
    expect(owned.entries.length).toBeGreaterThan(0);
  }, 180_000);

  it("lists a held file the storage cannot read as missing in the export; imported, that attachment is left out and counted", async () => {
    const first = await importArchive(server.url, importer.owner.token, archive);
    expect(first.status).toBe(201);
    const copyId = first.body.workspaceId as string;
    const [gone] = await adminRows(server, "SELECT storage_key, payload->>'id' AS id FROM held_rows WHERE tenant_id = $1 AND kind = 'attachment' ORDER BY id LIMIT 1", [copyId]);
    await rm(path.join(server.services.attachments.root!, copyId, gone!.storage_key as string));
    const carried = await exportArchive(server.url, importer.owner.token, copyId);
    const view = await archiveView(carried);
    expect(JSON.parse(view.zip.get("manifest.json")!.toString("utf8")).files).toMatchObject({ written: 1, missing: [gone!.id] });
    expect(view.zip.has(`files/${gone!.id as string}`)).toBe(false);
    expect(heldOf(view.zip).filter((h) => h.kind === "attachment")).toHaveLength(2);

    const res = await importArchive(server.url, importer.owner.token, carried);
    expect(res.status).toBe(201);
    expect(res.body.missingFiles).toBe(1);
    expect(sum(res.body.held as Held[], "attachments")).toBe(1);
    expect(sum(res.body.held as Held[], "entries")).toBe(sum(first.body.held as Held[], "entries"));
  }, 120_000);

  it("restores a workspace whose log counts outsiders' refused attempts (rows whose ids are made from a hash, not random)", async () => {
    const watched = await createCompany(server, "Watched");
    // Four outsiders: a hash-made id looks like an RFC 9562 UUID by chance one time in eight.
    const outsiders = await Promise.all([1, 2, 3, 4].map((n) => createCompany(server, `Outsider ${n}`)));
    for (const o of outsiders) {
      await expect(server.client({ token: o.owner.token, workspaceId: watched.workspaceId }).projects.list.query()).rejects.toThrow(/not found/i);
    }
    const log = await watched.owner.api.workspace.auditLog.query({ action: "access.denied", page: { limit: 10, cursor: 0 } });
    expect(log.items).toHaveLength(4);
    const res = await importArchive(server.url, watched.owner.token, await exportArchive(server.url, watched.owner.token, watched.workspaceId));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const restored = server.client({ token: watched.owner.token, workspaceId: res.body.workspaceId as string });
    const denied = (await restored.workspace.auditLog.query({ action: "access.denied", page: { limit: 10, cursor: 0 } })).items;
    // Outsiders are nobody in the new workspace: the counts come back, the actor does not.
    expect(denied.map((e) => [e.actorUserId, (e.details as { count: number }).count])).toEqual(outsiders.map(() => [null, 1]));
    expect(denied.map((e) => e.id).filter((id) => log.items.some((l) => l.id === id))).toEqual([]);
    // Those rows were written with ids lacking the version and variant bits until now: archives holding such ids import too.
    const older = await edited((z) =>
      json(z, "audit-log.json", (rows: { id: string }[]) => rows.map((r, i) => (i === 0 ? { ...r, id: "0f0e0d0c-0b0a-0908-0706-050403020100" } : r))),
    );
    expect((await importArchive(server.url, importer.owner.token, older)).status).toBe(201);
  }, 120_000);

  it("still imports a version 1 archive (no held.json)", async () => {
    const old = await edited((z) => {
      z.delete("held.json");
      json(z, "manifest.json", (m: { formatVersion: number; counts: Record<string, number> }) => {
        delete m.counts.held;
        return { ...m, formatVersion: 1 };
      });
    });
    const res = await importArchive(server.url, importer.owner.token, old);
    expect(res.status).toBe(201);
    expect(sum(res.body.held as Held[], "entries")).toBe((await archiveView(archive)).entries.length);
  }, 120_000);

  describe("refuses a bad archive with a reason, and keeps nothing of it", () => {
    const refusals: [string, () => Promise<Buffer>, number, string, RegExp][] = [
      ["not a zip", async () => Buffer.from("hello, this is not a zip"), 400, "MALFORMED", /not a zip/],
      ["a section that is not JSON", () => edited((z) => z.set("tags.json", Buffer.from("[{"))), 400, "MALFORMED", /tags\.json is not valid JSON/],
      ["another format version", () => edited((z) => json(z, "manifest.json", (m) => ({ ...m, formatVersion: 3 }))), 400, "WRONG_FORMAT", /version 3/],
      ["a held row of the wrong shape", () => edited((z) => held(z, ([first]) => [{ ...first!, payload: { ...first!.payload, start: "yesterday" } }])), 400, "MALFORMED", /held\.json row 0: payload\.start/],
      [
        "a held entry with a tag not in the archive",
        () => edited((z) => held(z, (rows) => rows.map((r) => (r.kind === "entry" ? { ...r, payload: { ...r.payload, tagIds: ["00000000-0000-4000-8000-000000000000"] } } : r)))),
        400,
        "MALFORMED",
        /held\.json \(entry 0\): tag_ids names no tag/,
      ],
      ["held rows that could never be handed over (overlapping the same person's archived entries)", heldOverlapping, 400, "MALFORMED", /time_entries_no_overlap/],
      ["no manifest", () => edited((z) => z.delete("manifest.json")), 400, "MALFORMED", /no manifest\.json/],
      ["a row of the wrong shape", () => edited((z) => json(z, "entries.json", (rows) => [{ ...rows[0], start_at: "yesterday" }, ...rows.slice(1)])), 400, "MALFORMED", /entries\.json row 0: start_at/],
      [
        "an entry on a project not in the archive",
        () => edited((z) => json(z, "entries.json", (rows) => rows.map((r: object) => ({ ...r, project_id: "00000000-0000-4000-8000-000000000000", task_id: null })))),
        400,
        "MALFORMED",
        /project_id names no project/,
      ],
      ["a time zone the database does not know", () => edited((z) => json(z, "workspace.json", ([w]) => [{ ...w, timezone: "Mars/Olympus_Mons" }])), 400, "MALFORMED", /time zone/],
      ["a name that climbs out of its folder", traversal, 400, "MALFORMED", /invalid relative path/],
      [
        "a file whose bytes do not match its row",
        () =>
          edited((z) => {
            asStranger(z);
            for (const k of z.keys()) if (k.startsWith("files/")) z.set(k, Buffer.concat([z.get(k)!, Buffer.from("x")]));
          }),
        400,
        "MALFORMED",
        /bytes do not match/,
      ],
      ["rows that break the data model (overlapping entries), after the files were stored", overlapping, 400, "MALFORMED", /time_entries_no_overlap/],
      ["held rows that could never be handed over (an invited person's overlapping entries)", () => overlapping({ held: true }), 400, "MALFORMED", /time_entries_no_overlap/],
      ["an upload over the size limit", async () => Buffer.alloc(400_000, 7), 413, "TOO_LARGE", /larger than 300000 bytes/],
      ["a zip bomb (small, unpacking past the limit)", () => zipOf(new Map([["manifest.json", Buffer.alloc(2_000_000, 32)]])), 413, "TOO_LARGE", /unpacks to more than/],
      ["too many entries", () => zipOf(new Map(Array.from({ length: 150 }, (_, i) => [`junk/${i}`, Buffer.from("x")] as [string, Buffer]))), 413, "TOO_LARGE", /more than 100 entries/],
    ];
    it.each(refusals)("%s", async (_label, make, status, reason, message) => {
      const was = await traces(elsewhere, stranger.owner.token);
      const res = await importArchive(elsewhere.url, stranger.owner.token, await make());
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ reason });
      expect(res.body.error).toMatch(message);
      expect(JSON.stringify(res.body)).not.toMatch(/prisma|SELECT|INSERT|at .*\.ts/i);
      expect(await traces(elsewhere, stranger.owner.token)).toEqual(was);
    });
  });

  it("runs one import per person at a time: another while one is uploading gets 429 with Retry-After", async () => {
    const held = request(`${server.url}/import/workspace`, {
      method: "POST",
      headers: { authorization: `Bearer ${importer.owner.token}`, "content-type": "application/zip" },
    });
    held.on("error", () => {});
    held.flushHeaders();
    held.write(archive.subarray(0, 100));
    await delay(300);
    let second = await importArchive(server.url, importer.owner.token, archive);
    for (let i = 0; second.status === 201 && i < 20; i++) {
      await delay(100);
      second = await importArchive(server.url, importer.owner.token, archive);
    }
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBe("30");
    expect(second.body.error).toMatch(/import limit/);
    held.destroy();
    // The place is given back when the held upload ends.
    let third = second;
    for (let i = 0; third.status === 429 && i < 50; i++) {
      await delay(100);
      third = await importArchive(server.url, importer.owner.token, archive);
    }
    expect(third.status).toBe(201);
  });

  it("asks for a signed-in person and a zip", async () => {
    expect((await importArchive(server.url, null, archive)).status).toBe(401);
    const res = await fetch(`${server.url}/import/workspace`, { method: "POST", headers: { authorization: `Bearer ${importer.owner.token}`, "content-type": "text/plain" }, body: "hi" });
    expect(res.status).toBe(415);
  });
});

/** The good archive with `change` made to its entries (name -> bytes), the manifest's counts following, zipped again. */
async function edited(change: (zip: Map<string, Buffer>) => void): Promise<Buffer> {
  const { zip } = await archiveView(archive);
  change(zip);
  if (zip.has("manifest.json")) {
    json(zip, "manifest.json", (m: { counts: Record<string, number> }) => {
      for (const name of Object.keys(m.counts)) {
        try {
          m.counts[name] = (JSON.parse(zip.get(`${name}.json`)?.toString("utf8") ?? "") as unknown[]).length;
        } catch {
          // A file the case made unreadable keeps its count.
        }
      }
      return m;
    });
  }
  return zipOf(zip);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each caller knows its file's shape
function json(zip: Map<string, Buffer>, name: string, change: (value: any) => unknown): void {
  zip.set(name, Buffer.from(JSON.stringify(change(JSON.parse(zip.get(name)!.toString("utf8"))))));
}

/** The archive's employee (who owns the files) made the importer on `elsewhere`, so their entries and files are restored there. */
function asStranger(zip: Map<string, Buffer>): void {
  json(zip, "members.json", (rows: { email: string }[]) => rows.map((m) => (m.email === acme.people.EMPLOYEE.email ? { ...m, email: stranger.owner.email } : m)));
}

/**
 * Two entries of one person at the same hour: every check passes, the database's no-overlap rule
 * does not (after the files are stored). `held`: the person is invited, not the importer, so the
 * rows would be held: refused by the importer's own check of held rows.
 */
function overlapping({ held = false } = {}): Promise<Buffer> {
  return edited((z) => {
    if (!held) asStranger(z);
    json(z, "entries.json", (rows: { id: string; user_id: string; end_at: string | null }[]) => {
      const done = rows.find((r) => r.end_at && r.user_id === acme.people.EMPLOYEE.userId)!;
      return [...rows, { ...done, id: "11111111-1111-4111-8111-111111111111", tag_ids: [] }];
    });
  });
}

/** A good archive with one more entry whose name, in both of the zip's headers, is `../evil` (archiver itself would not write it). */
async function traversal(): Promise<Buffer> {
  const { zip } = await archiveView(archive);
  zip.set("zz/evil", Buffer.from("x"));
  const bytes = await zipOf(zip);
  const name = Buffer.from("zz/evil");
  for (let at = bytes.indexOf(name); at >= 0; at = bytes.indexOf(name, at + 1)) bytes.write("../", at, "latin1");
  return bytes;
}

interface HeldJson {
  email: string;
  role: string;
  kind: "entry" | "timesheet" | "attachment";
  project_id?: string | null;
  task_id?: string | null;
  payload: Record<string, unknown>;
}

/** An archive's held.json rows. */
const heldOf = (zip: Map<string, Buffer>) => JSON.parse(zip.get("held.json")!.toString("utf8")) as HeldJson[];

/**
 * The archive's employee's entries (and their files' rows) moved from entries.json and attachments.json
 * into held.json, as an export made while they were held would carry them; then `change` made to the held rows.
 */
function held(zip: Map<string, Buffer>, change: (rows: HeldJson[]) => HeldJson[] = (rows) => rows): void {
  const employee = acme.people.EMPLOYEE;
  type Entry = { id: string; user_id: string; project_id: string | null; task_id: string | null; description: string; start_at: string; end_at: string | null; billable: boolean; created_at: string; updated_at: string; tag_ids: string[] };
  type File = { id: string; entry_id: string; uploaded_by: string; original_name: string; size_bytes: number; content_type: string; sha256: string; created_at: string };
  const entries = JSON.parse(zip.get("entries.json")!.toString("utf8")) as Entry[];
  const files = JSON.parse(zip.get("attachments.json")!.toString("utf8")) as File[];
  const theirs = new Set(entries.filter((e) => e.user_id === employee.userId).map((e) => e.id));
  const rows: HeldJson[] = [
    ...entries
      .filter((e) => theirs.has(e.id))
      .map((e) => ({
        email: employee.email,
        role: "EMPLOYEE",
        kind: "entry" as const,
        project_id: e.project_id,
        task_id: e.task_id,
        payload: { id: e.id, description: e.description, start: e.start_at, end: e.end_at, billable: e.billable, createdAt: e.created_at, updatedAt: e.updated_at, tagIds: e.tag_ids },
      })),
    ...files
      .filter((a) => theirs.has(a.entry_id))
      .map((a) => ({
        email: employee.email,
        role: "EMPLOYEE",
        kind: "attachment" as const,
        payload: { id: a.id, entryId: a.entry_id, uploadedBy: null, originalName: a.original_name, sizeBytes: a.size_bytes, contentType: a.content_type, sha256: a.sha256, createdAt: a.created_at },
      })),
  ];
  zip.set("entries.json", Buffer.from(JSON.stringify(entries.filter((e) => !theirs.has(e.id)))));
  zip.set("attachments.json", Buffer.from(JSON.stringify(files.filter((a) => !theirs.has(a.entry_id)))));
  zip.set("held.json", Buffer.from(JSON.stringify(change(rows))));
}

/** A held entry over the same hour as one of the same person's archived entries (the person is matched by e-mail address). */
function heldOverlapping(): Promise<Buffer> {
  return edited((z) => {
    const [entries, files] = [z.get("entries.json")!, z.get("attachments.json")!];
    held(z, (rows) => {
      const done = rows.find((r) => r.kind === "entry" && r.payload.end !== null)!;
      return [{ ...done, payload: { ...done.payload, id: "11111111-1111-4111-8111-111111111111", tagIds: [] } }];
    });
    // The person's entries stay in entries.json, their own rows: the held one overlaps one of them.
    z.set("entries.json", entries);
    z.set("attachments.json", files);
  });
}
