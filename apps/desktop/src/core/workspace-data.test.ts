import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LocalDb } from "./store/local-db.js";
import { HOUR, PROJECT_1, T0, TAG_1, TASK_1, TempFolder, WS_A, WS_B, aliceIn, seedCatalog, type Device } from "./testing/local-fixture.js";
import { wipeWorkspace, workspacesOnDevice } from "./workspace-data.js";

const TABLES = ["entries", "projects", "tasks", "tags", "clients", "outbox", "sync_state"];
const WS_C = "cccccccc-0000-4000-8000-000000000003";

/** Every row of every table for one workspace. */
const rowsOf = (db: LocalDb, ws: string) =>
  Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} WHERE workspace_id = ? ORDER BY 1, 2`).all(ws)]));

let tmp: TempFolder;
let dev: Device;
beforeEach(() => {
  tmp = new TempFolder();
  dev = tmp.openDevice();
});
afterEach(() => tmp.cleanup());

/** Alice works for two companies: each gets a catalog, entries, a running timer, queued changes and a cursor. */
function fillBothWorkspaces() {
  for (const [ws, label] of [
    [WS_A, "A"],
    [WS_B, "B"],
  ] as const) {
    seedCatalog(dev.catalog, ws);
    dev.catalog.putClient(ws, { id: `client-${label}`, name: label, archived: false });
    dev.tracker.createManual(aliceIn(ws), { start: T0, end: T0 + HOUR, projectId: PROJECT_1, taskId: TASK_1, tagIds: [TAG_1], description: label });
    dev.tracker.start(aliceIn(ws), { description: `${label} running` }, T0 + 2 * HOUR);
    dev.syncState.setCursor(ws, label === "A" ? 10 : 20);
  }
}

describe("workspace partitioning", () => {
  it("the same user never sees one workspace's entries or catalog in the other", () => {
    seedCatalog(dev.catalog, WS_A);
    dev.catalog.putProject(WS_B, { id: "only-in-b", clientId: null, name: "B project", color: "#000", billable: false, archived: false });
    const inA = dev.tracker.createManual(aliceIn(WS_A), { start: T0, end: T0 + HOUR, description: "A work" });
    const runningA = dev.tracker.start(aliceIn(WS_A), {}, T0 + 2 * HOUR);

    expect(dev.tracker.list(aliceIn(WS_B))).toEqual([]);
    expect(dev.tracker.running(aliceIn(WS_B))).toBeNull();
    expect(dev.catalog.projects(WS_B).map((p) => p.id)).toEqual(["only-in-b"]);
    expect(dev.catalog.projects(WS_A).map((p) => p.id)).not.toContain("only-in-b");
    expect(dev.outbox.pending(WS_B, 10)).toEqual([]);

    // Overlapping work in B is fine; it does not show up in A.
    const inB = dev.tracker.createManual(aliceIn(WS_B), { start: T0, end: T0 + HOUR, description: "B work" });
    expect(dev.tracker.list(aliceIn(WS_A)).map((e) => e.id)).toEqual([runningA.id, inA.id]);
    expect(dev.tracker.list(aliceIn(WS_B)).map((e) => e.id)).toEqual([inB.id]);
  });

  it("wipeWorkspace removes every row of one workspace and nothing of another", () => {
    fillBothWorkspaces();
    const keptB = rowsOf(dev.db, WS_B);
    for (const t of TABLES) expect(rowsOf(dev.db, WS_A)[t], t).not.toEqual([]);

    wipeWorkspace(dev.db, WS_A);

    for (const t of TABLES) expect(rowsOf(dev.db, WS_A)[t], t).toEqual([]);
    expect(rowsOf(dev.db, WS_B)).toEqual(keptB);
    expect(dev.syncState.get(WS_A).cursor).toBe(0);
    expect(dev.syncState.get(WS_B).cursor).toBe(20);
  });

  it("workspacesOnDevice lists each workspace with any data once", () => {
    expect(workspacesOnDevice(dev.db)).toEqual([]);
    fillBothWorkspaces();
    dev.syncState.setRegistered(WS_C, "11111111-1111-4111-8111-111111111111"); // bookkeeping alone counts as data
    expect(workspacesOnDevice(dev.db).sort()).toEqual([WS_A, WS_B, WS_C].sort());

    wipeWorkspace(dev.db, WS_A);
    expect(workspacesOnDevice(dev.db).sort()).toEqual([WS_B, WS_C].sort());
  });
});
