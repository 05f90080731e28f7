import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Attachments } from "../attachments/attachments.js";
import type { LocalError } from "../errors.js";
import { FakeTransport, serverView } from "../testing/fake-transport.js";
import { HOUR, T0, TempFolder, WS_A, WS_B, aliceIn, bobIn, dump, type Device } from "../testing/local-fixture.js";
import { pdfBytes, pngBytes, sha256Of, writeSample } from "../testing/sample-files.js";
import type { LocalEntry } from "./entries.js";
import { migrateLocalDb } from "./local-db.js";
import { LOCAL_MIGRATIONS } from "./migrations.js";

const REMOTE = "c0000000-0000-4000-8000-00000000000c";

let tmp: TempFolder;
let dev: Device;
let transport: FakeTransport;
let attachments: Attachments;
let entry: LocalEntry;
const scope = aliceIn(WS_A);

beforeEach(() => {
  tmp = new TempFolder();
  dev = tmp.openDevice();
  transport = new FakeTransport();
  attachments = new Attachments(dev.db, dev.attachments, dev.entries, dev.outbox, dev.files, transport, dev.clock.now);
  entry = dev.tracker.createManual(scope, { start: T0, end: T0 + HOUR });
});
afterEach(() => tmp.cleanup());

const dataFolder = () => `${dev.file}.data`;
const filesOnDisk = (): string[] => {
  const root = path.join(dataFolder(), "attachments");
  return existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name) : [];
};

async function localErrorOf(call: Promise<unknown> | (() => unknown)): Promise<LocalError> {
  try {
    await (typeof call === "function" ? call() : call);
  } catch (err) {
    if ((err as Error).name === "LocalError") return err as LocalError;
    throw err;
  }
  throw new Error("expected a LocalError");
}

function sample(name: string, bytes = pngBytes(name)) {
  return writeSample(tmp.path(name), bytes);
}

/** As if the upload went through: its outbox item acknowledged and the server's description stored. */
function acknowledge(id: string) {
  const [item] = dev.outbox.pending(WS_A, 100).filter((m) => m.entityId === id);
  dev.outbox.markApplied(item!.mutationId);
  const a = dev.attachments.get(WS_A, id)!;
  dev.attachments.putFromServer(WS_A, serverView({ id, entryId: a.entryId, name: a.name, sizeBytes: a.sizeBytes, sha256: a.sha256 }));
}

