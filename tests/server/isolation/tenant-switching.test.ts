/**
 * Tenant switching: one person works for two companies with one session,
 * naming a workspace per request. Whatever they do in one never shows in
 * the other, their role is the one they hold in the workspace they name,
 * and losing one company's seat cuts that company off at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCompany, type Company } from "../../support/people.js";
import { errorCodeOf, startTestServer, type ApiClient, type TestServer } from "../../support/server.js";
import { deniedTally } from "../../support/denials.js";

let server: TestServer;
let acme: Company;
let bolt: Company;
/** Acme's owner, who also joined Bolt as an admin: one session, two workspaces. */
let consultant: { userId: string; inAcme: ApiClient; inBolt: ApiClient; everywhere: ApiClient };

beforeAll(async () => {
  server = await startTestServer();
  acme = await createCompany(server, "Acme");
  bolt = await createCompany(server, "Bolt");
  const invitation = await bolt.owner.api.members.invite.mutate({ email: acme.owner.email, role: "ADMIN" });
  const token = acme.owner.token;
  await server.client({ token }).auth.acceptInvitation.mutate({ token: invitation.token });
  consultant = {
    userId: acme.owner.userId,
    inAcme: server.client({ token, workspaceId: acme.workspaceId }),
    inBolt: server.client({ token, workspaceId: bolt.workspaceId }),
    everywhere: server.client({ token }),
  };
});
afterAll(async () => {
  await server?.close();
});

const page = { page: { limit: 500, cursor: 0 } };
const hour = (i: number) => ({
  start: new Date(Date.UTC(2025, 1, 3, 8 + i)),
  end: new Date(Date.UTC(2025, 1, 3, 9 + i)),
});

describe("a person in two companies", () => {
  it("sees both workspaces, each with the role held there", async () => {
    expect(await consultant.everywhere.auth.workspaces.query()).toEqual([
      { workspaceId: acme.workspaceId, name: "Acme", role: "OWNER" },
      { workspaceId: bolt.workspaceId, name: "Bolt", role: "ADMIN" },
    ]);
  });

  it("acts with the role of the workspace named, not the highest one held", async () => {
    expect((await consultant.inAcme.workspace.get.query()).myRole).toBe("OWNER");
    expect((await consultant.inBolt.workspace.get.query()).myRole).toBe("ADMIN");
    // Owner-only in Bolt, whatever they are in Acme.
    expect(await errorCodeOf(consultant.inBolt.workspace.delete.mutate({ confirmName: "Bolt" }))).toBe("FORBIDDEN");
    const boltOwner = (await consultant.inBolt.members.list.query()).find((m) => m.userId === bolt.owner.userId)!;
    expect(await errorCodeOf(consultant.inBolt.members.changeRole.mutate({ membershipId: boltOwner.id, role: "EMPLOYEE" }))).toBe(
      "FORBIDDEN",
    );
    expect((await bolt.owner.api.members.list.query()).find((m) => m.userId === bolt.owner.userId)!.role).toBe("OWNER");
  });

  it("switches back and forth: what is made in one workspace never shows in the other", async () => {
    const made = { acme: { projects: [] as string[], entries: [] as string[] }, bolt: { projects: [] as string[], entries: [] as string[] } };
    for (let i = 0; i < 5; i++) {
      // The same hour in both companies: constraints are per workspace, so neither booking sees the other.
      const pa = await consultant.inAcme.projects.create.mutate({ name: `Acme project ${i}` });
      const ea = await consultant.inAcme.entries.create.mutate({ ...hour(i), projectId: pa.id, description: `Acme work ${i}` });
      const pb = await consultant.inBolt.projects.create.mutate({ name: `Bolt project ${i}` });
      const eb = await consultant.inBolt.entries.create.mutate({ ...hour(i), projectId: pb.id, description: `Bolt work ${i}` });
      expect([pa.tenantId, ea.tenantId, pb.tenantId, eb.tenantId]).toEqual([acme.workspaceId, acme.workspaceId, bolt.workspaceId, bolt.workspaceId]);
      made.acme.projects.push(pa.id);
      made.acme.entries.push(ea.id);
      made.bolt.projects.push(pb.id);
      made.bolt.entries.push(eb.id);

      // Each side lists exactly its own, checked after every switch.
      for (const [side, api] of [["acme", consultant.inAcme], ["bolt", consultant.inBolt]] as const) {
        const projects = (await api.projects.list.query(page)).items.map((p) => p.id).sort();
        const entries = (await api.entries.list.query(page)).items.map((e) => e.id).sort();
        expect({ side, projects, entries }).toEqual({ side, projects: [...made[side].projects].sort(), entries: [...made[side].entries].sort() });
      }

      // And naming the other's object while in one workspace finds nothing.
      expect(await errorCodeOf(consultant.inBolt.projects.get.query({ id: pa.id }))).toBe("NOT_FOUND");
      expect(await errorCodeOf(consultant.inAcme.entries.get.query({ id: eb.id }))).toBe("NOT_FOUND");
      expect(await errorCodeOf(consultant.inBolt.entries.create.mutate({ ...hour(i + 100), projectId: pa.id }))).toBe("NOT_FOUND");
    }

    // The companies' owners agree: Bolt's owner sees the consultant's Bolt entries and nothing from Acme.
    const seenByBolt = (await bolt.owner.api.entries.list.query({ userId: consultant.userId, ...page })).items;
    expect(seenByBolt.map((e) => e.id).sort()).toEqual([...made.bolt.entries].sort());
    expect(seenByBolt.every((e) => e.description.startsWith("Bolt"))).toBe(true);
  });

  it("loses Bolt the moment Bolt removes them, and keeps working in Acme", async () => {
    const seat = (await bolt.owner.api.members.list.query()).find((m) => m.userId === consultant.userId)!;
    await bolt.owner.api.members.remove.mutate({ membershipId: seat.id });

    expect(await errorCodeOf(consultant.inBolt.projects.list.query({}))).toBe("NOT_FOUND");
    expect(await errorCodeOf(consultant.inBolt.entries.create.mutate({ ...hour(50) }))).toBe("NOT_FOUND");
    expect((await consultant.inAcme.projects.list.query({})).items.length).toBeGreaterThan(0);
    expect(await consultant.inAcme.entries.create.mutate({ ...hour(50) })).toMatchObject({ tenantId: acme.workspaceId });
    expect(await consultant.everywhere.auth.workspaces.query()).toEqual([
      { workspaceId: acme.workspaceId, name: "Acme", role: "OWNER" },
    ]);

    const denied = await deniedTally(bolt.owner.api, consultant.userId);
    expect(denied).toMatchObject({ count: 2, procedures: { "projects.list": 1, "entries.create": 1 } });
    // Bolt's records stay Bolt's: the work booked there is still in Bolt's books.
    expect((await bolt.owner.api.entries.list.query({ userId: consultant.userId, ...page })).items).toHaveLength(5);
  });
});
