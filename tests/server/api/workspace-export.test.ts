/**
 * The whole-workspace export over real HTTP: one zip with a JSON file per
 * section, entries also as CSV, every attachment's bytes and a manifest whose
 * counts match what is in it and what the API shows; owners only. Its
 * cross-tenant case is in tests/server/isolation/workspace-export.test.ts.
 */
import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
import { allPages } from "../../support/api.js";
import { fillWorkspace } from "../../support/filled-workspace.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { staffCompany, UNLIMITED_ENV, type StaffedCompany } from "../../support/staffed-company.js";
import { readZip } from "../../support/zip.js";

let server: TestServer;
let acme: StaffedCompany;
let other: StaffedCompany;
let uploaded: Buffer[];

beforeAll(async () => {
  server = await startTestServer({ env: UNLIMITED_ENV });
  acme = await staffCompany(server, "Acme");
  other = await staffCompany(server, "Other");
  ({ files: uploaded } = await fillWorkspace(acme));
  await fillWorkspace(other);
}, 180_000);
afterAll(async () => {
  await server?.close();
});

async function fetchArchive(url: string, token: string, workspaceId: string) {
  const res = await fetch(`${url}/export/workspace.zip`, { headers: { authorization: `Bearer ${token}`, [WORKSPACE_HEADER]: workspaceId } });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const json = (zip: Map<string, Buffer>, name: string) => JSON.parse(zip.get(name)!.toString("utf8")) as Record<string, unknown>[];

describe("whole-workspace export", () => {
  it("gives the owner one zip holding every section, the entries as CSV, the files and a manifest that adds up", async () => {
    const { res, bytes } = await fetchArchive(server.url, acme.owner.token, acme.workspaceId);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toContain(".zip");
    const zip = await readZip(bytes);
    const manifest = JSON.parse(zip.get("manifest.json")!.toString("utf8"));
    expect(manifest).toMatchObject({ format: "hoursync-workspace-export", formatVersion: 2, workspaceId: acme.workspaceId, exportedBy: acme.owner.userId });
    expect(manifest.idPolicy).toMatch(/exporting server/);
    for (const section of ["workspace", "members", "clients", "projects", "tasks", "tags", "entries", "timesheets", "audit-log", "attachments"]) {
      const rows = json(zip, `${section}.json`);
      expect(rows.length, section).toBe(manifest.counts[section]);
      expect(rows.length, section).toBeGreaterThan(0);
    }

    // Nothing is held here (no import made it): held.json is there, empty, and counted.
    expect(json(zip, "held.json")).toEqual([]);
    expect(manifest.counts.held).toBe(0);

    // What the API shows, the archive holds.
    const api = acme.owner.api;
    const { items: entries } = await allPages((cursor) => api.entries.list.query({ page: { limit: 500, cursor } }));
    expect(json(zip, "entries.json").map((e) => e.id).sort()).toEqual(entries.map((e) => e.id).sort());
    const tagged = json(zip, "entries.json").find((e) => (e.tag_ids as string[]).length > 0);
    expect(tagged).toBeDefined();
    expect(json(zip, "members.json").map((m) => m.email).sort()).toEqual((await api.members.list.query()).map((m) => m.email).sort());
    expect(json(zip, "projects.json").some((p) => (p.member_ids as string[]).length > 0)).toBe(true);
    expect(json(zip, "workspace.json")[0]).toMatchObject({ tenant_id: acme.workspaceId, name: acme.name });

    // The CSV has the same entries as the JSON, with the columns of the entries export.
    const csv = parse(zip.get("entries.csv")!.toString("utf8"), { columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(manifest.counts["entries.csv"]);
    expect(csv).toHaveLength(entries.length);
    expect(Object.keys(csv[0]!)).toContain("duration_hours");

    // Each attachment's bytes, by id, the same as uploaded.
    const attachments = json(zip, "attachments.json");
    expect(manifest.files).toEqual({ written: attachments.length, bytes: uploaded.reduce((n, b) => n + b.length, 0), missing: [] });
    for (const a of attachments) expect(sha(zip.get(`files/${a.id}`)!)).toBe(a.sha256);
    expect(attachments.map((a) => a.sha256).sort()).toEqual(uploaded.map(sha).sort());

    // Nothing secret or internal, and nothing of the other workspace.
    const everything = [...zip.values()].map((b) => b.toString("latin1")).join("\n");
    for (const absent of ["password_hash", "token_hash", "storage_key", "change_seq", other.workspaceId, other.marker]) {
      expect(everything, absent).not.toContain(absent);
    }
  });

  it("refuses admins, managers and employees (403) and lets none of them start it", async () => {
    for (const role of ["ADMIN", "MANAGER", "EMPLOYEE"] as const) {
      const { res, bytes } = await fetchArchive(server.url, acme.people[role].token, acme.workspaceId);
      expect(res.status, role).toBe(403);
      expect(JSON.parse(bytes.toString("utf8"))).toEqual({ error: "Only an owner can export the whole workspace" });
    }
  });

  it("answers 401 without a session", async () => {
    const res = await fetch(`${server.url}/export/workspace.zip`, { headers: { [WORKSPACE_HEADER]: acme.workspaceId } });
    expect(res.status).toBe(401);
  });
});
