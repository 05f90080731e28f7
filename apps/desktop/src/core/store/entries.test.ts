import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALICE, BOB, HOUR, T0, TempFolder, WS_A, WS_B } from "../testing/local-fixture.js";
import { EntryStore, type LocalEntry } from "./entries.js";
import type { LocalDb } from "./local-db.js";

let tmp: TempFolder;
let db: LocalDb;
let store: EntryStore;
beforeEach(() => {
  tmp = new TempFolder();
  db = tmp.openDb();
  store = new EntryStore(db);
});
afterEach(() => tmp.cleanup());

function entry(id: string, start: number, end: number | null, over: Partial<LocalEntry> = {}): LocalEntry {
  return {
    workspaceId: WS_A,
    id,
    userId: ALICE,
    projectId: null,
    taskId: null,
    description: id,
    start,
    end,
    billable: false,
    tagIds: [],
    updatedAt: start,
    ...over,
  };
}

const ids = (list: LocalEntry[]) => list.map((e) => e.id).sort();

describe("EntryStore rows", () => {
  it("round-trips every field and upserts by (workspace, id)", () => {
    const e = entry("e1", T0, T0 + HOUR, { projectId: "p", taskId: "t", billable: true, tagIds: ["x", "y"], description: "Ünïcode ✓" });
    store.put(e);
    expect(store.get(WS_A, "e1")).toEqual(e);
    expect(store.get(WS_B, "e1")).toBeNull();

    store.put({ ...e, description: "changed", end: null, billable: false });
    expect(store.get(WS_A, "e1")).toEqual({ ...e, description: "changed", end: null, billable: false });
    expect(store.count(WS_A)).toBe(1);
  });

  it("lists one user's entries of a workspace, newest first, within [from, to)", () => {
    store.put(entry("early", T0, T0 + HOUR));
    store.put(entry("late", T0 + 2 * HOUR, T0 + 3 * HOUR));
    store.put(entry("bobs", T0, T0 + HOUR, { userId: BOB }));
    store.put(entry("elsewhere", T0, T0 + HOUR, { workspaceId: WS_B }));

    expect(store.list(WS_A, ALICE).map((e) => e.id)).toEqual(["late", "early"]);
    expect(store.list(WS_A, ALICE, { from: T0 + HOUR }).map((e) => e.id)).toEqual(["late"]);
    expect(store.list(WS_A, ALICE, { to: T0 + 2 * HOUR }).map((e) => e.id)).toEqual(["early"]);
    expect(store.list(WS_A, ALICE, { from: T0, to: T0 }).map((e) => e.id)).toEqual([]);
  });

  it("finds the running and the latest entry per user and workspace", () => {
    expect(store.running(WS_A, ALICE)).toBeNull();
    expect(store.latest(WS_A, ALICE)).toBeNull();
    store.put(entry("done", T0, T0 + HOUR));
    store.put(entry("bob-running", T0, null, { userId: BOB }));
    expect(store.running(WS_A, ALICE)).toBeNull();
    expect(store.running(WS_A, BOB)?.id).toBe("bob-running");

    store.put(entry("running", T0 + 2 * HOUR, null));
    expect(store.running(WS_A, ALICE)?.id).toBe("running");
    expect(store.latest(WS_A, ALICE)?.id).toBe("running");
    expect(store.running(WS_B, ALICE)).toBeNull();
  });

  it("keeps the server's version apart from the local one", () => {
    const local = entry("e1", T0, T0 + HOUR, { description: "local" });
    store.put(local);
    expect(store.serverVersion(WS_A, "e1")).toBeNull();

    const server = { ...local, description: "server" };
    store.putFromServer(server, true);
    expect(store.get(WS_A, "e1")?.description).toBe("local");
    expect(store.serverVersion(WS_A, "e1")).toEqual(server);

    // A later local edit does not lose the confirmed version.
    store.put({ ...local, description: "edited again" });
    expect(store.serverVersion(WS_A, "e1")).toEqual(server);

    store.putFromServer({ ...server, description: "server 2" }, false);
    expect(store.get(WS_A, "e1")?.description).toBe("server 2");
    expect(store.serverVersion(WS_A, "e1")?.description).toBe("server 2");

    store.remove(WS_A, "e1");
    expect(store.get(WS_A, "e1")).toBeNull();
    expect(store.serverVersion(WS_A, "e1")).toBeNull();
  });
});

