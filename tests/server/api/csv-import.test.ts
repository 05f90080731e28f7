import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDbKind } from "../../support/database.js";
import { CLOCKIFY_HEADER, TOGGL_HEADER, cell } from "../../support/csv-import.js";
import { rejectionOf, startTestServer, type TestServer } from "../../support/server.js";
import { auditLogOf, staffCompany, UNLIMITED_ENV, workspaceContents, type StaffedCompany } from "../../support/staffed-company.js";

let server: TestServer;
beforeAll(async () => {
  // Two places, whatever the default: the places test below holds both.
  server = await startTestServer({ env: { ...UNLIMITED_ENV, HEAVY_MAX_PER_WORKSPACE: "2" } });
});
afterAll(async () => {
  await server.close();
});

/**
 * A company in Europe/Berlin with: the project "Website" of the client
 * "Acme Corp", the tag "client", the employee's entry on 2 March 09:00-10:00
 * (local), and everything before 2026-01-01 locked.
 */
async function company(): Promise<StaffedCompany & { website: { id: string } }> {
  const c = await staffCompany(server, "Import");
  const admin = c.people.ADMIN.api;
  await admin.workspace.update.mutate({ timezone: "Europe/Berlin", lockBefore: "2026-01-01" });
  const acme = await admin.clients.create.mutate({ name: "Acme Corp" });
  const website = await admin.projects.create.mutate({ name: "Website", clientId: acme.id });
  await admin.tags.create.mutate({ name: "client" });
  await c.people.EMPLOYEE.api.entries.create.mutate({
    start: new Date("2026-03-02T08:00:00Z"),
    end: new Date("2026-03-02T09:00:00Z"),
    description: "Standup",
  });
  return { ...c, website };
}

const line = (cells: string[]) => cells.map(cell).join(",");

/** A Toggl Track detailed report, local times of Europe/Berlin, with one row of each trouble. */
function togglFile(c: StaffedCompany): string {
  const employee = c.people.EMPLOYEE.email;
  const admin = c.people.ADMIN.email;
  const manager = c.people.MANAGER.email;
  return [
    TOGGL_HEADER,
    // 2: accepted; quoted comma, a tags list (one tag new), a new task on an existing project.
    line(["Emp", employee, "Acme Corp", "Website", "Design", "Homepage, hero section", "Yes", "2026-03-03", "09:00:00", "2026-03-03", "10:30:00", "01:30:00", "design, client", "120.00"]),
    // 3: accepted; a new client and a new project, for someone else than the importer.
    line(["Adm", admin, "Globex", "Migration", "", 'Data "move"', "No", "2026-03-03", "11:00:00", "2026-03-03", "12:00:00", "01:00:00", "", ""]),
    // 4: nobody of that e-mail here.
    line(["Who", "stranger@nowhere.test", "", "", "", "Ghost work", "No", "2026-03-03", "09:00:00", "2026-03-03", "10:00:00", "01:00:00", "", ""]),
    // 5: no such day.
    line(["Emp", employee, "", "", "", "Leap", "No", "2026-02-30", "09:00:00", "2026-02-30", "10:00:00", "01:00:00", "", ""]),
    // 6: overlaps the employee's stored 09:00-10:00 on 2 March.
    line(["Emp", employee, "", "", "", "Overlap", "No", "2026-03-02", "09:30:00", "2026-03-02", "10:15:00", "00:45:00", "", ""]),
    // 7: locked (before 2026-01-01).
    line(["Emp", employee, "", "", "", "Old", "No", "2025-12-15", "09:00:00", "2025-12-15", "10:00:00", "01:00:00", "", ""]),
    // 8: overlaps row 2.
    line(["Emp", employee, "", "", "", "Double booked", "No", "2026-03-03", "10:00:00", "2026-03-03", "11:00:00", "01:00:00", "", ""]),
    // 9: Website belongs to Acme Corp here.
    line(["Man", manager, "Initech", "Website", "", "Wrong client", "No", "2026-03-04", "09:00:00", "2026-03-04", "10:00:00", "01:00:00", "", ""]),
  ].join("\r\n");
}

