import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { LocalEntry } from "../store/entries.js";
import type { OutboxItem } from "../store/outbox.js";
import { entryPutArgs } from "../sync/mutations.js";
import {
  ALICE,
  HOUR,
  MINUTE,
  PROJECT_1,
  PROJECT_2,
  T0,
  TAG_1,
  TAG_2,
  TASK_1,
  TASK_2,
  TempFolder,
  UNKNOWN_ID,
  WS_A,
  WS_B,
  aliceIn,
  bobIn,
  catchLocal,
  dump,
  seedCatalog,
  type Device,
} from "../testing/local-fixture.js";

const alice = aliceIn(WS_A);
const bob = bobIn(WS_A);
const at = (hours: number) => T0 + hours * HOUR;

let tmp: TempFolder;
let dev: Device;
beforeEach(() => {
  tmp = new TempFolder();
  dev = tmp.openDevice();
  seedCatalog(dev.catalog, WS_A);
});
afterEach(() => tmp.cleanup());

const outboxRows = (ws = WS_A): OutboxItem[] => dev.outbox.pending(ws, 1000);
const manual = (start: number, end: number, extra: { description?: string } = {}) =>
  dev.tracker.createManual(alice, { start, end, ...extra });

/** Runs `fn`, expects a LocalError with `code`, and proves nothing at all was written. */
function expectRefused(code: string, fn: () => unknown) {
  const before = dump(dev.db);
  const err = catchLocal(fn);
  expect(err.code).toBe(code);
  expect(dump(dev.db)).toEqual(before);
  return err;
}

