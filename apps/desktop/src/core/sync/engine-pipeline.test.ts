import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTransport } from "../testing/fake-transport.js";
import { HOUR, T0, TempFolder, WS_A, aliceIn, type Device } from "../testing/local-fixture.js";
import type { PushMutation } from "./transport.js";
import { SyncEngine } from "./engine.js";
import { OfflineError } from "./transport.js";

const scope = aliceIn(WS_A);
let tmp: TempFolder;
let dev: Device;
let transport: FakeTransport;

function engine() {
  return new SyncEngine(dev.db, { ...dev, attachments: dev.attachments, files: dev.files }, transport, {
    clientId: () => "d0000000-0000-4000-8000-00000000000d",
    deviceName: "test",
    batchSize: 2,
  });
}

function entries(count: number) {
  for (let i = 0; i < count; i++) dev.tracker.createManual(scope, { start: T0 + i * HOUR, end: T0 + i * HOUR + HOUR / 2 });
}

beforeEach(() => {
  tmp = new TempFolder();
  dev = tmp.openDevice();
  transport = new FakeTransport();
});
afterEach(() => tmp.cleanup());

describe("push pipeline", () => {
  it("sends the next batch before recording the answer to the previous one, and records every answer in order", async () => {
    entries(5);
    const pendingWhenSent: number[][] = [];
    const push = transport.push.bind(transport);
    transport.push = async (ws: string, clientId: string, mutations: PushMutation[]) => {
      pendingWhenSent.push(dev.outbox.pending(WS_A, 100).map((m) => m.mutationId));
      return push(ws, clientId, mutations);
    };
    const [report] = await engine().syncNow([WS_A]);

    expect(transport.calls.filter((c) => c.startsWith("push"))).toEqual(["push 1,2", "push 3,4", "push 5"]);
    // Batch 2 left while batch 1 was still unrecorded; batch 3 while batch 2 was.
    expect(pendingWhenSent).toEqual([
      [1, 2, 3, 4, 5],
      [1, 2, 3, 4, 5],
      [3, 4, 5],
    ]);
    expect(report).toMatchObject({ pushed: 5, applied: 5, rejected: 0 });
    expect(dev.outbox.pending(WS_A, 100)).toEqual([]);
  });

  it("keeps what was answered when the next batch's request fails, and sends the rest again next time", async () => {
    entries(4);
    const push = transport.push.bind(transport);
    let calls = 0;
    transport.push = async (ws: string, clientId: string, mutations: PushMutation[]) => {
      if (++calls === 2) throw new OfflineError();
      return push(ws, clientId, mutations);
    };
    await expect(engine().syncNow([WS_A])).rejects.toBeInstanceOf(OfflineError);
    expect(dev.outbox.pending(WS_A, 100).map((m) => m.mutationId)).toEqual([3, 4]);

    const [report] = await engine().syncNow([WS_A]);
    expect(report).toMatchObject({ pushed: 2, applied: 2 });
    expect(dev.outbox.pending(WS_A, 100)).toEqual([]);
  });

  it("records a refusal in a batch answered while the next one is out, and the next batch's own answers after it", async () => {
    entries(4);
    transport.pushAnswer = (m) =>
      m.mutationId === 2
        ? { mutationId: 2, status: "rejected", reason: "LOCKED_PERIOD", message: "locked" }
        : { mutationId: m.mutationId, status: "applied" };
    const [report] = await engine().syncNow([WS_A]);
    expect(report).toMatchObject({ pushed: 4, applied: 3, rejected: 1 });
    expect(dev.outbox.rejected(WS_A).map((m) => [m.mutationId, m.reason])).toEqual([[2, "LOCKED_PERIOD"]]);
    expect(dev.outbox.pending(WS_A, 100)).toEqual([]);
  });
});