describe("attach", () => {
  it("copies the file into the workspace's folder under the attachment's id and queues its upload after the entry's change", async () => {
    const source = sample("Receipt (March).png");
    const a = await attachments.attach(scope, { entryId: entry.id, path: source.file });

    expect(a).toMatchObject({
      workspaceId: WS_A,
      entryId: entry.id,
      name: "Receipt (March).png",
      sizeBytes: source.sizeBytes,
      sha256: source.sha256,
      contentType: "image/png",
      origin: "device",
      state: "queued",
      rejection: null,
      file: path.join(dataFolder(), "attachments", WS_A, a.id),
    });
    rmSync(source.file);
    expect(sha256Of(readFileSync(a.file!))).toBe(source.sha256);
    expect(filesOnDisk()).toEqual([a.id]);

    const queue = dev.outbox.pending(WS_A, 10);
    expect(queue.map((m) => [m.name, m.entityId])).toEqual([
      ["entry.put", entry.id],
      ["attachment.upload", a.id],
    ]);
    expect(queue[1]!.args).toEqual({ id: a.id, entryId: entry.id, name: "Receipt (March).png" });
  });

  it("takes the name the user gives", async () => {
    const a = await attachments.attach(scope, { entryId: entry.id, path: sample("IMG_0001.png").file, name: "Taxi to the client.png" });
    expect(a.name).toBe("Taxi to the client.png");
  });

  it("refuses with a typed error and writes nothing: unknown or foreign entry, missing file, folder, relative path, bad name", async () => {
    const bobs = dev.tracker.createManual(bobIn(WS_A), { start: T0, end: T0 + HOUR });
    const png = sample("a.png").file;
    mkdirSync(tmp.path("folder.png"));
    const before = dump(dev.db);

    const cases: [Parameters<Attachments["attach"]>[1], string][] = [
      [{ entryId: bobs.id, path: png }, "NOT_FOUND"],
      [{ entryId: "e0000000-0000-4000-8000-000000000999", path: png }, "NOT_FOUND"],
      [{ entryId: entry.id, path: tmp.path("missing.png") }, "FILE"],
      [{ entryId: entry.id, path: tmp.path("folder.png") }, "FILE"],
      [{ entryId: entry.id, path: "relative/a.png" }, "VALIDATION"],
      [{ entryId: entry.id, path: png, name: "bad\u0000name.png" }, "VALIDATION"],
      [{ entryId: "not-an-id", path: png }, "VALIDATION"],
    ];
    for (const [input, code] of cases) {
      expect((await localErrorOf(attachments.attach(scope, input))).code, JSON.stringify(input)).toBe(code);
    }
    expect(dump(dev.db)).toEqual(before);
    expect(filesOnDisk()).toEqual([]);
    // In the other workspace the entry does not exist.
    expect((await localErrorOf(attachments.attach(aliceIn(WS_B), { entryId: entry.id, path: png }))).code).toBe("NOT_FOUND");
  });

  it("keeps no copy when the entry is deleted while the file is being copied", async () => {
    const attaching = attachments.attach(scope, { entryId: entry.id, path: sample("slow.png").file });
    dev.tracker.remove(scope, entry.id);
    expect((await localErrorOf(attaching)).code).toBe("NOT_FOUND");
    expect(filesOnDisk()).toEqual([]);
    expect(dev.attachments.forEntry(WS_A, entry.id)).toEqual([]);
  });
});

describe("states", () => {
  it("go queued -> uploaded for a file attached here, and queued -> rejected with the server's reason", async () => {
    const kept = await attachments.attach(scope, { entryId: entry.id, path: sample("kept.png").file });
    dev.clock.advance(1000);
    const refused = await attachments.attach(scope, { entryId: entry.id, path: sample("notes.txt", Buffer.from("plain text")).file });
    expect(refused.contentType).toBe("text/plain");

    acknowledge(kept.id);
    const item = dev.outbox.pending(WS_A, 10).find((m) => m.entityId === refused.id)!;
    dev.outbox.markRejected(item.mutationId, "UNSUPPORTED_TYPE", "This type of file is not accepted");

    expect(attachments.list(scope, entry.id).map((a) => [a.id, a.state, a.rejection])).toEqual([
      [kept.id, "uploaded", null],
      [refused.id, "rejected", { mutationId: item.mutationId, action: "upload", reason: "UNSUPPORTED_TYPE", message: "This type of file is not accepted" }],
    ]);
  });

  it("shows a pulled attachment as remote-only, and as downloaded once its file is here", async () => {
    dev.attachments.putFromServer(WS_A, serverView({ id: REMOTE, entryId: entry.id, name: "scan.pdf", contentType: "application/pdf" }));
    expect(attachments.list(scope, entry.id)).toMatchObject([{ id: REMOTE, state: "remote-only", origin: "server", file: null }]);
    dev.attachments.setLocalPath(WS_A, REMOTE, dev.files.relativePath(WS_A, REMOTE));
    expect(attachments.list(scope, entry.id)).toMatchObject([{ id: REMOTE, state: "downloaded" }]);
    // Another pull of it keeps the local copy.
    dev.attachments.putFromServer(WS_A, serverView({ id: REMOTE, entryId: entry.id, name: "scan (renamed).pdf" }));
    expect(attachments.list(scope, entry.id)).toMatchObject([{ name: "scan (renamed).pdf", state: "downloaded" }]);
  });

  it("keeps workspaces and entries apart", async () => {
    const other = dev.tracker.createManual(scope, { start: T0 + HOUR, end: T0 + 2 * HOUR });
    const a = await attachments.attach(scope, { entryId: entry.id, path: sample("a.png").file });
    dev.clock.advance(1000);
    await attachments.attach(scope, { entryId: other.id, path: sample("b.png").file });
    expect(attachments.list(scope, entry.id).map((x) => x.id)).toEqual([a.id]);
    expect(attachments.list(aliceIn(WS_B), entry.id)).toEqual([]);
    expect((await localErrorOf(() => attachments.remove(aliceIn(WS_B), a.id))).code).toBe("NOT_FOUND");
  });
});