describe("timer", () => {
  it("starts a running entry with its details", () => {
    const e = dev.tracker.start(alice, { projectId: PROJECT_1, taskId: TASK_1, description: "Landing page", billable: true, tagIds: [TAG_1] }, at(0));

    expect(e).toMatchObject({ workspaceId: WS_A, userId: ALICE, projectId: PROJECT_1, taskId: TASK_1, start: at(0), end: null, billable: true, tagIds: [TAG_1] });
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(dev.tracker.running(alice)).toEqual(e);
    expect(dev.tracker.running(bob)).toBeNull();
  });

  it("uses the clock when no instant is given", () => {
    dev.clock.t = at(3);
    expect(dev.tracker.start(alice).start).toBe(at(3));
    dev.clock.advance(25 * MINUTE);
    expect(dev.tracker.stop(alice).end).toBe(at(3) + 25 * MINUTE);
  });

  it("stops the running entry", () => {
    const started = dev.tracker.start(alice, { description: "x" }, at(0));
    const stopped = dev.tracker.stop(alice, at(1));

    expect(stopped).toMatchObject({ id: started.id, start: at(0), end: at(1), description: "x" });
    expect(dev.tracker.running(alice)).toBeNull();
    expect(dev.entries.get(WS_A, started.id)?.end).toBe(at(1));
  });

  it("gives a timer stopped in the same millisecond a positive duration", () => {
    dev.tracker.start(alice, {}, at(0));
    expect(dev.tracker.stop(alice, at(0)).end).toBe(at(0) + 1);
  });

  it("refuses to stop when nothing runs (NO_TIMER)", () => {
    expectRefused("NO_TIMER", () => dev.tracker.stop(alice, at(1)));
  });

  it("allows at most one running timer per user and workspace (TIMER_RUNNING)", () => {
    dev.tracker.start(alice, {}, at(0));
    expectRefused("TIMER_RUNNING", () => dev.tracker.start(alice, {}, at(1)));
    expect(dev.entries.count(WS_A)).toBe(1);

    // Others, and the same person in another workspace, have their own timer.
    seedCatalog(dev.catalog, WS_B);
    expect(dev.tracker.start(bob, {}, at(1)).end).toBeNull();
    expect(dev.tracker.start(aliceIn(WS_B), {}, at(1)).end).toBeNull();
  });

  it("switches: stops the running timer and starts the next at the same instant", () => {
    const first = dev.tracker.start(alice, { description: "first" }, at(0));
    const second = dev.tracker.switchTo(alice, { description: "second", projectId: PROJECT_2 }, at(1));

    expect(dev.entries.get(WS_A, first.id)?.end).toBe(at(1));
    expect(second).toMatchObject({ description: "second", projectId: PROJECT_2, start: at(1), end: null });
    expect(dev.tracker.running(alice)?.id).toBe(second.id);
    expect(outboxRows().map((m) => [m.name, m.entityId, (m.args as { end: string | null }).end])).toEqual([
      ["entry.put", first.id, null],
      ["entry.put", first.id, new Date(at(1)).toISOString()],
      ["entry.put", second.id, null],
    ]);
  });

  it("switching with nothing running just starts", () => {
    const e = dev.tracker.switchTo(alice, { description: "fresh" }, at(2));
    expect(dev.tracker.running(alice)?.id).toBe(e.id);
    expect(dev.entries.count(WS_A)).toBe(1);
  });

  it("switches even in the millisecond the running timer started", () => {
    const first = dev.tracker.start(alice, {}, at(0));
    const second = dev.tracker.switchTo(alice, { description: "oops, other task" }, at(0));

    const stopped = dev.entries.get(WS_A, first.id)!;
    expect(stopped.end).toBeGreaterThan(stopped.start);
    expect(second.start).toBe(stopped.end);
    expect(dev.tracker.running(alice)?.id).toBe(second.id);
  });

  it("a refused switch changes nothing: the running timer keeps running", () => {
    const first = dev.tracker.start(alice, {}, at(0));
    expectRefused("VALIDATION", () => dev.tracker.switchTo(alice, { projectId: UNKNOWN_ID }, at(1)));
    expect(dev.tracker.running(alice)?.id).toBe(first.id);
  });

  it("resumes the latest entry's details as a new timer", () => {
    const last = manual(at(0), at(1));
    dev.tracker.update(alice, last.id, { projectId: PROJECT_1, taskId: TASK_1, description: "Review", billable: true, tagIds: [TAG_2] });

    const resumed = dev.tracker.resumeLast(alice, at(2));
    expect(resumed.id).not.toBe(last.id);
    expect(resumed).toMatchObject({ projectId: PROJECT_1, taskId: TASK_1, description: "Review", billable: true, tagIds: [TAG_2], start: at(2), end: null });
  });

  it("resuming while a timer runs stops it and starts a copy of its details", () => {
    const running = dev.tracker.start(alice, { description: "Deep work" }, at(0));
    const resumed = dev.tracker.resumeLast(alice, at(1));

    expect(dev.entries.get(WS_A, running.id)?.end).toBe(at(1));
    expect(resumed).toMatchObject({ description: "Deep work", start: at(1), end: null });
  });

  it("has nothing to resume without entries (NOT_FOUND), including other users' entries", () => {
    dev.tracker.createManual(bob, { start: at(0), end: at(1) });
    expectRefused("NOT_FOUND", () => dev.tracker.resumeLast(alice, at(2)));
  });

  describe("survives a restart", () => {
    it("a running timer is still running after the database file is closed and reopened", () => {
      const started = dev.tracker.start(alice, { projectId: PROJECT_1, description: "Before the crash" }, at(0));
      dev.db.close();

      const after = tmp.openDevice();
      expect(after.tracker.running(alice)).toEqual(started);
      expect(after.outbox.pending(WS_A, 10).map((m) => m.entityId)).toEqual([started.id]);
      expect(catchLocal(() => after.tracker.start(alice, {}, at(1))).code).toBe("TIMER_RUNNING");
      expect(after.tracker.stop(alice, at(2))).toMatchObject({ id: started.id, end: at(2) });
    });

    it("a running timer survives the process being killed (SIGKILL, no clean close)", () => {
      const file = tmp.path("killed.db");
      const script = tmp.path("crash.ts");
      const module = (p: string) => JSON.stringify(new URL(`../${p}`, import.meta.url).pathname);
      writeFileSync(
        script,
        `import { openLocalDb } from ${module("store/local-db.js")};
         import { EntryStore } from ${module("store/entries.js")};
         import { Outbox } from ${module("store/outbox.js")};
         import { CatalogStore } from ${module("store/catalog.js")};
         import { TimeTracker } from ${module("timer/time-tracker.js")};
         const db = openLocalDb(${JSON.stringify(file)});
         const tracker = new TimeTracker(db, new EntryStore(db), new Outbox(db), new CatalogStore(db));
         const e = tracker.start(${JSON.stringify(alice)}, { description: "killed" }, ${at(0)});
         process.stdout.write(e.id);
         process.kill(process.pid, "SIGKILL");`,
      );
      const repoRoot = new URL("../../../../../", import.meta.url).pathname;
      const child = spawnSync(process.execPath, ["--import", "tsx", script], { cwd: repoRoot, encoding: "utf8", timeout: 20_000 });
      expect(child.stderr).toBe("");
      expect(child.signal).toBe("SIGKILL");
      const startedId = child.stdout.trim();
      expect(startedId).toMatch(/^[0-9a-f-]{36}$/);
      // The process died holding the file: the committed timer is in the write-ahead log.
      expect(existsSync(`${file}-wal`)).toBe(true);

      const after = tmp.openDevice("killed.db");
      expect(after.tracker.running(alice)).toMatchObject({ id: startedId, description: "killed", start: at(0), end: null });
      expect(after.outbox.pending(WS_A, 10).map((m) => m.entityId)).toEqual([startedId]);
    });
  });
});

