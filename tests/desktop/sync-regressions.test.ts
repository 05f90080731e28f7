/**
 * Ways a device's sync once lost or stalled work, each replayed against the
 * real server: a discarded refused deletion, a second person on the same
 * device, a change the server refuses as a whole, and an answer that never
 * comes.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { OfflineError } from "../../apps/desktop/src/core/sync/transport.js";
import { LocalError } from "../../apps/desktop/src/core/errors.js";
import { at } from "../support/api.js";
import { createDevice, removeDeviceFiles, type Device, type DeviceOptions } from "../support/device.js";
import { createCompany, TEST_PASSWORD, type Company, type Person } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let acme: Company;
let ann: Person;
let bob: Person;
const devices: Device[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { USER_RATE_LIMIT_PER_MINUTE: "100000" } });
  acme = await createCompany(server, "Acme");
  await acme.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
  ann = await acme.hire("EMPLOYEE", "ann");
  bob = await acme.hire("EMPLOYEE", "bob");
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

function newDevice(opts: Partial<DeviceOptions> = {}): Device {
  const device = createDevice({ serverUrl: server.url, ...opts });
  devices.push(device);
  return device;
}

async function signIn(device: Device, person: Person, discardUnsynced = false) {
  await device.core.logIn({ serverUrl: server.url, email: person.email, password: TEST_PASSWORD, discardUnsynced });
  device.core.selectWorkspace(acme.workspaceId);
}

const ms = (d: Date) => d.getTime();

/** A network that, while `hang()` says so, takes requests and never answers (until the caller gives up). */
const hangingWhile =
  (hang: () => boolean): typeof fetch =>
  (input, init) =>
    hang()
      ? new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)))
      : fetch(input, init);
const onServer = async (person: Person, id: string) =>
  (await person.api.entries.list.query({ page: { limit: 500, cursor: 0 } })).items.find((e) => e.id === id) ?? null;