describe("download", () => {
  const bytes = pdfBytes("downloaded");

  beforeEach(() => {
    dev.attachments.putFromServer(WS_A, serverView({ id: REMOTE, entryId: entry.id, sizeBytes: bytes.length, sha256: sha256Of(bytes) }));
  });

  it("streams the file into the data folder, checks it and records it, once even when asked twice at once", async () => {
    transport.served.set(REMOTE, [bytes.subarray(0, 10), bytes.subarray(10)]);
    const [first, second] = await Promise.all([attachments.download(scope, REMOTE), attachments.download(scope, REMOTE)]);
    expect(first).toEqual(second);
    expect(first.state).toBe("downloaded");
    expect(readFileSync(first.file!)).toEqual(bytes);
    expect(transport.calls).toEqual([`download ${REMOTE}`]);
    // Already here: no second request.
    await attachments.download(scope, REMOTE);
    expect(transport.calls).toHaveLength(1);
  });

  it("keeps nothing when the bytes do not match what the server described", async () => {
    transport.served.set(REMOTE, [pdfBytes("something else")]);
    const err = await localErrorOf(attachments.download(scope, REMOTE));
    expect(err.code).toBe("SERVER");
    expect(err.message).toMatch(/does not match/);
    expect(filesOnDisk()).toEqual([]);
    expect(attachments.list(scope, entry.id)).toMatchObject([{ state: "remote-only", file: null }]);
  });

  it("says the server cannot be reached when offline, and NOT_FOUND for an unknown id", async () => {
    transport.offline = true;
    expect((await localErrorOf(attachments.download(scope, REMOTE))).message).toBe("The server cannot be reached");
    expect((await localErrorOf(attachments.download(scope, "e0000000-0000-4000-8000-000000000999"))).code).toBe("NOT_FOUND");
    expect((await localErrorOf(attachments.download(scope, "../../etc/passwd"))).code).toBe("VALIDATION");
  });
});