describe("manual entries, edits, duplicates and deletes", () => {
  it("creates a finished entry", () => {
    const e = dev.tracker.createManual(alice, { start: at(0), end: at(1.5), projectId: PROJECT_2, taskId: TASK_2, tagIds: [TAG_1, TAG_2] });
    expect(dev.entries.get(WS_A, e.id)).toEqual(e);
    expect(e).toMatchObject({ start: at(0), end: at(1.5), description: "", billable: false, tagIds: [TAG_1, TAG_2] });
    expect(dev.tracker.list(alice).map((x) => x.id)).toEqual([e.id]);
  });

  it("edits fields and keeps the rest", () => {
    const e = manual(at(0), at(1), { description: "draft" });
    dev.clock.t = at(5);
    const edited = dev.tracker.update(alice, e.id, { description: "final", end: at(2), projectId: PROJECT_1 });

    expect(edited).toEqual({ ...e, description: "final", end: at(2), projectId: PROJECT_1, updatedAt: at(5) });
    expect(dev.entries.get(WS_A, e.id)).toEqual(edited);
  });

  it("can clear the project and task of an entry", () => {
    const e = dev.tracker.createManual(alice, { start: at(0), end: at(1), projectId: PROJECT_1, taskId: TASK_1 });
    const cleared = dev.tracker.update(alice, e.id, { projectId: null, taskId: null });
    expect(cleared).toMatchObject({ projectId: null, taskId: null });
  });

  it("treats a field given as undefined as not given", () => {
    const e = dev.tracker.createManual(alice, { start: at(0), end: at(1), projectId: PROJECT_1, description: "keep me" });
    const edited = dev.tracker.update(alice, e.id, { description: undefined, projectId: undefined, end: at(2) });
    expect(edited).toMatchObject({ description: "keep me", projectId: PROJECT_1, end: at(2) });
  });

  it("edits a running entry's start without stopping it", () => {
    const running = dev.tracker.start(alice, {}, at(1));
    expect(dev.tracker.update(alice, running.id, { start: at(0.5) })).toMatchObject({ start: at(0.5), end: null });
    expect(dev.tracker.running(alice)?.start).toBe(at(0.5));
  });

  it("still accepts an edit of other fields when a referenced project has since disappeared", () => {
    const e = dev.tracker.createManual(alice, { start: at(0), end: at(1), projectId: PROJECT_1, taskId: TASK_1 });
    dev.catalog.remove(WS_A, "projects", PROJECT_1);
    expect(dev.tracker.update(alice, e.id, { description: "still editable" }).projectId).toBe(PROJECT_1);
  });

  it("deletes an entry", () => {
    const e = manual(at(0), at(1));
    dev.tracker.remove(alice, e.id);
    expect(dev.entries.get(WS_A, e.id)).toBeNull();
    expect(dev.tracker.list(alice)).toEqual([]);
  });

  it("duplicates an entry right after itself with the same duration and details", () => {
    const e = dev.tracker.createManual(alice, { start: at(0), end: at(1.5), projectId: PROJECT_1, description: "Standup", tagIds: [TAG_1] });
    const copy = dev.tracker.duplicate(alice, e.id);

    expect(copy.id).not.toBe(e.id);
    expect(copy).toMatchObject({ start: at(1.5), end: at(3), projectId: PROJECT_1, description: "Standup", tagIds: [TAG_1] });
    expect(dev.entries.get(WS_A, e.id)).toEqual(e);
  });

  it("duplicates to a chosen start", () => {
    const e = manual(at(0), at(1));
    expect(dev.tracker.duplicate(alice, e.id, at(24))).toMatchObject({ start: at(24), end: at(25) });
  });

  it("refuses to duplicate a running timer (TIMER_RUNNING) or into another entry (OVERLAP)", () => {
    const blocker = manual(at(1), at(2));
    const e = manual(at(0), at(1));
    expectRefused("OVERLAP", () => dev.tracker.duplicate(alice, e.id));
    expectRefused("OVERLAP", () => dev.tracker.duplicate(alice, blocker.id, at(0.5)));

    const running = dev.tracker.start(alice, {}, at(5));
    expectRefused("TIMER_RUNNING", () => dev.tracker.duplicate(alice, running.id, at(10)));
  });

  it("treats another user's entry, or an unknown id, as NOT_FOUND for edit, delete and duplicate", () => {
    const bobs = dev.tracker.createManual(bob, { start: at(0), end: at(1) });
    for (const id of [bobs.id, UNKNOWN_ID]) {
      expectRefused("NOT_FOUND", () => dev.tracker.update(alice, id, { description: "mine now" }));
      expectRefused("NOT_FOUND", () => dev.tracker.remove(alice, id));
      expectRefused("NOT_FOUND", () => dev.tracker.duplicate(alice, id, at(10)));
    }
    expect(dev.entries.get(WS_A, bobs.id)).toEqual(bobs);
  });

  it("does not reach an entry through another workspace", () => {
    const e = manual(at(0), at(1));
    expectRefused("NOT_FOUND", () => dev.tracker.update(aliceIn(WS_B), e.id, { description: "x" }));
    expectRefused("NOT_FOUND", () => dev.tracker.remove(aliceIn(WS_B), e.id));
  });
});

