/**
 * Workspace archive import across tenants: an import always makes a new
 * workspace, whatever the request names and whatever ids the archive
 * carries, so it can never write into someone else's workspace; and the
 * workspace it makes is seen by its importer (and the members it restored)
 * only. The rows it holds for invited people are read in no other tenant,
 * taken by nobody but the invited person, and move into no other workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
import { archiveView } from "../../support/archive-view.js";
import { exportArchive, importArchive, zipOf } from "../../support/archive-import.js";
import { fillWorkspace } from "../../support/filled-workspace.js";
import { errorCodeOf, startTestServer, type TestServer } from "../../support/server.js";
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

/**
 * How many held rows a transaction of `tenantId` sees, asking for all of them
 * (no tenant predicate: RLS alone decides). The test's own statement, kept
 * out of the server's query audit.
 */
async function heldSeenFrom(tenantId: string): Promise<number> {
  const audited = server.statements.length;
  const [row] = await server.services.db.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
    return tx.$queryRawUnsafe<{ n: number }[]>("SELECT count(*)::int AS n FROM held_rows");
  });
  server.statements.length = audited;
  return row!.n;
}

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

  it("holds invited people's rows in the imported workspace only: nobody else reads or takes them, and accepting moves them nowhere else", async () => {
    const res = await importArchive(server.url, intruder.owner.token, victimArchive);
    expect(res.status).toBe(201);
    const copyId = res.body.workspaceId as string;
    const person = victim.people.EMPLOYEE;
    const token = (res.body.invitations as { email: string; token: string }[]).find((i) => i.email === person.email)!.token;
    const held = (res.body.held as { email: string; entries: number }[]).find((h) => h.email === person.email)!;
    expect(held.entries).toBeGreaterThan(0);
    const victimBefore = await victimView();
    const intruderBefore = (await intruder.owner.api.entries.list.query({})).items;

    // Read in the copy's own context they are there (positive control); in any other, they are not.
    const inCopy = await heldSeenFrom(copyId);
    expect(inCopy).toBeGreaterThan(0);
    expect(await heldSeenFrom(intruder.workspaceId)).toBe(0);
    expect(await heldSeenFrom(victim.workspaceId)).toBe(0);
    // Nobody sees them as entries or time, not even the copy's owner.
    const copyOwner = server.client({ token: intruder.owner.token, workspaceId: copyId });
    expect((await copyOwner.entries.list.query({})).items).toEqual([]);
    expect((await copyOwner.reports.summary.query({ from: "2020-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z", groupBy: "day" })).totals.seconds).toBe(0);

    // Someone else cannot take the person's invitation, nor point its token at their own workspace.
    expect(await errorCodeOf(server.client({ token: intruder.people.EMPLOYEE.token }).auth.acceptInvitation.mutate({ token }))).toBe("NOT_FOUND");
    const secret = token.slice(token.indexOf(".") + 1);
    const retargeted = `${intruder.workspaceId}.${secret}`;
    expect(await errorCodeOf(server.client({ token: person.token }).auth.acceptInvitation.mutate({ token: retargeted }))).toBe("NOT_FOUND");
    expect(await heldSeenFrom(copyId)).toBe(inCopy);
    expect(await heldSeenFrom(intruder.workspaceId)).toBe(0);
    expect((await intruder.owner.api.members.list.query()).map((m) => m.userId)).not.toContain(person.userId);
    // Inviting the same person into another workspace moves nothing held for them in the copy.
    const elsewhere = await intruder.owner.api.members.invite.mutate({ email: person.email, role: "EMPLOYEE" });
    expect((await intruder.owner.api.members.invitations.query()).find((i) => i.id === elsewhere.invitationId)?.held).toEqual({ entries: 0, timesheets: 0, attachments: 0 });
    expect(await heldSeenFrom(copyId)).toBe(inCopy);
    expect(await heldSeenFrom(intruder.workspaceId)).toBe(0);
    await intruder.owner.api.members.revokeInvitation.mutate({ id: elsewhere.invitationId });

    // The person accepts: the rows become theirs in the copy, and nothing changes anywhere else.
    expect(await server.client({ token: person.token }).auth.acceptInvitation.mutate({ token })).toEqual({ workspaceId: copyId });
    expect((await server.client({ token: person.token, workspaceId: copyId }).entries.list.query({})).items).toHaveLength(held.entries);
    expect(await heldSeenFrom(copyId)).toBeLessThan(inCopy);
    expect(await victimView()).toEqual(victimBefore);
    expect((await intruder.owner.api.entries.list.query({})).items).toEqual(intruderBefore);
    expect(await heldSeenFrom(intruder.workspaceId)).toBe(0);
  }, 120_000);
});