describe("remove and discard", () => {
  it("hides a removed attachment at once and queues its deletion in place of a queued upload", async () => {
    const a = await attachments.attach(scope, { entryId: entry.id, path: sample("a.png").file });
    attachments.remove(scope, a.id);
    expect(attachments.list(scope, entry.id)).toEqual([]);
    expect(dev.outbox.pending(WS_A, 10).map((m) => [m.name, m.entityId])).toEqual([
      ["entry.put", entry.id],
      ["attachment.delete", a.id],
    ]);
    // The copy stays until the server confirms (the engine deletes it then).
    expect(filesOnDisk()).toEqual([a.id]);
    expect((await localErrorOf(() => attachments.remove(scope, a.id))).code).toBe("NOT_FOUND");
  });

  it("forgets a refused upload entirely, file included, whether removed or discarded", async () => {
    const one = await attachments.attach(scope, { entryId: entry.id, path: sample("one.txt", Buffer.from("1")).file });
    const two = await attachments.attach(scope, { entryId: entry.id, path: sample("two.txt", Buffer.from("2")).file });
    for (const m of dev.outbox.pending(WS_A, 10).filter((x) => x.name === "attachment.upload")) {
      dev.outbox.markRejected(m.mutationId, "UNSUPPORTED_TYPE", "no");
    }
    attachments.remove(scope, one.id);
    attachments.discardRejected(WS_A, dev.outbox.rejected(WS_A).find((m) => m.entityId === two.id)!);
    expect(attachments.list(scope, entry.id)).toEqual([]);
    expect(dev.outbox.count(WS_A)).toBe(1); // the entry's own put
    expect(filesOnDisk()).toEqual([]);
  });

  it("shows a refused removal as rejected, and discarding it brings the attachment back", async () => {
    const a = await attachments.attach(scope, { entryId: entry.id, path: sample("a.png").file });
    acknowledge(a.id);
    attachments.remove(scope, a.id);
    const del = dev.outbox.pending(WS_A, 10).find((m) => m.name === "attachment.delete")!;
    dev.outbox.markRejected(del.mutationId, "LOCKED_PERIOD", "That week is approved");
    expect(attachments.list(scope, entry.id)).toMatchObject([
      { id: a.id, state: "rejected", rejection: { action: "delete", reason: "LOCKED_PERIOD" } },
    ]);
    attachments.discardRejected(WS_A, dev.outbox.get(del.mutationId)!);
    expect(attachments.list(scope, entry.id)).toMatchObject([{ id: a.id, state: "uploaded", rejection: null }]);
    expect(filesOnDisk()).toEqual([a.id]);
  });

  it("refuses to discard a change that was not refused", async () => {
    const a = await attachments.attach(scope, { entryId: entry.id, path: sample("a.png").file });
    const item = dev.outbox.pending(WS_A, 10).find((m) => m.entityId === a.id)!;
    expect((await localErrorOf(() => attachments.discardRejected(WS_A, item))).code).toBe("NOT_FOUND");
    expect(attachments.list(scope, entry.id)).toHaveLength(1);
  });
});

describe("crash leftovers", () => {
  it("sweeps copies no row points at and half-written files, keeping the rest", async () => {
    const a = await attachments.attach(scope, { entryId: entry.id, path: sample("a.png").file });
    const folder = path.join(dataFolder(), "attachments", WS_A);
    writeFileSync(path.join(folder, "e0000000-0000-4000-8000-000000000777"), "orphan");
    writeFileSync(path.join(folder, `${REMOTE}.part`), "half");
    mkdirSync(path.join(dataFolder(), "attachments", WS_B), { recursive: true });
    writeFileSync(path.join(dataFolder(), "attachments", WS_B, REMOTE), "orphan in B");

    expect(attachments.sweep().sort()).toEqual(
      [
        path.join("attachments", WS_A, "e0000000-0000-4000-8000-000000000777"),
        path.join("attachments", WS_A, `${REMOTE}.part`),
        path.join("attachments", WS_B, REMOTE),
      ].sort(),
    );
    expect(filesOnDisk()).toEqual([a.id]);
  });

  it("never makes a path from an id that is not a plain id", () => {
    expect(() => dev.files.relativePath(WS_A, "../../escape")).toThrow(/Unsafe/);
    expect(() => dev.files.relativePath("../x", REMOTE)).toThrow(/Unsafe/);
  });
});

describe("migration", () => {
  it("adds the attachments table to a database an older app left at version 1, keeping its rows", () => {
    const raw = new Database(tmp.path("v1.db"));
    try {
      raw.exec(LOCAL_MIGRATIONS[0]!);
      raw.pragma("user_version = 1");
      raw.prepare("INSERT INTO tags (workspace_id, id, name) VALUES ('w', 't', 'kept')").run();
      expect(migrateLocalDb(raw)).toEqual(LOCAL_MIGRATIONS.slice(1).map((_, i) => i + 2));
      expect(raw.prepare("SELECT name FROM tags").all()).toEqual([{ name: "kept" }]);
      expect(raw.prepare("SELECT COUNT(*) AS n FROM attachments").get()).toEqual({ n: 0 });
    } finally {
      raw.close();
    }
  });
});
