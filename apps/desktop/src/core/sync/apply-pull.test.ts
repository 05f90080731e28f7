import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ALICE,
  BOB,
  HOUR,
  PROJECT_1,
  T0,
  TAG_1,
  TAG_2,
  TASK_1,
  TempFolder,
  WS_A,
  WS_B,
  aliceIn,
  seedCatalog,
  type Device,
} from "../testing/local-fixture.js";
import { applyPullPage, toLocalEntry } from "./apply-pull.js";
import type { PulledEntry, PullPage } from "./transport.js";

const E1 = "e0000000-0000-4000-8000-000000000001";
const E2 = "e0000000-0000-4000-8000-000000000002";

let tmp: TempFolder;
let dev: Device;
beforeEach(() => {
  tmp = new TempFolder();
  dev = tmp.openDevice();
});
afterEach(() => tmp.cleanup());

function page(over: Partial<PullPage> = {}): PullPage {
  return { entries: [], projects: [], tasks: [], tags: [], clients: [], deletions: [], cursor: 1, hasMore: false, ...over };
}

function pulled(id: string, over: Partial<PulledEntry> = {}): PulledEntry {
  return {
    id,
    userId: ALICE,
    projectId: null,
    taskId: null,
    description: "from server",
    start: new Date(T0),
    end: new Date(T0 + HOUR),
    billable: false,
    tagIds: [],
    updatedAt: new Date(T0 + 2 * HOUR),
    ...over,
  };
}

const apply = (p: PullPage, ws = WS_A) => dev.db.transaction(() => applyPullPage(ws, p, dev))();

/** Puts an entry on the device as if pulled earlier, with no local changes queued. */
function synced(e: PulledEntry) {
  apply(page({ entries: [e] }));
}

describe("toLocalEntry", () => {
  it("converts dates to epoch milliseconds and sorts tag ids", () => {
    expect(toLocalEntry(WS_A, pulled(E1, { end: null, tagIds: [TAG_2, TAG_1] }))).toEqual({
      workspaceId: WS_A,
      id: E1,
      userId: ALICE,
      projectId: null,
      taskId: null,
      description: "from server",
      start: T0,
      end: null,
      billable: false,
      tagIds: [TAG_1, TAG_2],
      updatedAt: T0 + 2 * HOUR,
    });
  });
});

describe("applyPullPage: entries", () => {
  it("stores new entries as both the local and the confirmed version", () => {
    apply(page({ entries: [pulled(E1), pulled(E2, { userId: BOB })] }));

    const expected = toLocalEntry(WS_A, pulled(E1));
    expect(dev.entries.get(WS_A, E1)).toEqual(expected);
    expect(dev.entries.serverVersion(WS_A, E1)).toEqual(expected);
    expect(dev.entries.get(WS_A, E2)?.userId).toBe(BOB);
    expect(dev.entries.get(WS_B, E1)).toBeNull();
  });

  it("replaces the local version when no local change to it is queued", () => {
    synced(pulled(E1));
    apply(page({ entries: [pulled(E1, { description: "edited on the other laptop", end: new Date(T0 + 3 * HOUR) })] }));

    expect(dev.entries.get(WS_A, E1)).toMatchObject({ description: "edited on the other laptop", end: T0 + 3 * HOUR });
    expect(dev.entries.serverVersion(WS_A, E1)?.description).toBe("edited on the other laptop");
  });

  it("keeps a locally edited entry while its change is queued, updating only the confirmed version", () => {
    synced(pulled(E1));
    const mine = dev.tracker.update(aliceIn(WS_A), E1, { description: "my offline edit" });

    apply(page({ entries: [pulled(E1, { description: "edited elsewhere" })] }));
    expect(dev.entries.get(WS_A, E1)).toEqual(mine);
    expect(dev.entries.serverVersion(WS_A, E1)?.description).toBe("edited elsewhere");

    // Once the change is acknowledged, the next pull wins again.
    for (const m of dev.outbox.pending(WS_A, 10)) dev.outbox.markApplied(m.mutationId);
    apply(page({ entries: [pulled(E1, { description: "my offline edit, confirmed" })] }));
    expect(dev.entries.get(WS_A, E1)?.description).toBe("my offline edit, confirmed");
  });

  it("keeps the local version while a rejected change to it awaits the user", () => {
    synced(pulled(E1));
    dev.tracker.update(aliceIn(WS_A), E1, { description: "in a locked week" });
    const [m] = dev.outbox.pending(WS_A, 10);
    dev.outbox.markRejected(m!.mutationId, "LOCKED_PERIOD", "locked");

    apply(page({ entries: [pulled(E1, { description: "server" })] }));
    expect(dev.entries.get(WS_A, E1)?.description).toBe("in a locked week");
    expect(dev.entries.serverVersion(WS_A, E1)?.description).toBe("server");
  });

  it("does not bring back an entry whose local delete is queued", () => {
    synced(pulled(E1));
    dev.tracker.remove(aliceIn(WS_A), E1);
    apply(page({ entries: [pulled(E1, { description: "still on the server" })] }));
    expect(dev.entries.get(WS_A, E1)).toBeNull();
  });

  it("applies deletions unless local changes to the entry are queued", () => {
    synced(pulled(E1));
    synced(pulled(E2, { start: new Date(T0 + 2 * HOUR), end: new Date(T0 + 3 * HOUR) }));
    dev.tracker.update(aliceIn(WS_A), E2, { description: "edited offline" });

    apply(page({ deletions: [{ entity: "entry", id: E1 }, { entity: "entry", id: E2 }] }));
    expect(dev.entries.get(WS_A, E1)).toBeNull();
    expect(dev.entries.get(WS_A, E2)?.description).toBe("edited offline");
  });

  it("only touches the workspace it is applied to", () => {
    synced(pulled(E1));
    apply(page({ entries: [pulled(E1, { description: "B's copy" })] }), WS_B);
    apply(page({ deletions: [{ entity: "entry", id: E1 }] }), WS_B);
    expect(dev.entries.get(WS_A, E1)?.description).toBe("from server");
    expect(dev.entries.get(WS_B, E1)).toBeNull();
  });
});

