import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TempFolder, WS_A, WS_B } from "../testing/local-fixture.js";
import { SyncStateStore } from "./sync-state.js";

let tmp: TempFolder;
beforeEach(() => {
  tmp = new TempFolder();
});
afterEach(() => tmp.cleanup());

describe("SyncStateStore", () => {
  it("starts from cursor 0, unregistered, never synced", () => {
    expect(new SyncStateStore(tmp.openDb()).get(WS_A)).toEqual({ cursor: 0, registeredClient: null, lastSyncedAt: null, lastError: null });
  });

  it("records cursor, registration, errors and success per workspace, durably", () => {
    const state = new SyncStateStore(tmp.openDb());
    state.setCursor(WS_A, 42);
    state.setRegistered(WS_A, "device-1");
    state.recordError(WS_A, "offline");
    expect(state.get(WS_A)).toEqual({ cursor: 42, registeredClient: "device-1", lastSyncedAt: null, lastError: "offline" });

    state.recordSuccess(WS_A, 1234);
    expect(state.get(WS_A)).toEqual({ cursor: 42, registeredClient: "device-1", lastSyncedAt: 1234, lastError: null });
    expect(state.get(WS_B).cursor).toBe(0);

    const reopened = new SyncStateStore(tmp.openDb());
    expect(reopened.get(WS_A).cursor).toBe(42);
  });
});
