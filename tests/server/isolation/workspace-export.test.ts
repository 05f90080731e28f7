/**
 * The whole-workspace export across tenants: another workspace's owner naming
 * this one gets 404 and nothing of it (the attempt is counted in this
 * workspace's own log), while the same person's export of their own
 * workspace works and holds nothing of the other (positive control).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
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
});