describe("overlap rules", () => {
  let existing: LocalEntry;
  beforeEach(() => {
    existing = manual(at(1), at(2), { description: "existing" });
  });

  it.each([
    ["identical", 1, 2],
    ["inside it", 1.25, 1.75],
    ["around it", 0, 3],
    ["over its start", 0.5, 1.5],
    ["over its end", 1.5, 2.5],
    ["sharing its start", 1, 1.5],
    ["sharing its end", 1.5, 2],
  ])("refuses a manual entry %s (OVERLAP) and writes nothing", (_name, from, to) => {
    const err = expectRefused("OVERLAP", () => manual(at(from), at(to)));
    expect(err.message).toMatch(/overlaps/);
  });

  it("accepts entries back to back on both sides", () => {
    const before = manual(at(0), at(1));
    const after = manual(at(2), at(3));
    expect(dev.tracker.list(alice).map((e) => e.id)).toEqual([after.id, existing.id, before.id]);
  });

  it("ignores other users' entries and the same user's entries in another workspace", () => {
    seedCatalog(dev.catalog, WS_B);
    expect(dev.tracker.createManual(bob, { start: at(1), end: at(2) }).end).toBe(at(2));
    expect(dev.tracker.createManual(aliceIn(WS_B), { start: at(1), end: at(2) }).end).toBe(at(2));
  });

  it("refuses an edit that moves an entry onto another, leaving it as it was", () => {
    const other = manual(at(3), at(4));
    expectRefused("OVERLAP", () => dev.tracker.update(alice, other.id, { start: at(1.5) }));
    expectRefused("OVERLAP", () => dev.tracker.update(alice, existing.id, { end: at(3.5) }));
    expect(dev.entries.get(WS_A, other.id)).toEqual(other);
  });

  it("does not count an entry as overlapping itself when it is edited", () => {
    expect(dev.tracker.update(alice, existing.id, { start: at(1.5), end: at(2) })).toMatchObject({ start: at(1.5), end: at(2) });
  });

  it("refuses a timer started inside, or before, a finished entry", () => {
    expectRefused("OVERLAP", () => dev.tracker.start(alice, {}, at(1.5)));
    // An open-ended timer started earlier would run through the existing entry.
    expectRefused("OVERLAP", () => dev.tracker.start(alice, {}, at(0)));
    expect(dev.tracker.start(alice, {}, at(2)).start).toBe(at(2));
  });

  it("refuses a manual entry after the start of the running timer, accepts one before it", () => {
    dev.tracker.start(alice, {}, at(5));
    expectRefused("OVERLAP", () => manual(at(6), at(7)));
    expectRefused("OVERLAP", () => manual(at(4), at(5.5)));
    expect(manual(at(4), at(5)).end).toBe(at(5));
  });

  it("refuses reopening a finished entry as a timer when later entries exist", () => {
    manual(at(3), at(4));
    expectRefused("OVERLAP", () => dev.tracker.update(alice, existing.id, { end: null }));
  });
});

