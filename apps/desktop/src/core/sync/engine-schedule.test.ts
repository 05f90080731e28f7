import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTransport } from "../testing/fake-transport.js";
import { TempFolder, WS_A, type Device } from "../testing/local-fixture.js";
import { SyncEngine } from "./engine.js";
import { OfflineError, RequestRefusedError } from "./transport.js";

let tmp: TempFolder;
let dev: Device;
let transport: FakeTransport;
const now = 1_000_000;

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
