import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTransport } from "../testing/fake-transport.js";
import { TempFolder, WS_A, aliceIn, seedCatalog, type Device } from "../testing/local-fixture.js";
import { SyncEngine } from "./engine.js";
import { describeSyncError } from "./sync-errors.js";
import { OfflineError, RequestRefusedError } from "./transport.js";

let tmp: TempFolder;
let dev: Device;
let transport: FakeTransport;
const now = Date.UTC(2025, 2, 3, 9);

/** Started in the background, after its first (empty) run. */
async function started(e: SyncEngine): Promise<SyncEngine> {
  e.start(() => []);
  await new Promise((resolve) => setTimeout(resolve, 10));
  return e;
}

function engine(random: () => number) {
  return new SyncEngine(dev.db, { ...dev, attachments: dev.attachments, files: dev.files }, transport, {
    clientId: () => "d0000000-0000-4000-8000-00000000000d",
    deviceName: "test",
    backoffBaseMs: 1000,
    intervalMs: 60_000,
    random,
    now: () => now,
  });
}

beforeEach(() => {
  tmp = new TempFolder();
  dev = tmp.openDevice();
  transport = new FakeTransport();
});
afterEach(() => tmp.cleanup());

describe("sync schedule", () => {
  it("never retries sooner than half the base delay, even with a jitter of zero", () => {
    const e = engine(() => 0);
    expect(e.nextDelay(0)).toBe(60_000);
    for (let failures = 1; failures < 12; failures++) expect(e.nextDelay(failures)).toBeGreaterThanOrEqual(500);
  });

  it("counts a failed sync asked for by hand, says when it will try again, and forgets failures after a success", async () => {
    const e = await started(engine(() => 0.5));
    transport.offline = true;
    await expect(e.syncNow([WS_A])).rejects.toBeInstanceOf(OfflineError);
    await expect(e.syncNow([WS_A])).rejects.toBeInstanceOf(OfflineError);
    expect(e.activity()).toMatchObject({ running: false, consecutiveFailures: 2, nextAttemptAt: now + 1000 });
    transport.offline = false;
    await e.syncNow([WS_A]);
    expect(e.activity()).toMatchObject({ consecutiveFailures: 0, nextAttemptAt: now + 60_000 });
    e.stop();
  });

  it("waits at least as long as the server asked when it refuses for too many requests", async () => {
    const e = await started(engine(() => 0.5));
    transport.registerClient = async () => {
      throw new RequestRefusedError(429, null, "Too many requests", 120);
    };
    await expect(e.syncNow([WS_A])).rejects.toBeInstanceOf(RequestRefusedError);
    expect(e.activity().nextAttemptAt).toBe(now + 120_000);
    e.stop();
  });
});

describe("a busy server (503)", () => {
  it("is retried like an outage: the batch is not split, the backoff steps up once, its Retry-After is kept, and nothing is lost", async () => {
    const e = await started(engine(() => 0.5));
    seedCatalog(dev.catalog, WS_A);
    const alice = aliceIn(WS_A);
    dev.clock.t = now;
    for (let i = 1; i <= 4; i++) dev.tracker.createManual(alice, { start: now - i * 3_600_000, end: now - i * 3_600_000 + 1_800_000 });
    const queued = dev.outbox.count(WS_A);
    expect(queued).toBeGreaterThanOrEqual(4);

    let busy = true;
    const push = transport.push.bind(transport);
    transport.push = async (ws, clientId, mutations) => {
      if (!busy) return push(ws, clientId, mutations);
      transport.calls.push(`busy ${mutations.length}`);
      throw new RequestRefusedError(503, "SERVER_BUSY", "The server is busy. Retry shortly.", 2);
    };
    const err = await e.syncNow([WS_A]).catch((caught: unknown) => caught);
    expect(err).toBeInstanceOf(RequestRefusedError);
    expect(describeSyncError(err)).toBe("The server is busy: sync will try again shortly");
    // One request, whole: a 500 would have been split in halves to find a change at fault.
    expect(transport.calls.filter((c) => c.startsWith("busy"))).toEqual([`busy ${queued}`]);
    expect(e.activity()).toMatchObject({ consecutiveFailures: 1, nextAttemptAt: now + 2_000 });
    expect(dev.outbox.count(WS_A)).toBe(queued);

    busy = false;
    await e.syncNow([WS_A]);
    expect(dev.outbox.count(WS_A)).toBe(0);
    expect(e.activity().consecutiveFailures).toBe(0);
    e.stop();
  });
});

describe("deletions held for undo", () => {
  it("sends a deletion only once its undo window has passed, keeping outbox order, and syncs again when it falls due", async () => {
    let t = now;
    const held = new SyncEngine(dev.db, { ...dev, attachments: dev.attachments, files: dev.files }, transport, {
      clientId: () => "d0000000-0000-4000-8000-00000000000d",
      deviceName: "test",
      intervalMs: 60_000,
      now: () => t,
      deletionHoldMs: 10_000,
    });
    seedCatalog(dev.catalog, WS_A);
    const alice = aliceIn(WS_A);
    dev.clock.t = t;
    const doomed = dev.tracker.createManual(alice, { start: t - 7_200_000, end: t - 3_600_000 });
    dev.tracker.remove(alice, doomed.id);
    const after = dev.tracker.createManual(alice, { start: t - 7_200_000, end: t - 3_600_000 }); // takes its place

    await started(held);
    await held.syncNow([WS_A]);
    // The creation went; the deletion and what follows it wait (the later entry needs the slot).
    expect(transport.calls.filter((c) => c.startsWith("push"))).toEqual(["push 1"]);
    expect(held.activity().nextAttemptAt).toBe(t + 10_000 + 50);

    t += 10_000;
    await held.syncNow([WS_A]);
    expect(transport.calls.filter((c) => c.startsWith("push"))).toEqual(["push 1", "push 2,3"]);
    expect(dev.outbox.count(WS_A)).toBe(0);
    expect(held.activity().nextAttemptAt).toBe(t + 60_000);
    expect(dev.tracker.list(alice).map((e) => e.id)).toEqual([after.id]);
    held.stop();
  });

  it("applies a new sync interval at once", async () => {
    const e = await started(engine(() => 0.5));
    expect(e.activity().nextAttemptAt).toBe(now + 60_000);
    e.setInterval(15_000);
    expect(e.activity().nextAttemptAt).toBe(now + 15_000);
    await e.syncNow([WS_A]);
    expect(e.activity().nextAttemptAt).toBe(now + 15_000);
    e.stop();
  });
});