describe("applyPullPage: catalog", () => {
  it("upserts projects, tasks, tags and clients", () => {
    apply(
      page({
        projects: [{ id: PROJECT_1, clientId: "c1", name: "Website", color: "#f00", billable: true, archived: false }],
        tasks: [{ id: TASK_1, projectId: PROJECT_1, name: "Design", done: false }],
        tags: [{ id: TAG_1, name: "meeting" }],
        clients: [{ id: "c1", name: "Acme", archived: false }],
      }),
    );
    apply(
      page({
        projects: [{ id: PROJECT_1, clientId: "c1", name: "Website v2", color: "#00f", billable: false, archived: true }],
        tasks: [{ id: TASK_1, projectId: PROJECT_1, name: "Design", done: true }],
      }),
    );

    expect(dev.catalog.projects(WS_A, true)).toEqual([
      { id: PROJECT_1, clientId: "c1", name: "Website v2", color: "#00f", billable: false, archived: true },
    ]);
    expect(dev.catalog.tasks(WS_A)).toEqual([{ id: TASK_1, projectId: PROJECT_1, name: "Design", done: true }]);
    expect(dev.catalog.tags(WS_A)).toEqual([{ id: TAG_1, name: "meeting" }]);
    expect(dev.catalog.clients(WS_A)).toEqual([{ id: "c1", name: "Acme", archived: false }]);
    expect(dev.catalog.projects(WS_B, true)).toEqual([]);
  });

  it("deletes each kind of catalog row", () => {
    seedCatalog(dev.catalog, WS_A);
    seedCatalog(dev.catalog, WS_B);
    dev.catalog.putClient(WS_A, { id: "c1", name: "Acme", archived: false });

    apply(
      page({
        deletions: [
          { entity: "project", id: PROJECT_1 },
          { entity: "task", id: TASK_1 },
          { entity: "tag", id: TAG_1 },
          { entity: "client", id: "c1" },
        ],
      }),
    );
    expect(dev.catalog.project(WS_A, PROJECT_1)).toBeNull();
    expect(dev.catalog.tasks(WS_A, PROJECT_1)).toEqual([]);
    expect(dev.catalog.tags(WS_A).map((t) => t.id)).toEqual([TAG_2]);
    expect(dev.catalog.clients(WS_A)).toEqual([]);
    // The rest, and the other workspace, stay.
    expect(dev.catalog.projects(WS_A)).toHaveLength(1);
    expect(dev.catalog.projects(WS_B)).toHaveLength(2);
    expect(dev.catalog.tags(WS_B)).toHaveLength(2);
  });

  it("makes pulled catalog rows usable for tracking in that workspace only", () => {
    apply(page({ projects: [{ id: PROJECT_1, clientId: null, name: "P", color: "#000", billable: false, archived: false }] }));
    expect(dev.tracker.createManual(aliceIn(WS_A), { start: T0, end: T0 + HOUR, projectId: PROJECT_1 }).projectId).toBe(PROJECT_1);
    expect(() => dev.tracker.createManual(aliceIn(WS_B), { start: T0, end: T0 + HOUR, projectId: PROJECT_1 })).toThrow("Unknown project");
  });
});
