/**
 * The whole-workspace export across tenants: another workspace's owner naming
 * this one gets 404 and nothing of it (the attempt is counted in this
 * workspace's own log), while the same person's export of their own
 * workspace works and holds nothing of the other (positive control). Held
 * rows too: a copy restored from an archive holds its people's time, and its
 * export carries that and nothing another copy holds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
import { adminRows } from "../../support/admin-rows.js";
import { exportArchive, importArchive } from "../../support/archive-import.js";
import { deniedTally } from "../../support/denials.js";
import { fillWorkspace } from "../../support/filled-workspace.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { staffCompany, UNLIMITED_ENV, type StaffedCompany } from "../../support/staffed-company.js";
import { readZip } from "../../support/zip.js";

let server: TestServer;
let victim: StaffedCompany;
let intruder: StaffedCompany;

beforeAll(async () => {
  server = await startTestServer({ env: UNLIMITED_ENV });
  victim = await staffCompany(server, "Victim");
  intruder = await staffCompany(server, "Intruder");
  await fillWorkspace(victim);
  await fillWorkspace(intruder);
}, 180_000);
afterAll(async () => {
  await server?.close();
});

const archiveOf = (token: string, workspaceId: string) =>
  fetch(`${server.url}/export/workspace.zip`, { headers: { authorization: `Bearer ${token}`, [WORKSPACE_HEADER]: workspaceId } });

describe("whole-workspace export across tenants", () => {
  it("answers another workspace's owner 404 with nothing of the victim, and counts the attempt in the victim's log", async () => {
    const res = await archiveOf(intruder.owner.token, victim.workspaceId);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ error: "Workspace not found" });
    expect(body).not.toContain(victim.marker);
    expect(await deniedTally(victim.owner.api, intruder.owner.userId)).toMatchObject({
      procedures: { "export.workspace": 1 },
      reasons: ["not a member"],
    });
  });

  it("lets each owner export their own workspace, holding nothing of the other", async () => {
    for (const [own, stranger] of [[victim, intruder], [intruder, victim]] as const) {
      const res = await archiveOf(own.owner.token, own.workspaceId);
      expect(res.status).toBe(200);
      const zip = await readZip(Buffer.from(await res.arrayBuffer()));
      const everything = [...zip.values()].map((b) => b.toString("latin1")).join("\n");
      expect(everything).toContain(own.marker);
      expect(everything).not.toContain(stranger.marker);
      expect(everything).not.toContain(stranger.workspaceId);
    }
  });

  it("carries a workspace's own held rows and files, and none another workspace holds", async () => {
    // Each owner restores their own workspace: the copy holds everyone else's time for them. (Two
    // workspaces of their own: the victim's log now has the refused attempt above, whose id an import refuses.)
    const copies = [];
    for (const company of await Promise.all(["Keeper", "Other"].map((label) => staffCompany(server, label)))) {
      await fillWorkspace(company);
      const res = await importArchive(server.url, company.owner.token, await exportArchive(server.url, company.owner.token, company.workspaceId));
      expect(res.status).toBe(201);
      copies.push({ company, workspaceId: res.body.workspaceId as string });
    }
    for (const [own, other] of [[copies[0]!, copies[1]!], [copies[1]!, copies[0]!]] as const) {
      const zip = await readZip(await exportArchive(server.url, own.company.owner.token, own.workspaceId));
      const held = JSON.parse(zip.get("held.json")!.toString("utf8")) as { email: string; kind: string; payload: { id: string } }[];
      const stored = await adminRows(server, "SELECT payload->>'id' AS id FROM held_rows WHERE tenant_id = $1", [own.workspaceId]);
      expect(held.map((h) => h.payload.id).sort()).toEqual(stored.map((r) => r.id as string).sort());
      expect(held.some((h) => h.kind === "attachment" && zip.has(`files/${h.payload.id}`))).toBe(true);
      expect(held.every((h) => h.email.includes(own.company.marker))).toBe(true);
      const everything = [...zip.values()].map((b) => b.toString("latin1")).join("\n");
      expect(everything).not.toContain(other.company.marker);
      expect(everything).not.toContain(other.workspaceId);
      const theirs = await adminRows(server, "SELECT id::text AS id, payload->>'id' AS held FROM held_rows WHERE tenant_id = $1", [other.workspaceId]);
      expect(theirs.length).toBeGreaterThan(0);
      for (const r of theirs) {
        expect(everything).not.toContain(r.id as string);
        expect(everything).not.toContain(r.held as string);
      }
    }
  }, 120_000);
});