const REFUSED_TOGGL: [number, RegExp][] = [
  [4, /^nobody with the e-mail stranger@nowhere\.test is a member of this workspace$/],
  [5, /^the date "2026-02-30" is not a day of the calendar/],
  [6, /^it overlaps an entry .* already has$/],
  [7, /^its time is in a locked period/],
  [8, /^it overlaps row 2 /],
  [9, /^the project "Website" belongs to the client "Acme Corp" here, not "Initech"$/],
];

function expectRefusals(refused: { row: number; reason: string }[], expected: [number, RegExp][]) {
  expect(refused.map((r) => r.row)).toEqual(expected.map(([row]) => row));
  refused.forEach((r, i) => expect(r.reason, `row ${r.row}`).toMatch(expected[i]![1]));
}

describe("CSV import: Toggl Track", () => {
  it("a dry run lists exactly what it would make and every refused row, and writes nothing", async () => {
    const c = await company();
    const before = await workspaceContents(c.owner.api);
    const result = await c.people.ADMIN.api.csvImport.entries.mutate({ csv: togglFile(c) });

    expect(result).toMatchObject({ dryRun: true, format: "toggl", timeZone: "Europe/Berlin", counts: { rows: 8, accepted: 2, refused: 6, created: 0 } });
    expect(result.entries).toEqual([
      {
        row: 2,
        email: c.people.EMPLOYEE.email,
        start: new Date("2026-03-03T08:00:00Z"),
        end: new Date("2026-03-03T09:30:00Z"),
        description: "Homepage, hero section",
        project: "Website",
        client: "Acme Corp",
        task: "Design",
        tags: ["design", "client"],
        billable: true,
      },
      {
        row: 3,
        email: c.people.ADMIN.email,
        start: new Date("2026-03-03T10:00:00Z"),
        end: new Date("2026-03-03T11:00:00Z"),
        description: 'Data "move"',
        project: "Migration",
        client: "Globex",
        task: null,
        tags: [],
        billable: false,
      },
    ]);
    expect(result.create).toEqual({
      clients: ["Globex"],
      projects: [{ name: "Migration", client: "Globex" }],
      tasks: [{ project: "Website", name: "Design" }],
      tags: ["design"],
    });
    expectRefusals(result.refused, REFUSED_TOGGL);
    expect(await workspaceContents(c.owner.api), "nothing written").toEqual(before);
    expect(await auditLogOf(c.owner.api, "entries.imported")).toEqual([]);
  });

  it("the real run makes exactly that; running it again refuses the made rows as duplicates", async () => {
    const c = await company();
    const admin = c.people.ADMIN.api;
    const result = await admin.csvImport.entries.mutate({ csv: togglFile(c), dryRun: false });
    expect(result.counts).toEqual({ rows: 8, accepted: 2, refused: 6, created: 2 });

    const projects = (await admin.projects.list.query()).items;
    const clients = (await admin.clients.list.query()).items;
    const migration = projects.find((p) => p.name === "Migration")!;
    expect(clients.find((cl) => cl.id === migration.clientId)?.name).toBe("Globex");
    const tasks = (await admin.tasks.list.query({ projectId: c.website.id })).items;
    expect(tasks.map((t) => t.name)).toEqual(["Design"]);
    const tags = (await admin.tags.list.query()).items;
    expect(tags.map((t) => t.name).sort()).toEqual(["client", "design"]);

    const entries = (await c.owner.api.entries.list.query({ from: new Date("2026-03-03T00:00:00Z"), to: new Date("2026-03-04T00:00:00Z") })).items;
    expect(
      entries
        .map((e) => ({ user: e.userId, start: e.start, end: e.end, description: e.description, projectId: e.projectId, taskId: e.taskId, tags: e.tagIds.length, billable: e.billable }))
        .sort((x, y) => x.start.getTime() - y.start.getTime()),
    ).toEqual([
      { user: c.people.EMPLOYEE.userId, start: new Date("2026-03-03T08:00:00Z"), end: new Date("2026-03-03T09:30:00Z"), description: "Homepage, hero section", projectId: c.website.id, taskId: tasks[0]!.id, tags: 2, billable: true },
      { user: c.people.ADMIN.userId, start: new Date("2026-03-03T10:00:00Z"), end: new Date("2026-03-03T11:00:00Z"), description: 'Data "move"', projectId: migration.id, taskId: null, tags: 0, billable: false },
    ]);
    // The employee sees the imported entry as their own.
    const own = (await c.people.EMPLOYEE.api.entries.list.query({ from: new Date("2026-03-03T00:00:00Z") })).items;
    expect(own.map((e) => e.description)).toEqual(["Homepage, hero section"]);
    const audit = await auditLogOf(c.owner.api, "entries.imported");
    expect(audit.map((a) => a.details)).toEqual([{ format: "toggl", entries: 2, refused: 6, created: { clients: 1, projects: 1, tasks: 1, tags: 1 } }]);

    const after = await workspaceContents(c.owner.api);
    const again = await admin.csvImport.entries.mutate({ csv: togglFile(c), dryRun: false });
    expect(again.counts).toEqual({ rows: 8, accepted: 0, refused: 8, created: 0 });
    expect(again.create).toEqual({ clients: [], projects: [], tasks: [], tags: [] });
    expectRefusals(again.refused, [
      [2, /^it duplicates an entry .* already has \(same start, end and description\)$/],
      [3, /^it duplicates an entry .* already has/],
      ...REFUSED_TOGGL.map(([row, reason]): [number, RegExp] => (row === 8 ? [8, /^it overlaps an entry .* already has$/] : [row, reason])),
    ]);
    expect(await workspaceContents(c.owner.api), "the second run wrote nothing").toEqual(after);
  });

  it("a plain member imports only their own rows and creates nothing", async () => {
    const c = await company();
    const result = await c.people.EMPLOYEE.api.csvImport.entries.mutate({ csv: togglFile(c) });
    // Row 8 no longer overlaps row 2, which is refused.
    expect(result.entries.map((e) => [e.row, e.description])).toEqual([[8, "Double booked"]]);
    const byRow = Object.fromEntries(result.refused.map((r) => [r.row, r.reason]));
    expect(byRow[2]).toBe('this workspace has no task "Design", tag "design", and only admins and owners can create them');
    expect(byRow[3]).toBe(`it is the time of ${c.people.ADMIN.email}: only admins and owners import other people's time`);
    expect(byRow[4]).toMatch(/^it is the time of stranger@nowhere\.test: only admins/);
    expect(byRow[9]).toMatch(/^it is the time of .*: only admins/);
  });

  it("createMissing off refuses the rows that name what is missing", async () => {
    const c = await company();
    const result = await c.people.ADMIN.api.csvImport.entries.mutate({ csv: togglFile(c), createMissing: false });
    expect(result.entries.map((e) => e.row)).toEqual([8]);
    expect(result.refused.slice(0, 2)).toEqual([
      { row: 2, reason: 'this workspace has no task "Design", tag "design", and creating what is missing is off' },
      { row: 3, reason: 'this workspace has no project "Migration", client "Globex", and creating what is missing is off' },
    ]);
  });
});

