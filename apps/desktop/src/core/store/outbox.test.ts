import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TempFolder, WS_A, WS_B } from "../testing/local-fixture.js";
import { wipeWorkspace } from "../workspace-data.js";
import { Outbox } from "./outbox.js";

let tmp: TempFolder;
let outbox: Outbox;
beforeEach(() => {
  tmp = new TempFolder();
  outbox = new Outbox(tmp.openDb());
});
afterEach(() => tmp.cleanup());

const put = (ws: string, entityId: string, n = 0) => outbox.append(ws, "entry.put", entityId, { id: entityId, n });

describe("Outbox", () => {
  it("appends durable mutations with their args and lists a workspace's pending ones in order", () => {
    const first = put(WS_A, "e1", 1);
    const second = outbox.append(WS_A, "entry.delete", "e2", { id: "e2" });
    put(WS_B, "e3");

    expect(outbox.pending(WS_A, 10)).toEqual([
      expect.objectContaining({ mutationId: first, workspaceId: WS_A, name: "entry.put", entityId: "e1", args: { id: "e1", n: 1 }, status: "pending", reason: null }),
      expect.objectContaining({ mutationId: second, name: "entry.delete", entityId: "e2", args: { id: "e2" } }),
    ]);
    expect(outbox.pending(WS_A, 1).map((m) => m.mutationId)).toEqual([first]);
    expect(outbox.countPending(WS_A)).toBe(2);
    expect(outbox.countPending(WS_B)).toBe(1);
  });

  it("gives strictly increasing ids that are never reused, even after the newest rows are deleted", () => {
    const ids = [put(WS_A, "e1"), put(WS_A, "e2"), put(WS_B, "e3")];
    expect(ids[1]!).toBeGreaterThan(ids[0]!);
    expect(ids[2]!).toBeGreaterThan(ids[1]!);

    // Acknowledge everything: the table is empty, yet the next id still grows.
    for (const id of ids) outbox.markApplied(id);
    expect(outbox.count(WS_A) + outbox.count(WS_B)).toBe(0);
    const afterAck = put(WS_A, "e4");
    expect(afterAck).toBeGreaterThan(ids[2]!);

    // Nor after wiping a workspace or reopening the file.
    wipeWorkspace(tmp.openDb(), WS_A);
    expect(outbox.count(WS_A)).toBe(0);
    const reopened = new Outbox(tmp.openDb());
    expect(put(WS_A, "e5")).toBeGreaterThan(afterAck);
    expect(reopened.append(WS_A, "entry.put", "e6", {})).toBeGreaterThan(afterAck + 1);
  });

  it("keeps rejected mutations out of the pending queue but still counts them as touching the entity", () => {
    const id = put(WS_A, "e1");
    outbox.markRejected(id, "LOCKED_PERIOD", "That week is locked");

    expect(outbox.pending(WS_A, 10)).toEqual([]);
    expect(outbox.countPending(WS_A)).toBe(0);
    expect(outbox.rejected(WS_A)).toEqual([
      expect.objectContaining({ mutationId: id, status: "rejected", reason: "LOCKED_PERIOD", message: "That week is locked" }),
    ]);
    expect(outbox.get(id)?.status).toBe("rejected");
    expect(outbox.touches(WS_A, "e1")).toBe(true);
    expect(outbox.touches(WS_B, "e1")).toBe(false);
    expect(outbox.touches(WS_A, "e2")).toBe(false);
  });

  it("drops every queued change of one entity in one workspace", () => {
    put(WS_A, "e1");
    put(WS_A, "e1");
    const other = put(WS_A, "e2");
    put(WS_B, "e1");

    expect(outbox.dropEntity(WS_A, "e1")).toBe(2);
    expect(outbox.pending(WS_A, 10).map((m) => m.mutationId)).toEqual([other]);
    expect(outbox.touches(WS_B, "e1")).toBe(true);
    expect(outbox.get(-1)).toBeNull();
  });
});