describe("validation", () => {
  it("refuses an end before (or at) the start with a field error on `end`", () => {
    for (const end of [at(0), at(-1)]) {
      const err = expectRefused("VALIDATION", () => manual(at(0), end));
      expect(err.fieldErrors.end).toEqual(["End must be after start"]);
    }
    const e = manual(at(0), at(1));
    const err = expectRefused("VALIDATION", () => dev.tracker.update(alice, e.id, { end: at(-1) }));
    expect(err.fieldErrors.end).toEqual(["End must be after start"]);
    expectRefused("VALIDATION", () => dev.tracker.update(alice, e.id, { start: at(1) }));
  });

  it.each([
    ["projectId", { projectId: "not-a-uuid" }],
    ["taskId", { taskId: "123" }],
    ["tagIds", { tagIds: [TAG_1, "nope"] }],
    ["description", { description: "x".repeat(2001) }],
    ["billable", { billable: "yes" as unknown as boolean }],
  ])("refuses a malformed %s with a field error, for start, manual and edit", (field, input) => {
    const e = manual(at(0), at(1));
    for (const attempt of [
      () => dev.tracker.start(alice, input, at(5)),
      () => dev.tracker.createManual(alice, { start: at(5), end: at(6), ...input }),
      () => dev.tracker.update(alice, e.id, input),
    ]) {
      const err = expectRefused("VALIDATION", attempt);
      expect(Object.keys(err.fieldErrors)).toEqual([field]);
    }
  });

  it("refuses negative or fractional times", () => {
    expect(expectRefused("VALIDATION", () => manual(-1, at(1))).fieldErrors.start).toBeDefined();
    expect(expectRefused("VALIDATION", () => manual(at(0), at(1) + 0.5)).fieldErrors.end).toBeDefined();
  });

  it("refuses references the workspace's catalog does not know", () => {
    const cases: [object, string][] = [
      [{ projectId: UNKNOWN_ID }, "projectId"],
      [{ projectId: PROJECT_1, taskId: UNKNOWN_ID }, "taskId"],
      [{ projectId: PROJECT_1, taskId: TASK_2 }, "taskId"], // TASK_2 belongs to PROJECT_2
      [{ taskId: TASK_1 }, "taskId"], // a task needs its project
      [{ tagIds: [TAG_1, UNKNOWN_ID] }, "tagIds"],
    ];
    const e = manual(at(0), at(1));
    for (const [input, field] of cases) {
      expect(expectRefused("VALIDATION", () => dev.tracker.createManual(alice, { start: at(5), end: at(6), ...input })).fieldErrors).toHaveProperty(field);
      expect(expectRefused("VALIDATION", () => dev.tracker.start(alice, input, at(5))).fieldErrors).toHaveProperty(field);
      expect(expectRefused("VALIDATION", () => dev.tracker.update(alice, e.id, input)).fieldErrors).toHaveProperty(field);
    }
  });

  it("refuses a task moved to another project by changing only the project", () => {
    const e = dev.tracker.createManual(alice, { start: at(0), end: at(1), projectId: PROJECT_1, taskId: TASK_1 });
    expectRefused("VALIDATION", () => dev.tracker.update(alice, e.id, { projectId: PROJECT_2 }));
    expect(dev.tracker.update(alice, e.id, { projectId: PROJECT_2, taskId: TASK_2 })).toMatchObject({ projectId: PROJECT_2, taskId: TASK_2 });
  });

  it("refuses catalog entries of another workspace", () => {
    // Nothing is seeded in WS_B: WS_A's project, task and tag are unknown there.
    for (const input of [{ projectId: PROJECT_1 }, { tagIds: [TAG_1] }]) {
      expectRefused("VALIDATION", () => dev.tracker.createManual(aliceIn(WS_B), { start: at(0), end: at(1), ...input }));
    }
  });
});