describe("EntryStore.overlapping", () => {
  // Alice's day: 09-10, 10-11 (back to back), 13-14, then a timer running since 15:00.
  beforeEach(() => {
    store.put(entry("nine", T0, T0 + HOUR));
    store.put(entry("ten", T0 + HOUR, T0 + 2 * HOUR));
    store.put(entry("one", T0 + 4 * HOUR, T0 + 5 * HOUR));
    store.put(entry("running", T0 + 6 * HOUR, null));
    // Other people and workspaces never count.
    store.put(entry("bob", T0, null, { userId: BOB }));
    store.put(entry("other-ws", T0, null, { workspaceId: WS_B }));
  });
  const at = (hours: number) => T0 + hours * HOUR;
  const find = (start: number, end: number | null, except = "new") => ids(store.overlapping(WS_A, ALICE, start, end, except));

  it("finds an entry reaching into the range from before it", () => {
    expect(find(at(0.5), at(0.75))).toEqual(["nine"]);
    expect(find(at(1.5), at(3))).toEqual(["ten"]);
  });

  it("finds entries starting inside the range, including at its very start", () => {
    expect(find(at(3), at(4.5))).toEqual(["one"]);
    expect(find(at(4), at(5))).toEqual(["one"]);
    expect(find(at(-1), at(7))).toEqual(["nine", "one", "running", "ten"]);
  });

  it("finds a running entry, and treats an open-ended range as reaching forever", () => {
    expect(find(at(8), at(9))).toEqual(["running"]);
    expect(find(at(3), null)).toEqual(["one", "running"]);
    expect(find(at(7), null)).toEqual(["running"]);
  });

  it("accepts ranges that only touch an entry's edges (back to back)", () => {
    expect(find(at(2), at(4))).toEqual([]);
    expect(find(at(-1), at(0))).toEqual([]);
    expect(find(at(5), at(6))).toEqual([]);
  });

  it("excludes the entry itself", () => {
    expect(find(at(1), at(2), "ten")).toEqual([]);
    expect(find(at(0.5), at(2), "ten")).toEqual(["nine"]);
    expect(find(at(6.5), null, "running")).toEqual([]);
  });

  describe("agrees with a brute-force check over random non-overlapping histories", () => {
    type Slot = { gap: number; len: number };
    const history = fc.record({
      slots: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 40 }), len: fc.integer({ min: 1, max: 40 }) }), { maxLength: 12 }),
      lastRunning: fc.boolean(),
    });
    const query = fc.record({
      start: fc.integer({ min: 0, max: 700 }),
      len: fc.option(fc.integer({ min: 1, max: 200 }), { nil: null }),
      except: fc.option(fc.nat(), { nil: null }),
    });

    function layOut(slots: Slot[], lastRunning: boolean, over: Partial<LocalEntry> = {}): LocalEntry[] {
      let t = 0;
      return slots.map(({ gap, len }, i) => {
        const start = t + gap;
        t = start + len;
        const end = lastRunning && i === slots.length - 1 ? null : t;
        return entry(`${over.userId ?? ALICE}-${i}`, start, end, over);
      });
    }
    const overlaps = (a: { start: number; end: number | null }, b: { start: number; end: number | null }) =>
      a.start < (b.end ?? Infinity) && b.start < (a.end ?? Infinity);

    it("for any range, with or without the entry being edited", () => {
      fc.assert(
        fc.property(history, history, query, ({ slots, lastRunning }, noise, q) => {
          db.exec("DELETE FROM entries");
          const mine = layOut(slots, lastRunning);
          // Someone else's history, and mine in another workspace, overlapping freely with mine.
          const others = [
            ...layOut(noise.slots, noise.lastRunning, { userId: BOB }),
            ...layOut(noise.slots, noise.lastRunning, { workspaceId: WS_B }),
          ];
          for (const e of [...mine, ...others]) store.put(e);

          const range = { start: q.start, end: q.len === null ? null : q.start + q.len };
          const except = q.except !== null && mine.length > 0 ? mine[q.except % mine.length]!.id : "not-stored";
          const expected = mine.filter((e) => e.id !== except && overlaps(e, range)).map((e) => e.id);

          expect(ids(store.overlapping(WS_A, ALICE, range.start, range.end, except))).toEqual(expected.sort());
        }),
        { numRuns: 300 },
      );
    });
  });
});