describe("sync regressions", () => {
  it("discarding a refused deletion brings back exactly the server's version, for good", async () => {
    const device = newDevice();
    await signIn(device, ann);
    const scope = device.core.scope();
    const entry = device.core.tracker.createManual(scope, {
      start: ms(at("2026-03-02", 9)),
      end: ms(at("2026-03-02", 11)),
      description: "client call",
      billable: true,
    });
    await device.core.syncNow();
    const synced = device.core.tracker.list(scope).find((e) => e.id === entry.id)!;

    await acme.owner.api.workspace.update.mutate({ lockBefore: "2026-04-01" });
    device.core.tracker.remove(scope, entry.id);
    expect(device.core.tracker.list(scope).map((e) => e.id)).not.toContain(entry.id);
    await device.core.syncNow();
    const [refusal] = device.core.syncStatus(scope.workspaceId).rejected;
    expect(refusal).toMatchObject({ name: "entry.delete", reason: "LOCKED_PERIOD", entry: { id: entry.id, description: "client call" } });

    device.core.discardRejected(scope.workspaceId, refusal!.mutationId);
    expect(device.core.tracker.list(scope).find((e) => e.id === entry.id)).toEqual(synced);

    await acme.owner.api.workspace.update.mutate({ lockBefore: null });
    await device.core.syncNow();
    const restarted = device.restart();
    devices.push(restarted);
    await restarted.core.syncNow();
    expect(restarted.core.tracker.list(scope).find((e) => e.id === entry.id)).toEqual(synced);
    expect(await onServer(ann, entry.id)).toMatchObject({ description: "client call", billable: true });
    expect(restarted.core.syncStatus(scope.workspaceId)).toMatchObject({ pending: 0, rejected: [] });
  });

  it("gives the next person on a device a device id of their own, and never sends the first one's work as theirs", async () => {
    const device = newDevice();
    await signIn(device, ann);
    const annsId = device.core.status().user!.id;
    const anns = device.core.tracker.createManual(device.core.scope(), { start: ms(at("2026-03-03", 9)), end: ms(at("2026-03-03", 10)) });
    await device.core.syncNow();
    await device.core.logOut();

    await signIn(device, bob);
    const bobs = device.core.tracker.createManual(device.core.scope(), { start: ms(at("2026-03-03", 9)), end: ms(at("2026-03-03", 10)) });
    const [report] = await device.core.syncNow();
    expect(report).toMatchObject({ applied: 1, rejected: 0 });
    expect(await onServer(bob, bobs.id)).not.toBeNull();

    // Bob's session ends without a log-out while a change waits; Ann signs in on the same device.
    device.core.tracker.update(device.core.scope(), bobs.id, { description: "not yet synced" });
    const refused = await device.core
      .logIn({ serverUrl: server.url, email: ann.email, password: TEST_PASSWORD })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(LocalError);
    expect((refused as LocalError).code).toBe("UNSYNCED_CHANGES");
    expect((refused as LocalError).message).toContain(bob.email);
    expect(device.core.status().user!.email).toBe(bob.email);

    await signIn(device, ann, true);
    expect(device.core.status().user!.id).toBe(annsId);
    expect(device.core.tracker.list(device.core.scope())).toEqual([]);
    await device.core.syncNow();
    expect(device.core.syncStatus(acme.workspaceId)).toMatchObject({ pending: 0, rejected: [] });
    expect((await onServer(bob, bobs.id))?.description).not.toBe("not yet synced");
    // Ann's own entries came back from the server, and nothing of Bob's stayed.
    const shown = device.core.tracker.list(device.core.scope());
    expect(shown.map((e) => e.id)).toContain(anns.id);
    expect(shown.every((e) => e.userId === annsId)).toBe(true);
  });

  it("refuses text the server could not store before it is queued, so it can never block the outbox", async () => {
    const device = newDevice();
    await signIn(device, ann);
    const scope = device.core.scope();
    for (const description of ["nul \u0000 inside", "half a pair \ud800 here"]) {
      const refused = (() => {
        try {
          device.core.tracker.createManual(scope, { start: ms(at("2026-03-06", 9)), end: ms(at("2026-03-06", 10)), description });
          return null;
        } catch (err) {
          return err;
        }
      })();
      expect(refused).toMatchObject({ code: "VALIDATION" });
    }
    const fine = device.core.tracker.createManual(scope, { start: ms(at("2026-03-06", 9)), end: ms(at("2026-03-06", 10)), description: "ok 👍" });
    expect(() => device.core.tracker.update(scope, fine.id, { description: "\ud83d" })).toThrow(LocalError);
    expect(device.core.syncStatus(scope.workspaceId).pending).toBe(1);
    await device.core.syncNow();
    expect((await onServer(ann, fine.id))?.description).toBe("ok 👍");
  });

  it("splits a batch the server refuses as a whole, refuses only the change at fault, and sends the rest", async () => {
    const device = newDevice();
    await signIn(device, ann);
    const scope = device.core.scope();
    const before = device.core.tracker.createManual(scope, { start: ms(at("2026-03-04", 8)), end: ms(at("2026-03-04", 9)) });
    // A change an older app queued, too large for any request the server takes (its body limit).
    const huge = randomUUID();
    device.core.outbox.append(scope.workspaceId, "entry.put", huge, {
      id: huge,
      start: at("2026-03-04", 10).toISOString(),
      end: at("2026-03-04", 11).toISOString(),
      description: "x".repeat(6 * 1024 * 1024),
    });
    const after = device.core.tracker.createManual(scope, { start: ms(at("2026-03-04", 12)), end: ms(at("2026-03-04", 13)) });

    const [report] = await device.core.syncNow();
    expect(report).toMatchObject({ applied: 2, rejected: 1 });
    const status = device.core.syncStatus(scope.workspaceId);
    expect(status.pending).toBe(0);
    expect(status.rejected).toMatchObject([{ entityId: huge, reason: "VALIDATION" }]);
    expect(await onServer(ann, before.id)).not.toBeNull();
    expect(await onServer(ann, after.id)).not.toBeNull();
    expect(await onServer(ann, huge)).toBeNull();
  });

  it("ends a request that is never answered at its deadline", async () => {
    let hang = false;
    const hanging = hangingWhile(() => hang);
    const device = newDevice({ fetch: hanging, requestTimeoutMs: 400 });
    await signIn(device, ann);
    await device.core.syncNow();

    hang = true;
    const started = Date.now();
    const timedOut = await device.core.syncNow().catch((err: unknown) => err);
    expect(timedOut).toBeInstanceOf(OfflineError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(device.core.syncStatus(acme.workspaceId)).toMatchObject({
      lastError: "The server did not answer within 400 ms",
      consecutiveFailures: 1,
    });
  });

  it("ends a request at its deadline even when the network never honours the abort (sync and account calls alike)", async () => {
    // Node 20's fetch can lose an abort composed with AbortSignal.any once the garbage collector
    // has run, and then waits forever: the deadline must not rest on the abort being honoured.
    let deaf = false;
    const network: typeof fetch = (input, init) => (deaf ? new Promise<never>(() => undefined) : fetch(input, init));
    const device = newDevice({ fetch: network, requestTimeoutMs: 400 });
    await signIn(device, ann);
    await device.core.syncNow();

    deaf = true;
    const started = Date.now();
    expect(await device.core.syncNow().catch((err: unknown) => err)).toBeInstanceOf(OfflineError);
    expect(device.core.syncStatus(acme.workspaceId).lastError).toBe("The server did not answer within 400 ms");
    expect(await device.core.refreshWorkspaces().catch((err: unknown) => err)).toBeInstanceOf(OfflineError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(device.core.engine.activity().running).toBe(false);

    deaf = false;
    await device.core.syncNow();
    expect(device.core.syncStatus(acme.workspaceId)).toMatchObject({ lastError: null, consecutiveFailures: 0 });
  });

  it("abandons a run stuck on a dead connection when connectivity changes, and syncs at once", async () => {
    let hang = false;
    const hanging = hangingWhile(() => hang);
    const device = newDevice({ fetch: hanging, requestTimeoutMs: 60_000 });
    await signIn(device, ann);
    await device.core.syncNow();
    const scope = device.core.scope();
    const entry = device.core.tracker.createManual(scope, { start: ms(at("2026-03-05", 9)), end: ms(at("2026-03-05", 10)) });

    hang = true;
    const stuck = device.core.syncNow().catch((err: unknown) => err);
    device.core.startBackgroundSync();
    hang = false;
    const started = Date.now();
    device.core.engine.nudge();
    const [report] = await device.core.syncNow();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(report).toMatchObject({ applied: 1 });
    expect(await stuck).toBeInstanceOf(OfflineError);
    expect(await onServer(ann, entry.id)).not.toBeNull();
    expect(device.core.syncStatus(scope.workspaceId)).toMatchObject({ pending: 0, consecutiveFailures: 0, lastError: null });
  });
});

describe("locks on the device", () => {
  it("learns locked periods through sync and refuses edits in them before anything is queued, offline too", async () => {
    let up = true;
    const cable: typeof fetch = (input, init) => (up ? fetch(input, init) : Promise.reject(new TypeError("fetch failed")));
    const device = newDevice({ fetch: cable });
    await signIn(device, ann);
    const scope = device.core.scope();
    const early = device.core.tracker.createManual(scope, { start: ms(at("2026-01-05", 9)), end: ms(at("2026-01-05", 10)) });
    const week = device.core.tracker.createManual(scope, { start: ms(at("2026-01-12", 9)), end: ms(at("2026-01-12", 10)) });
    await device.core.syncNow();

    await acme.owner.api.workspace.update.mutate({ lockBefore: "2026-01-10" });
    await ann.api.timesheets.submit.mutate({ periodStart: "2026-01-12" });
    const sheet = (await acme.owner.api.timesheets.pending.query()).find((t) => t.userId === ann.userId)!;
    await acme.owner.api.timesheets.approve.mutate({ id: sheet.id });
    await device.core.syncNow();
    up = false;

    const refusal = (fn: () => unknown) => {
      try {
        fn();
        return null;
      } catch (err) {
        return (err as LocalError).code;
      }
    };
    expect(refusal(() => device.core.tracker.update(scope, early.id, { description: "too late" }))).toBe("LOCKED_PERIOD");
    expect(refusal(() => device.core.tracker.remove(scope, week.id))).toBe("LOCKED_PERIOD");
    expect(
      refusal(() => device.core.tracker.createManual(scope, { start: ms(at("2026-01-13", 9)), end: ms(at("2026-01-13", 10)) })),
    ).toBe("LOCKED_PERIOD");
    // Moving an open entry into a locked week is refused too; the week after is open.
    const open = device.core.tracker.createManual(scope, { start: ms(at("2026-01-20", 9)), end: ms(at("2026-01-20", 10)) });
    expect(refusal(() => device.core.tracker.update(scope, open.id, { start: ms(at("2026-01-14", 9)), end: ms(at("2026-01-14", 10)) }))).toBe(
      "LOCKED_PERIOD",
    );
    expect(device.core.syncStatus(scope.workspaceId).pending).toBe(1);

    up = true;
    await acme.owner.api.workspace.update.mutate({ lockBefore: null });
    await acme.owner.api.timesheets.reopen.mutate({ id: sheet.id });
    await device.core.syncNow();
    expect(refusal(() => device.core.tracker.update(scope, early.id, { description: "reopened" }))).toBeNull();
  });
});