describe("atomicity with the outbox", () => {
  /** The one outbox row a change added, checked against the stored entry. */
  function onlyNewRow(before: number): OutboxItem {
    const rows = outboxRows().filter((m) => m.mutationId > before);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }
  const lastId = () => outboxRows().at(-1)?.mutationId ?? 0;

  it("each change appends exactly one mutation carrying the entry's full new state", () => {
    const steps: [string, () => LocalEntry | string][] = [
      ["start", () => dev.tracker.start(alice, { projectId: PROJECT_1, taskId: TASK_1, tagIds: [TAG_1], billable: true, description: "d" }, at(0))],
      ["stop", () => dev.tracker.stop(alice, at(1))],
      ["manual", () => manual(at(2), at(3))],
      ["update", () => dev.tracker.update(alice, dev.tracker.list(alice)[0]!.id, { description: "edited", tagIds: [TAG_2] })],
      ["duplicate", () => dev.tracker.duplicate(alice, dev.tracker.list(alice)[0]!.id)],
    ];
    for (const [name, step] of steps) {
      const before = lastId();
      const result = step() as LocalEntry;
      const row = onlyNewRow(before);
      const stored = dev.entries.get(WS_A, result.id)!;
      expect(stored, name).toEqual(result);
      expect(row, name).toMatchObject({ workspaceId: WS_A, name: "entry.put", entityId: result.id, status: "pending" });
      expect(row.args, name).toEqual(entryPutArgs(stored));
    }
    // The wire form: ISO instants, every field present.
    expect(outboxRows()[0]!.args).toEqual({
      id: outboxRows()[0]!.entityId,
      start: new Date(at(0)).toISOString(),
      end: null,
      projectId: PROJECT_1,
      taskId: TASK_1,
      description: "d",
      billable: true,
      tagIds: [TAG_1],
    });
  });

  it("a delete appends exactly one entry.delete", () => {
    const e = manual(at(0), at(1));
    const before = lastId();
    dev.tracker.remove(alice, e.id);
    expect(onlyNewRow(before)).toMatchObject({ name: "entry.delete", entityId: e.id, args: { id: e.id } });
  });

  it("writes neither the entry nor a mutation when the outbox append fails", () => {
    const e = manual(at(0), at(1));
    const before = dump(dev.db);
    const append = vi.spyOn(dev.outbox, "append").mockImplementation(() => {
      throw new Error("disk full");
    });
    expect(() => manual(at(2), at(3))).toThrow("disk full");
    expect(() => dev.tracker.start(alice, {}, at(5))).toThrow("disk full");
    expect(() => dev.tracker.update(alice, e.id, { description: "lost" })).toThrow("disk full");
    expect(() => dev.tracker.remove(alice, e.id)).toThrow("disk full");
    expect(append).toHaveBeenCalledTimes(4);
    expect(dump(dev.db)).toEqual(before);
  });

  it("rolls back the stop of a switch whose new timer is refused", () => {
    const running = dev.tracker.start(alice, {}, at(0));
    const before = dump(dev.db);
    // Stopping at 1h works, but a second start of an unknown project fails inside the same transaction.
    expect(catchLocal(() => dev.tracker.switchTo(alice, { tagIds: [UNKNOWN_ID] }, at(1))).code).toBe("VALIDATION");
    expect(dump(dev.db)).toEqual(before);
    expect(dev.tracker.running(alice)?.id).toBe(running.id);
  });

  it("mutation ids strictly increase and are never reused after rows are acknowledged", () => {
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) manual(at(i), at(i + 1));
    seen.push(...outboxRows().map((m) => m.mutationId));
    for (const id of seen) dev.outbox.markApplied(id);
    expect(outboxRows()).toEqual([]);

    const e = manual(at(10), at(11));
    dev.tracker.remove(alice, e.id);
    seen.push(...outboxRows().map((m) => m.mutationId));
    expect(seen).toHaveLength(5);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
  });
});
