/**
 * Workspace archive import across tenants: an import always makes a new
 * workspace, whatever the request names and whatever ids the archive
 * carries, so it can never write into someone else's workspace; and the
 * workspace it makes is seen by its importer (and the members it restored)
 * only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
import { archiveView } from "../../support/archive-view.js";
import { exportArchive, importArchive, zipOf } from "../../support/archive-import.js";
import { fillWorkspace } from "../../support/filled-workspace.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { staffCompany, UNLIMITED_ENV, type StaffedCompany } from "../../support/staffed-company.js";

let server: TestServer;
let victim: StaffedCompany;
let intruder: StaffedCompany;
let victimArchive: Buffer;

beforeAll(async () => {
  server = await startTestServer({ env: UNLIMITED_ENV });
  victim = await staffCompany(server, "Victim");
  intruder = await staffCompany(server, "Intruder");
  await fillWorkspace(victim);
  await intruder.make.entry({ by: "OWNER" });
  victimArchive = await exportArchive(server.url, victim.owner.token, victim.workspaceId);
}, 180_000);
afterAll(async () => {
  await server?.close();
});

const victimView = async () => {
  const view = await archiveView(await exportArchive(server.url, victim.owner.token, victim.workspaceId));
  return { ...view, zip: null, files: null, audit: null };
};

describe("workspace archive import across tenants", () => {
  it("cannot write into another workspace: naming it, or carrying its ids, still makes a new workspace of the importer's", async () => {
    const before = await victimView();
    // The intruder's own archive, forged to carry the victim's workspace id and the ids of the victim's rows.
    const { zip } = await archiveView(await exportArchive(server.url, intruder.owner.token, intruder.workspaceId));
    const victimIds = before.ids;
    const forged = new Map(
      [...zip].map(([name, bytes]) => {
        let text = bytes.toString("latin1").replaceAll(intruder.workspaceId, victim.workspaceId);
        const rows = name.endsWith(".json") && name !== "manifest.json" ? (JSON.parse(text) as { id?: string }[]) : null;
        rows?.forEach((row, i) => {
          if (row.id && victimIds[i]) text = text.replaceAll(row.id, victimIds[i]!);
        });
        return [name, Buffer.from(text, "latin1")] as [string, Buffer];
      }),
    );
    const res = await importArchive(server.url, intruder.owner.token, await zipOf(forged), { [WORKSPACE_HEADER]: victim.workspaceId });
    expect(res.status).toBe(201);
    expect(res.body.workspaceId).not.toBe(victim.workspaceId);

    // The victim's workspace is as it was, and the intruder is still not in it.
    const after = await victimView();
    expect({ ...after, ids: [...after.ids].sort() }).toEqual({ ...before, ids: [...before.ids].sort() });
    const members = await victim.owner.api.members.list.query();
    expect(members.map((m) => m.userId)).not.toContain(intruder.owner.userId);
    // And the copy holds none of the victim's ids.
    const copy = await archiveView(await exportArchive(server.url, intruder.owner.token, res.body.workspaceId as string));
    expect(copy.ids.filter((id) => victimIds.includes(id))).toEqual([]);
  });

  it("shows the imported workspace to nobody outside it (positive control: its importer)", async () => {
    const res = await importArchive(server.url, intruder.owner.token, victimArchive);
    expect(res.status).toBe(201);
    const workspaceId = res.body.workspaceId as string;

    // The intruder owns the copy (positive control)...
    const own = server.client({ token: intruder.owner.token, workspaceId });
    expect((await own.projects.list.query({})).items.length).toBeGreaterThan(0);
    // ...the victim's people, though they have accounts here, are only invited: the copy is not theirs
    // until they accept, and holds none of their entries...
    const victimsEmployee = server.client({ token: victim.people.EMPLOYEE.token, workspaceId });
    await expect(victimsEmployee.entries.list.query({})).rejects.toMatchObject({ data: { code: "NOT_FOUND" } });
    expect((await own.entries.list.query({})).items).toEqual([]);
    // ...and a person who is in neither workspace does not see it at all.
    const outsider = await staffCompany(server, "Outsider");
    const theirs = server.client({ token: outsider.owner.token, workspaceId });
    await expect(theirs.entries.list.query({})).rejects.toMatchObject({ data: { code: "NOT_FOUND" } });
    expect((await server.client({ token: outsider.owner.token }).auth.workspaces.query()).map((w) => w.workspaceId)).not.toContain(workspaceId);
    const download = await fetch(`${server.url}/export/workspace.zip`, { headers: { authorization: `Bearer ${outsider.owner.token}`, [WORKSPACE_HEADER]: workspaceId } });
    expect(download.status).toBe(404);
  });
});
