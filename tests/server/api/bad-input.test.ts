import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, rawCall, rawErrorCode, type RawCall } from "../../support/api.js";
import { upload } from "../../support/attachments.js";
import { download } from "../../support/csv-export.js";
import { pngFile } from "../../support/files.js";
import { createCompany, type Company } from "../../support/people.js";
import { rejectionOf, startTestServer, type TestServer } from "../../support/server.js";

/**
 * Input the database cannot take (broken text, years it cannot store, days
 * that do not exist, zones it does not know) is bad input: a typed 400 that
 * changes nothing, never an internal error, never a silently shifted date.
 */
let server: TestServer;
let company: Company;

beforeAll(async () => {
  server = await startTestServer();
  company = await createCompany(server, "Careless");
});
afterAll(async () => {
  await server.close();
});

/** A raw call as the owner: the status and body exactly as a client gets them. */
function asOwner(path: string, call: RawCall) {
  return rawCall(server.url, path, { token: company.owner.token, workspaceId: company.workspaceId, ...call });
}

const owner = () => ({ token: company.owner.token, workspaceId: company.workspaceId });

async function expectTyped400(path: string, call: RawCall, field?: string) {
  const res = await asOwner(path, call);
  expect(res.status, `${path} ${JSON.stringify(call.input)}`).toBe(400);
  expect(rawErrorCode(res)).toBe("BAD_REQUEST");
  expect(res.text).not.toMatch(/prisma|postgres|SQLSTATE|\s+at\s+\S+\s+\(/i);
  if (field) {
    const fieldErrors = (res.json as { error: { json: { data: { fieldErrors: Record<string, string[]> | null } } } }).error.json.data
      .fieldErrors;
    expect(fieldErrors, `${path}: the field at fault`).toHaveProperty(field);
  }
}

describe("text the database cannot store", () => {
  it("refuses a description with a lone UTF-16 surrogate in entries.create", async () => {
    const input = { start: at("2026-01-05", 9), end: at("2026-01-05", 10), description: "a\ud800b" };
    await expectTyped400("entries.create", { type: "mutation", input });
    expect((await rejectionOf(company.owner.api.entries.create.mutate(input))).data?.code).toBe("BAD_REQUEST");
    expect((await company.owner.api.entries.list.query({})).items).toEqual([]);
  });

  it("refuses an attachment name with a lone surrogate", async () => {
    const entry = await company.owner.api.entries.create.mutate({ start: at("2026-01-06", 9), end: at("2026-01-06", 10) });
    const err = await rejectionOf(upload(company.owner.api, { entryId: entry.id, name: "scan\udc00.png" }, pngFile()));
    expect(err.data?.code).toBe("BAD_REQUEST");
    expect(err.data?.fieldErrors).toHaveProperty("name");
    expect(await company.owner.api.attachments.list.query({ entryId: entry.id })).toEqual([]);
    await company.owner.api.entries.delete.mutate({ id: entry.id });
  });
});

describe("dates outside the product's span", () => {
  it("refuses periodStart 0000-01-03 and 9999-12-27 in timesheets.submit", async () => {
    for (const periodStart of ["0000-01-03", "9999-12-27"]) {
      await expectTyped400("timesheets.submit", { type: "mutation", input: { periodStart } }, "periodStart");
    }
    expect(await company.owner.api.timesheets.mine.query()).toEqual([]);
  });

  it("refuses lockBefore 0000-01-01 in workspace.update", async () => {
    await expectTyped400("workspace.update", { type: "mutation", input: { lockBefore: "0000-01-01" } }, "lockBefore");
    expect((await company.owner.api.workspace.get.query()).lockBefore).toBeNull();
  });

  it("refuses a timer stopped in the year 9999", async () => {
    const running = await company.owner.api.entries.create.mutate({ start: at("2026-01-07", 9), end: null });
    await expectTyped400("entries.stop", { type: "mutation", input: { end: new Date("9999-12-31T00:00:00Z") } }, "end");
    expect((await company.owner.api.entries.get.query({ id: running.id })).end).toBeNull();
    await company.owner.api.entries.delete.mutate({ id: running.id });
  });
});

describe("days that do not exist", () => {
  it("refuses 2021-02-30 and 2026-02-31 instead of shifting them into March", async () => {
    for (const day of ["2021-02-30", "2026-02-31"]) {
      await expectTyped400("timesheets.submit", { type: "mutation", input: { periodStart: day } }, "periodStart");
      await expectTyped400("workspace.update", { type: "mutation", input: { lockBefore: day } }, "lockBefore");
      // An instant given as text: JavaScript alone would read it as a day in March.
      await expectTyped400(
        "entries.create",
        { type: "mutation", input: { start: `${day}T09:00:00.000Z`, end: `${day}T10:00:00.000Z` } },
        "start",
      );
      await expectTyped400("reports.summary", { input: { from: `${day}T00:00:00Z`, to: "2026-06-01T00:00:00Z", groupBy: "day" } }, "from");
      const csv = await download(server.url, "entries.csv", owner(), { from: day, to: "2026-06-01" });
      expect(csv.status).toBe(400);
      expect(csv.json).toMatchObject({ fields: { from: expect.any(Array) } });
    }
    expect((await company.owner.api.workspace.get.query()).lockBefore).toBeNull();
    expect((await company.owner.api.entries.list.query({})).items).toEqual([]);
    expect(await company.owner.api.timesheets.mine.query()).toEqual([]);
  });
});

describe("time zones the database does not know", () => {
  it("refuses zones Node knows and PostgreSQL does not, so reports and exports keep working", async () => {
    const api = company.owner.api;
    await api.entries.create.mutate({ start: at("2026-02-02", 9), end: at("2026-02-02", 11) });
    const before = await api.workspace.get.query();
    for (const zone of ["US/Pacific-New", "Canada/East-Saskatchewan"]) {
      // The runtime's own list takes it: only the database can say no.
      expect(() => new Intl.DateTimeFormat("en", { timeZone: zone })).not.toThrow();
      await expectTyped400("workspace.update", { type: "mutation", input: { timezone: zone } }, "timezone");
    }
    expect((await api.workspace.get.query()).timezone).toBe(before.timezone);

    const byDay = await api.reports.summary.query({ from: at("2026-02-01", 0), to: at("2026-03-01", 0), groupBy: "day" });
    expect(byDay.groups.map((g) => g.key)).toEqual(["2026-02-02"]);
    const csv = await download(server.url, "entries.csv", owner(), { from: "2026-02-01", to: "2026-03-01" });
    expect(csv.status).toBe(200);
    expect(csv.rows).toHaveLength(1);
  });

  it("stores a known zone in the database's own spelling", async () => {
    const api = company.owner.api;
    expect((await api.workspace.update.mutate({ timezone: "europe/berlin" })).timezone).toBe("Europe/Berlin");
    expect((await api.workspace.update.mutate({ timezone: "UTC" })).timezone).toBe("UTC");
  });
});
