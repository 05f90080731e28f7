import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { at } from "../support/api.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";
import { createCompany, TEST_PASSWORD, type Company, type Person } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let acme: Company;
let employee: Person;
const devices: Device[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { USER_RATE_LIMIT_PER_MINUTE: "100000" } });
  acme = await createCompany(server, "Acme");
  await acme.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
  employee = await acme.hire("EMPLOYEE");
});
afterEach(() => {
  for (const d of devices.splice(0)) {
    d.close();
    removeDeviceFiles(d);
  }
});
afterAll(async () => {
  await server.close();
});

async function signedInDevice(person: Person = employee, opts: { fetch?: typeof fetch } = {}): Promise<Device> {
  const device = createDevice({ serverUrl: server.url, fetch: opts.fetch });
  devices.push(device);
  await device.core.logIn({ serverUrl: server.url, email: person.email, password: TEST_PASSWORD });
  device.core.selectWorkspace(acme.workspaceId);
  await device.core.syncNow();
  return device;
}

const ms = (d: Date) => d.getTime();

async function serverEntries(person: Person = employee) {
  const res = await person.api.entries.list.query({ page: { limit: 500, cursor: 0 } });
  return new Map(res.items.map((e) => [e.id, e]));
}

describe("offline desktop and sync", () => {
  it("keeps working offline and delivers everything on the next sync", async () => {
    const device = await signedInDevice();
    const scope = device.core.scope();
    const a = device.core.tracker.createManual(scope, { start: ms(at("2026-04-06", 9)), end: ms(at("2026-04-06", 10)), description: "offline A" });
    const b = device.core.tracker.createManual(scope, { start: ms(at("2026-04-06", 10)), end: ms(at("2026-04-06", 11)), description: "offline B" });
    device.core.tracker.update(scope, a.id, { description: "offline A, edited" });
    device.core.tracker.remove(scope, b.id);
    expect(device.core.syncStatus(scope.workspaceId).pending).toBe(4);

    const [report] = await device.core.syncNow();
    expect(report).toMatchObject({ applied: 4, rejected: 0 });
    const onServer = await serverEntries();
    expect(onServer.get(a.id)?.description).toBe("offline A, edited");
    expect(onServer.has(b.id)).toBe(false);
    expect(device.core.syncStatus(scope.workspaceId).pending).toBe(0);
  });

  it("pulls the catalog and entries made on another device", async () => {
    const project = await acme.owner.api.projects.create.mutate({ name: `Pulled ${randomUUID().slice(0, 6)}` });
    const laptop = await signedInDevice();
    const desktop = await signedInDevice();
    const scope = laptop.core.scope();
    expect(laptop.core.catalog.projects(scope.workspaceId).map((p) => p.id)).toContain(project.id);
    const made = laptop.core.tracker.createManual(scope, {
      start: ms(at("2026-04-07", 9)),
      end: ms(at("2026-04-07", 10)),
      projectId: project.id,
    });
    await laptop.core.syncNow();
    await desktop.core.syncNow();
    expect(desktop.core.entries.get(scope.workspaceId, made.id)).toMatchObject({ projectId: project.id, start: made.start });
  });

  it("keeps a rejected change visible with its reason until it is discarded", async () => {
    const laptop = await signedInDevice();
    const desktop = await signedInDevice();
    const scope = laptop.core.scope();
    const first = laptop.core.tracker.createManual(scope, { start: ms(at("2026-04-08", 9)), end: ms(at("2026-04-08", 11)) });
    const clash = desktop.core.tracker.createManual(scope, { start: ms(at("2026-04-08", 10)), end: ms(at("2026-04-08", 12)) });
    await laptop.core.syncNow();
    const [report] = await desktop.core.syncNow();
    expect(report).toMatchObject({ rejected: 1 });
    const status = desktop.core.syncStatus(scope.workspaceId);
    expect(status.rejected).toHaveLength(1);
    expect(status.rejected[0]).toMatchObject({ entityId: clash.id, reason: "CONFLICT" });
    expect(status.rejected[0]!.message).toMatch(/overlap/i);
    // Still there on the next sync: a refusal is not forgotten.
    await desktop.core.syncNow();
    expect(desktop.core.syncStatus(scope.workspaceId).rejected).toHaveLength(1);
    expect(desktop.core.entries.get(scope.workspaceId, clash.id)).not.toBeNull();

    desktop.core.discardRejected(scope.workspaceId, status.rejected[0]!.mutationId);
    expect(desktop.core.entries.get(scope.workspaceId, clash.id)).toBeNull();
    expect(desktop.core.syncStatus(scope.workspaceId).rejected).toHaveLength(0);
    expect(desktop.core.entries.get(scope.workspaceId, first.id)).not.toBeNull();
  });

  it("clears a refusal when the user fixes the entry", async () => {
    const laptop = await signedInDevice();
    const desktop = await signedInDevice();
    const scope = laptop.core.scope();
    laptop.core.tracker.createManual(scope, { start: ms(at("2026-04-09", 9)), end: ms(at("2026-04-09", 11)) });
    const clash = desktop.core.tracker.createManual(scope, { start: ms(at("2026-04-09", 10)), end: ms(at("2026-04-09", 12)) });
    await laptop.core.syncNow();
    await desktop.core.syncNow();
    expect(desktop.core.syncStatus(scope.workspaceId).rejected).toHaveLength(1);
    // The laptop's entry arrived with the pull: the fix must avoid it locally too.
    expect(() => desktop.core.tracker.update(scope, clash.id, { start: ms(at("2026-04-09", 10)) })).toThrow(/overlap/i);
    desktop.core.tracker.update(scope, clash.id, { start: ms(at("2026-04-09", 11)) });
    const [report] = await desktop.core.syncNow();
    expect(report).toMatchObject({ applied: 1 });
    expect(desktop.core.syncStatus(scope.workspaceId).rejected).toHaveLength(0);
    expect((await serverEntries()).get(clash.id)?.start).toEqual(at("2026-04-09", 11));
  });

  it("lets the server's order win when two devices edit the same entry offline, and both converge", async () => {
    const laptop = await signedInDevice();
    const desktop = await signedInDevice();
    const scope = laptop.core.scope();
    const entry = laptop.core.tracker.createManual(scope, { start: ms(at("2026-04-10", 9)), end: ms(at("2026-04-10", 10)), description: "original" });
    await laptop.core.syncNow();
    await desktop.core.syncNow();
    laptop.core.tracker.update(scope, entry.id, { description: "laptop's words", billable: true });
    desktop.core.tracker.update(scope, entry.id, { description: "desktop's words" });
    await desktop.core.syncNow(); // reaches the server first
    await laptop.core.syncNow(); // reaches it second: its state wins
    await desktop.core.syncNow();
    const server = (await serverEntries()).get(entry.id)!;
    expect(server).toMatchObject({ description: "laptop's words", billable: true });
    for (const d of [laptop, desktop]) {
      expect(d.core.entries.get(scope.workspaceId, entry.id)).toMatchObject({ description: "laptop's words", billable: true });
    }
  });

  it("respects a deletion made on another device: the late edit is refused and, once discarded, the entry is gone everywhere", async () => {
    const laptop = await signedInDevice();
    const desktop = await signedInDevice();
    const scope = laptop.core.scope();
    const entry = laptop.core.tracker.createManual(scope, { start: ms(at("2026-04-13", 9)), end: ms(at("2026-04-13", 10)) });
    await laptop.core.syncNow();
    await desktop.core.syncNow();
    laptop.core.tracker.remove(scope, entry.id);
    desktop.core.tracker.update(scope, entry.id, { description: "edited while it was deleted" });
    await laptop.core.syncNow();
    await desktop.core.syncNow();
    const refused = desktop.core.syncStatus(scope.workspaceId).rejected;
    expect(refused).toMatchObject([{ entityId: entry.id, reason: "CONFLICT" }]);
    desktop.core.discardRejected(scope.workspaceId, refused[0]!.mutationId);
    expect(desktop.core.entries.get(scope.workspaceId, entry.id)).toBeNull();
    expect((await serverEntries()).has(entry.id)).toBe(false);
  });

  it("shows a late offline change to an approved week as refused with LOCKED_PERIOD", async () => {
    const manager = await acme.hire("MANAGER");
    const device = await signedInDevice();
    const scope = device.core.scope();
    const late = device.core.tracker.createManual(scope, { start: ms(at("2026-02-16", 9)), end: ms(at("2026-02-16", 10)) });
    // Meanwhile, online, the week is submitted and approved.
    await employee.api.entries.create.mutate({ start: at("2026-02-17", 9), end: at("2026-02-17", 10) });
    const sheet = await employee.api.timesheets.submit.mutate({ periodStart: "2026-02-16" });
    await manager.api.timesheets.approve.mutate({ id: sheet.id });
    const [report] = await device.core.syncNow();
    expect(report).toMatchObject({ rejected: 1 });
    expect(device.core.syncStatus(scope.workspaceId).rejected).toMatchObject([{ entityId: late.id, reason: "LOCKED_PERIOD" }]);
    expect((await serverEntries()).has(late.id)).toBe(false);
  });

  it("pushes a replay once when the response to a push is lost", async () => {
    let dropNextPushResponse = false;
    const lossy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (dropNextPushResponse && String(input).includes("sync.push")) {
        dropNextPushResponse = false;
        throw new TypeError("fetch failed: connection reset");
      }
      return res;
    };
    const device = await signedInDevice(employee, { fetch: lossy });
    const scope = device.core.scope();
    const entry = device.core.tracker.createManual(scope, { start: ms(at("2026-04-14", 9)), end: ms(at("2026-04-14", 10)) });
    dropNextPushResponse = true;
    await expect(device.core.syncNow()).rejects.toThrow();
    expect(device.core.syncStatus(scope.workspaceId).pending).toBe(1);
    const [report] = await device.core.syncNow();
    expect(report).toMatchObject({ applied: 1, rejected: 0 });
    const sameDay = [...(await serverEntries()).values()].filter((e) => e.start.getTime() === entry.start);
    expect(sameDay.map((e) => e.id)).toEqual([entry.id]);
  });

  it("keeps a running timer through a restart and syncs it", async () => {
    let device = await signedInDevice();
    const scope = device.core.scope();
    const timer = device.core.tracker.start(scope, { description: "long task" }, ms(at("2026-04-15", 9)));
    device = device.restart();
    devices.push(device);
    expect(device.core.tracker.running(scope)?.id).toBe(timer.id);
    await device.core.syncNow();
    expect((await employee.api.entries.running.query())?.id).toBe(timer.id);
    device.core.tracker.stop(scope, ms(at("2026-04-15", 12)));
    await device.core.syncNow();
    expect((await employee.api.entries.running.query())).toBeNull();
  });

  it("keeps two workspaces of one person apart on the device, and forgets one only when it is synced", async () => {
    const globex = await createCompany(server, "Globex");
    await globex.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
    const invite = await globex.owner.api.members.invite.mutate({ email: employee.email, role: "EMPLOYEE" });
    await employee.api.auth.acceptInvitation.mutate({ token: invite.token });
    const device = await signedInDevice();
    await device.core.refreshWorkspaces();
    const inAcme = device.core.tracker.createManual(device.core.scope(), { start: ms(at("2026-04-16", 9)), end: ms(at("2026-04-16", 10)) });
    device.core.selectWorkspace(globex.workspaceId);
    const globexScope = device.core.scope();
    expect(device.core.tracker.list(globexScope).map((e) => e.id)).not.toContain(inAcme.id);
    // The same hours are free in the other company.
    const inGlobex = device.core.tracker.createManual(globexScope, { start: ms(at("2026-04-16", 9)), end: ms(at("2026-04-16", 10)) });
    await device.core.syncNow();
    const globexEntries = await server.client({ token: employee.token, workspaceId: globex.workspaceId }).entries.list.query({});
    expect(globexEntries.items.map((e) => e.id)).toEqual([inGlobex.id]);
    expect((await serverEntries()).has(inGlobex.id)).toBe(false);

    device.core.tracker.createManual(globexScope, { start: ms(at("2026-04-17", 9)), end: ms(at("2026-04-17", 10)) });
    expect(() => device.core.forgetWorkspace(globex.workspaceId)).toThrow(/not synced/);
    await device.core.syncNow();
    device.core.forgetWorkspace(globex.workspaceId);
    expect(device.core.entries.count(globex.workspaceId)).toBe(0);
    expect(device.core.entries.get(acme.workspaceId, inAcme.id)).not.toBeNull();
  });

  it("delivers a week offline (thousands of entries) in one sync", async () => {
    const device = await signedInDevice();
    const scope = device.core.scope();
    const start = ms(at("2027-01-04", 0));
    const count = 2_500;
    for (let i = 0; i < count; i++) {
      device.core.tracker.createManual(scope, { start: start + i * 240_000, end: start + i * 240_000 + 180_000, description: `slice ${i}` });
    }
    const [report] = await device.core.syncNow();
    expect(report).toMatchObject({ applied: count, rejected: 0 });
    const onServer = await employee.api.entries.list.query({
      from: new Date(start),
      to: new Date(start + count * 240_000),
      page: { limit: 500, cursor: count - 1 },
    });
    expect(onServer.items).toHaveLength(1);
    expect(device.core.syncStatus(scope.workspaceId).pending).toBe(0);
  });
});
