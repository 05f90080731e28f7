import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HOUR, PROJECT_1, T0, TAG_1, TAG_2, TempFolder, WS_A, aliceIn, bobIn, catchLocal, seedCatalog, type Device } from "../testing/local-fixture.js";
import { UNDO_DELETE_MS } from "./undo-window.js";

const alice = aliceIn(WS_A);
let tmp: TempFolder;
let dev: Device;
beforeEach(() => {
  tmp = new TempFolder();
  dev = tmp.openDevice();
  seedCatalog(dev.catalog, WS_A);
});
afterEach(() => tmp.cleanup());

const entry = () =>
  dev.tracker.createManual(alice, { start: T0 - 2 * HOUR, end: T0 - HOUR, description: "Review", projectId: PROJECT_1, tagIds: [TAG_1, TAG_2], billable: true });

describe("undo of a delete", () => {
  it("brings back the same entry (id, fields, tags) and cancels the queued deletion", () => {
    const original = entry();
    dev.tracker.remove(alice, original.id);
    expect(dev.tracker.list(alice)).toEqual([]);

    dev.clock.advance(UNDO_DELETE_MS - 1);
    const restored = dev.tracker.restore(alice, original.id);

    expect(restored).toEqual(original);
    expect(dev.tracker.list(alice)).toEqual([original]);
    // Only the creation is left to send: the server never hears of the deletion.
    expect(dev.outbox.pending(WS_A, 10).map((m) => [m.name, m.entityId])).toEqual([["entry.put", original.id]]);
  });

  it("keeps the entry's attachments: they never left the device", () => {
    const original = entry();
    dev.attachments.insert({
      workspaceId: WS_A,
      id: "00000000-0000-4000-8000-00000000a771",
      entryId: original.id,
      name: "receipt.pdf",
      contentType: "application/pdf",
      sizeBytes: 3,
      sha256: "0".repeat(64),
      localPath: null,
      origin: "device",
      removing: false,
      createdAt: T0,
    });
    dev.tracker.remove(alice, original.id);
    dev.tracker.restore(alice, original.id);
    expect(dev.attachments.forEntry(WS_A, original.id).map((a) => a.name)).toEqual(["receipt.pdf"]);
  });

  it("refuses once the undo window has passed (sync may be sending the deletion), and changes nothing", () => {
    const original = entry();
    dev.tracker.remove(alice, original.id);
    dev.clock.advance(UNDO_DELETE_MS);
    expect(catchLocal(() => dev.tracker.restore(alice, original.id)).code).toBe("NOT_FOUND");
    expect(dev.tracker.list(alice)).toEqual([]);
    expect(dev.outbox.pending(WS_A, 10).map((m) => m.name)).toEqual(["entry.put", "entry.delete"]);
  });

  it("refuses when the deletion has gone to the server already (no tombstone left)", () => {
    const original = entry();
    dev.tracker.remove(alice, original.id);
    dev.outbox.dropEntity(WS_A, original.id);
    dev.entries.purgeSettledDeletions(WS_A);
    expect(catchLocal(() => dev.tracker.restore(alice, original.id)).code).toBe("NOT_FOUND");
  });

  it("refuses when another entry has taken the time meanwhile, or for another person's entry", () => {
    const original = entry();
    dev.tracker.remove(alice, original.id);
    expect(catchLocal(() => dev.tracker.restore(bobIn(WS_A), original.id)).code).toBe("NOT_FOUND");
    dev.tracker.createManual(alice, { start: T0 - 2 * HOUR, end: T0 - HOUR });
    expect(catchLocal(() => dev.tracker.restore(alice, original.id)).code).toBe("OVERLAP");
  });

  it("refuses an id that was never deleted", () => {
    const original = entry();
    expect(catchLocal(() => dev.tracker.restore(alice, original.id)).code).toBe("NOT_FOUND");
  });
});
