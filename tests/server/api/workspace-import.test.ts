/**
 * Workspace archive import over real HTTP: an archive made by
 * GET /export/workspace.zip restores into a new workspace the importer owns,
 * with new ids everywhere and the same data (entries, projects, tags,
 * timesheets, files' bytes, report totals) for the importer; everyone else is
 * invited and their rows listed as left out; a bad archive is refused with
 * a reason and leaves nothing. The cross-tenant cases are in
 * tests/server/isolation/workspace-import.test.ts.
 */
import { request } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at } from "../../support/api.js";
import { archiveView } from "../../support/archive-view.js";
import { exportArchive, importArchive, traces, zipOf } from "../../support/archive-import.js";
import { download } from "../../support/attachments.js";
import { fillWorkspace } from "../../support/filled-workspace.js";
import { createCompany, type Company } from "../../support/people.js";
import { startTestServer, type TestServer } from "../../support/server.js";
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

const report = (api: ReturnType<TestServer["client"]>) => api.reports.summary.query({ from: at("2020-01-01", 0), to: at("2030-01-01", 0), groupBy: "day" });

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
    // each is invited with their role (an owner as an admin), their own rows listed as left out.
    expect(after.members).toEqual([JSON.stringify({ email: acme.owner.email, role: "OWNER" })]);
    const others = before.members.map((m) => JSON.parse(m) as { email: string; role: string }).filter((m) => m.email !== acme.owner.email);
    const invited = res.body.invitations as { email: string; role: string }[];
    expect(invited.map((i) => i.email).sort()).toEqual(others.map((m) => m.email).sort());
    expect(invited.every((i) => i.role !== "OWNER")).toBe(true);
    const leftOut = res.body.leftOut as { email: string | null; entries: number; attachments: number }[];
    expect(leftOut.reduce((n, p) => n + p.entries, 0)).toBe(before.entries.length - after.entries.length);
    expect(leftOut.every((p) => p.email !== acme.owner.email)).toBe(true);
    const employee = server.client({ token: acme.people.EMPLOYEE.token, workspaceId });
    await expect(employee.entries.list.query({})).rejects.toMatchObject({ data: { code: "NOT_FOUND" } });

    const restoredFiles = (res.body.counts as { attachments: number }).attachments;
    expect(restoredFiles + leftOut.reduce((n, p) => n + p.attachments, 0)).toBe(2);
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
  });

  it("on a server where nobody of the archive has an account, invites them and lists their rows as left out", async () => {
    const res = await importArchive(elsewhere.url, stranger.owner.token, archive);
    expect(res.status).toBe(201);
    const before = await archiveView(archive);
    const invited = (res.body.invitations as { email: string; role: string; token: string }[]).map((i) => i.email).sort();
    expect(invited).toEqual(before.members.map((m) => JSON.parse(m).email).sort());
    expect((res.body.invitations as { role: string }[]).every((i) => i.role !== "OWNER")).toBe(true);
    const leftOut = res.body.leftOut as { entries: number; timesheets: number; attachments: number }[];
    expect(leftOut.reduce((n, p) => n + p.entries, 0)).toBe(before.entries.length);
    expect(leftOut.reduce((n, p) => n + p.attachments, 0)).toBe(2);
    expect(res.body.counts).toMatchObject({ entries: 0, attachments: 0, projects: before.projects.length, invitations: invited.length });

    const api = elsewhere.client({ token: stranger.owner.token, workspaceId: res.body.workspaceId as string });
    const pending = await api.members.invitations.query();
    expect(pending.map((p) => p.email).sort()).toEqual(invited);
    expect((await api.projects.list.query({})).items.map((p) => p.name).sort()).toEqual(before.projects.map((p) => JSON.parse(p).name).sort());
  });

  describe("refuses a bad archive with a reason, and keeps nothing of it", () => {
    const refusals: [string, () => Promise<Buffer>, number, string, RegExp][] = [
      ["not a zip", async () => Buffer.from("hello, this is not a zip"), 400, "MALFORMED", /not a zip/],
      ["a section that is not JSON", () => edited((z) => z.set("tags.json", Buffer.from("[{"))), 400, "MALFORMED", /tags\.json is not valid JSON/],
      ["another format version", () => edited((z) => json(z, "manifest.json", (m) => ({ ...m, formatVersion: 2 }))), 400, "WRONG_FORMAT", /version 2/],
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

/** Two entries of one person at the same hour: every check passes, the database's no-overlap rule does not (after the files are stored). */
function overlapping(): Promise<Buffer> {
  return edited((z) => {
    asStranger(z);
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