describe("CSV import: Clockify", () => {
  /** Day-first dates (19/03 says so), 12-hour times, as a German workspace's export writes them. */
  function clockifyFile(c: StaffedCompany): string {
    const employee = c.people.EMPLOYEE.email;
    const row = (cells: string[]) => cells.map((v) => `"${v.replace(/"/g, '""')}"`).join(",");
    return [
      CLOCKIFY_HEADER,
      row(["Website", "Acme Corp", "Review, round 2", "", "Emp", "Team", employee, "client", "Regular", "Yes", "No", "", "19/03/2026", "02:00 PM", "19/03/2026", "03:30 PM", "01:30:00", "1.50", "80.00", "120.00"]),
      // 03/04 alone could be either; the file's 19/03 says day first: 3 April.
      row(["Research", "", "Reading", "", "Emp", "Team", employee, "", "Regular", "No", "No", "", "03/04/2026", "09:00 AM", "03/04/2026", "11:00 AM", "02:00:00", "2.00", "", ""]),
      row(["", "", "Lunch", "", "Emp", "Team", employee, "", "Break", "No", "No", "", "19/03/2026", "12:00 PM", "19/03/2026", "12:30 PM", "00:30:00", "0.50", "", ""]),
      row(["", "", "Backwards", "", "Emp", "Team", employee, "", "Regular", "No", "No", "", "20/03/2026", "09:00 AM", "20/03/2026", "08:00 AM", "", "", "", ""]),
      row(["", "", "Nobody", "", "X", "Team", "ghost@nowhere.test", "", "Regular", "No", "No", "", "20/03/2026", "09:00 AM", "20/03/2026", "10:00 AM", "01:00:00", "1.00", "", ""]),
    ].join("\n");
  }

  it("a dry run reads the export, the real run makes it, a rerun refuses it as duplicates", async () => {
    const c = await company();
    const admin = c.people.ADMIN.api;
    const before = await workspaceContents(c.owner.api);
    const dry = await admin.csvImport.entries.mutate({ csv: clockifyFile(c) });
    expect(dry).toMatchObject({ format: "clockify", counts: { rows: 5, accepted: 2, refused: 3, created: 0 } });
    expect(dry.entries.map((e) => [e.row, e.start, e.end, e.description, e.project, e.client, e.tags, e.billable])).toEqual([
      [2, new Date("2026-03-19T13:00:00Z"), new Date("2026-03-19T14:30:00Z"), "Review, round 2", "Website", "Acme Corp", ["client"], true],
      [3, new Date("2026-04-03T07:00:00Z"), new Date("2026-04-03T09:00:00Z"), "Reading", "Research", null, [], false],
    ]);
    expect(dry.create).toEqual({ clients: [], projects: [{ name: "Research", client: null }], tasks: [], tags: [] });
    expectRefusals(dry.refused, [
      [4, /^it is a Break entry \(only regular time is imported\)$/],
      [5, /^it ends before it starts$/],
      [6, /^nobody with the e-mail ghost@nowhere\.test/],
    ]);
    expect(await workspaceContents(c.owner.api)).toEqual(before);

    const real = await admin.csvImport.entries.mutate({ csv: clockifyFile(c), dryRun: false });
    expect(real.counts).toEqual({ rows: 5, accepted: 2, refused: 3, created: 2 });
    expect((await admin.projects.list.query({ search: "Research" })).items.map((p) => p.name)).toEqual(["Research"]);
    const again = await admin.csvImport.entries.mutate({ csv: clockifyFile(c), dryRun: false });
    expect(again.refused.filter((r) => r.row <= 3).map((r) => r.reason)).toEqual([
      expect.stringMatching(/^it duplicates an entry/),
      expect.stringMatching(/^it duplicates an entry/),
    ]);
    expect(again.counts.accepted).toBe(0);
  });

  it("refuses an ambiguous date when nothing in the file tells the order, and reads it with the order given", async () => {
    const c = await company();
    const csv = [CLOCKIFY_HEADER, line(["", "", "Ambiguous", "", "Emp", "", c.people.EMPLOYEE.email, "", "Regular", "No", "No", "", "03/04/2026", "09:00", "03/04/2026", "10:00", "01:00", "1.00", "", ""])].join("\n");
    const guess = await c.people.ADMIN.api.csvImport.entries.mutate({ csv, timeZone: "UTC" });
    expect(guess.refused).toEqual([
      { row: 2, reason: 'the date "03/04/2026" could be 3 April or 4 March: nothing in the file tells which, so give the date order (day or month first)' },
    ]);
    const told = await c.people.ADMIN.api.csvImport.entries.mutate({ csv, timeZone: "UTC", dateOrder: "MDY" });
    expect(told.entries.map((e) => e.start)).toEqual([new Date("2026-03-04T09:00:00Z")]);
  });
});

describe("CSV import: bad input", () => {
  it("refuses a file that is no export, an unknown time zone and an oversized file, changing nothing", async () => {
    const c = await company();
    const api = c.people.ADMIN.api;
    const notExport = await rejectionOf(api.csvImport.entries.mutate({ csv: "Date,Hours\n2026-01-01,3\n" }));
    expect([notExport.data?.code, notExport.message]).toEqual(["BAD_REQUEST", expect.stringMatching(/not a Toggl Track or Clockify detailed report/)]);
    const zone = await rejectionOf(api.csvImport.entries.mutate({ csv: togglFile(c), timeZone: "Mars/Olympus" }));
    expect(zone.data?.fieldErrors).toMatchObject({ timeZone: ["Unknown time zone"] });
    const big = await rejectionOf(api.csvImport.entries.mutate({ csv: `${TOGGL_HEADER}\n${"x".repeat(4 * 1024 * 1024)}` }));
    expect(big.data?.code).toBe("BAD_REQUEST");
  });
});

describe("CSV import: walls and places", () => {
  it("a CSV naming another workspace's people and project touches only the importer's workspace", async () => {
    const a = await company();
    const b = await staffCompany(server, "Intruder");
    const aBefore = await workspaceContents(a.owner.api);
    const csv = [
      TOGGL_HEADER,
      line(["A's", a.people.EMPLOYEE.email, "Acme Corp", "Website", "", "Into A", "No", "2026-05-04", "09:00:00", "2026-05-04", "10:00:00", "01:00:00", "client", ""]),
      line(["B's", b.people.EMPLOYEE.email, "Acme Corp", "Website", "", "Into B", "No", "2026-05-04", "09:00:00", "2026-05-04", "10:00:00", "01:00:00", "client", ""]),
    ].join("\n");
    const result = await b.people.ADMIN.api.csvImport.entries.mutate({ csv, timeZone: "UTC", dryRun: false });
    expect(result.refused).toEqual([{ row: 2, reason: `nobody with the e-mail ${a.people.EMPLOYEE.email} is a member of this workspace` }]);
    // The names were A's, the objects are B's own and new.
    expect(result.create).toEqual({ clients: ["Acme Corp"], projects: [{ name: "Website", client: "Acme Corp" }], tasks: [], tags: ["client"] });
    expect(JSON.stringify(result)).not.toContain(a.website.id);
    expect(await workspaceContents(a.owner.api), "A unchanged").toEqual(aBefore);
    const bProjects = (await b.owner.api.projects.list.query()).items;
    expect(bProjects.map((p) => p.name)).toEqual(["Website"]);
    expect(bProjects[0]!.id).not.toBe(a.website.id);
  });

  it("runs in the workspace's places for heavy work: with both taken it is refused with a retry hint, not run", async () => {
    const c = await company();
    const { gate } = server.services.heavy;
    const held = [await gate.take(c.workspaceId), await gate.take(c.workspaceId)];
    try {
      const refused = await rejectionOf(c.people.ADMIN.api.csvImport.entries.mutate({ csv: togglFile(c), dryRun: false }));
      expect(refused.data?.code).toBe("TOO_MANY_REQUESTS");
      expect(refused.data?.retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      for (const release of held) release();
    }
    expect(await auditLogOf(c.owner.api, "entries.imported")).toEqual([]);
    expect((await c.people.ADMIN.api.csvImport.entries.mutate({ csv: togglFile(c) })).counts.accepted).toBe(2);
  });
});

describe("CSV import: all or nothing", () => {
  // The failure is injected with a trigger made as the superuser, which only the PostgreSQL suite has.
  it.runIf(testDbKind() === "postgres")("a failure in the middle of the write leaves nothing of the import (PostgreSQL: injected failure)", async () => {
    const c = await company();
    const before = await workspaceContents(c.owner.api);
    const admin = new pg.Client({ connectionString: server.adminUrl! });
    await admin.connect();
    try {
      // Clients, projects, tasks, tags and entries are written before the entries' tags: the last write fails.
      await admin.query(`CREATE FUNCTION csv_import_test_failure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$`);
      await admin.query(
        `CREATE TRIGGER csv_import_test_failure BEFORE INSERT ON time_entry_tags FOR EACH ROW
         WHEN (NEW.tenant_id = '${c.workspaceId}') EXECUTE FUNCTION csv_import_test_failure()`,
      );
      const failed = await rejectionOf(c.people.ADMIN.api.csvImport.entries.mutate({ csv: togglFile(c), dryRun: false }));
      expect([failed.data?.code, failed.message]).toEqual(["INTERNAL_SERVER_ERROR", "Internal server error"]);
    } finally {
      await admin.query("DROP TRIGGER IF EXISTS csv_import_test_failure ON time_entry_tags");
      await admin.query("DROP FUNCTION IF EXISTS csv_import_test_failure()");
      await admin.end();
    }
    expect(await workspaceContents(c.owner.api), "nothing of the import").toEqual(before);
    expect(await auditLogOf(c.owner.api, "entries.imported")).toEqual([]);
  });
  it.runIf(testDbKind() === "pglite")("(the injected-failure case needs a superuser session on PostgreSQL: it runs in the postgres suite)", () => {
    console.log("csv-import all-or-nothing: skipped on PGlite (no superuser session beside the server to inject the failure)");
  });
});

describe("CSV import: the heavy statement timeout", () => {
  it.runIf(testDbKind() === "postgres")("an import held up past HEAVY_STATEMENT_TIMEOUT_MS is stopped, says so about the import, and writes nothing (PostgreSQL)", async () => {
    const short = await startTestServer({ env: { ...UNLIMITED_ENV, HEAVY_STATEMENT_TIMEOUT_MS: "500" } });
    try {
      const c = await staffCompany(short, "Slow");
      const csv = [TOGGL_HEADER, line(["Adm", c.people.ADMIN.email, "", "Fresh", "", "Slow", "No", "2026-05-04", "09:00:00", "2026-05-04", "10:00:00", "01:00:00", "", ""])].join("\n");
      // A lock held from outside makes the import's read of entries wait: the wait counts toward the timeout.
      const locker = new pg.Client({ connectionString: short.adminUrl! });
      await locker.connect();
      try {
        await locker.query("BEGIN");
        await locker.query("LOCK TABLE time_entries IN ACCESS EXCLUSIVE MODE");
        const stopped = await rejectionOf(c.people.ADMIN.api.csvImport.entries.mutate({ csv, timeZone: "UTC", dryRun: false }));
        expect([stopped.data?.code, (stopped.data as { reason?: string }).reason, stopped.message]).toEqual([
          "TIMEOUT",
          "STATEMENT_TIMEOUT",
          "This import took longer than the server allows: split the file and import the parts",
        ]);
      } finally {
        await locker.query("ROLLBACK");
        await locker.end();
      }
      expect((await c.owner.api.projects.list.query()).items).toEqual([]);
      expect((await c.people.ADMIN.api.csvImport.entries.mutate({ csv, timeZone: "UTC", dryRun: false })).counts.created).toBe(1);
    } finally {
      await short.close();
    }
  });
  it.runIf(testDbKind() === "pglite")("(PGlite has no statement timeout: single session, no timer signals; only the heavy places apply, tested above)", () => {
    console.log("csv-import statement timeout: skipped on PGlite (it has no statement timeout)");
  });
});
