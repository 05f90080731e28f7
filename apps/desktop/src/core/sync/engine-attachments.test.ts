import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Attachments } from "../attachments/attachments.js";
import type { LocalEntry } from "../store/entries.js";
import { emptyPage, FakeTransport, serverView } from "../testing/fake-transport.js";
import { HOUR, T0, TempFolder, WS_A, aliceIn, buildDevice, type Device } from "../testing/local-fixture.js";
import { pdfBytes, pngBytes, sha256Of, writeSample } from "../testing/sample-files.js";
import { SyncEngine } from "./engine.js";
import { OfflineError } from "./transport.js";

const REMOTE = "c0000000-0000-4000-8000-00000000000c";
const scope = aliceIn(WS_A);

let tmp: TempFolder;
let dev: Device;
let transport: FakeTransport;
let attachments: Attachments;
let engine: SyncEngine;

function open(device: Device) {
  dev = device;
  attachments = new Attachments(dev.db, dev.attachments, dev.entries, dev.outbox, dev.files, transport, dev.clock.now);
  engine = new SyncEngine(dev.db, { ...dev, attachments: dev.attachments, files: dev.files }, transport, {
    clientId: () => "d0000000-0000-4000-8000-00000000000d",
    deviceName: "test",
  });
}

beforeEach(() => {
  tmp = new TempFolder();
  transport = new FakeTransport();
  open(tmp.openDevice());
});
afterEach(() => tmp.cleanup());

let n = 0;
function entryAt(hour: number): LocalEntry {
  return dev.tracker.createManual(scope, { start: T0 + hour * HOUR, end: T0 + (hour + 1) * HOUR });
}
async function attach(entry: LocalEntry, bytes = pngBytes(`file ${++n}`), name = `file-${n}.png`) {
  const source = writeSample(tmp.path(name), bytes);
  dev.clock.advance(1000); // listed oldest first
  return attachments.attach(scope, { entryId: entry.id, path: source.file });
}
const state = (entry: LocalEntry) => attachments.list(scope, entry.id).map((a) => a.state);
const copies = () => {
  const folder = path.join(`${dev.file}.data`, "attachments", WS_A);
  return existsSync(folder) ? readdirSync(folder) : [];
};

describe("pushing attachments", () => {
  it("sends batches up to each attachment, then the attachment on its own, in outbox order", async () => {
    const e1 = entryAt(0);
    const a = await attach(e1);
    const e2 = entryAt(1);
    dev.tracker.update(scope, e2.id, { description: "second" });
    const b = await attach(e2);
    dev.tracker.update(scope, e1.id, { description: "after the files" });
    const ids = dev.outbox.pending(WS_A, 10).map((m) => m.mutationId);

    const report = await engine.syncWorkspace(WS_A);

    expect(transport.calls).toEqual([
      `push ${ids[0]}`,
      `upload ${a.id}`,
      `push ${ids[2]},${ids[3]}`,
      `upload ${b.id}`,
      `push ${ids[5]}`,
      "pull 0",
    ]);
    expect(report).toMatchObject({ pushed: 6, applied: 6, rejected: 0 });
    expect(dev.outbox.count(WS_A)).toBe(0);
    expect(state(e1)).toEqual(["uploaded"]);
    expect(transport.uploaded.map((u) => [u.id, sha256Of(u.bytes)])).toEqual([
      [a.id, a.sha256],
      [b.id, b.sha256],
    ]);
  });

  it("records a refusal with its reason, keeps it visible, never resends it, and carries on", async () => {
    const e1 = entryAt(0);
    const refused = await attach(e1, Buffer.from("just text"), "notes.txt");
    const kept = await attach(e1);
    transport.uploadAnswer = (u, bytes) =>
      u.id === refused.id
        ? { status: "rejected", reason: "UNSUPPORTED_TYPE", message: "This type of file is not accepted" }
        : new FakeTransport().uploadAnswer(u, bytes);

    expect(await engine.syncWorkspace(WS_A)).toMatchObject({ applied: 2, rejected: 1 });
    const listed = new Map(attachments.list(scope, e1.id).map((a) => [a.id, a]));
    expect(listed.get(refused.id)).toMatchObject({ state: "rejected", rejection: { action: "upload", reason: "UNSUPPORTED_TYPE" } });
    expect(listed.get(kept.id)).toMatchObject({ state: "uploaded" });
    await engine.syncWorkspace(WS_A);
    expect(transport.calls.filter((c) => c.startsWith("upload"))).toEqual([`upload ${refused.id}`, `upload ${kept.id}`]);
  });

  it("leaves the upload queued when the network fails, and sends it once after a restart", async () => {
    const e1 = entryAt(0);
    const first = await attach(e1);
    const second = await attach(e1);
    const after = entryAt(2);
    const entryPut = dev.outbox.pending(WS_A, 1)[0]!.mutationId;
    let uploads = 0;
    transport.uploadAnswer = (u, bytes) => {
      if (++uploads === 2) throw new OfflineError("connection reset");
      return new FakeTransport().uploadAnswer(u, bytes);
    };

    await expect(engine.syncWorkspace(WS_A)).rejects.toBeInstanceOf(OfflineError);
    expect(state(e1)).toEqual(["uploaded", "queued"]);
    // Nothing after the stuck upload went ahead of it.
    expect(transport.calls).toEqual([`push ${entryPut}`, `upload ${first.id}`, `upload ${second.id}`]);
    expect(dev.outbox.pending(WS_A, 10).map((m) => m.entityId)).toEqual([second.id, after.id]);

    // Restart: a new engine on the same files.
    const file = dev.file;
    dev.db.close();
    open(buildDevice(file, tmp.openDb(path.basename(file))));
    transport.uploadAnswer = (u, bytes) => new FakeTransport().uploadAnswer(u, bytes);
    await engine.syncWorkspace(WS_A);

    expect(state(e1)).toEqual(["uploaded", "uploaded"]);
    expect(transport.uploaded.filter((u) => u.id === first.id)).toHaveLength(1);
    expect(transport.uploaded.filter((u) => u.id === second.id)).toHaveLength(2); // the lost one, then the replay
    expect(dev.outbox.count(WS_A)).toBe(0);
  });

  it("refuses the upload of a copy that vanished from the data folder instead of retrying forever", async () => {
    const e1 = entryAt(0);
    const a = await attach(e1);
    rmSync(a.file!);
    await engine.syncWorkspace(WS_A);
    expect(attachments.list(scope, e1.id)).toMatchObject([{ state: "rejected", rejection: { reason: "NOT_FOUND" } }]);
    expect(transport.calls.filter((c) => c.startsWith("upload"))).toEqual([]);
  });

  it("deletes the row and the copy once the server confirms a removal; a refused removal stays visible", async () => {
    const e1 = entryAt(0);
    const gone = await attach(e1);
    const locked = await attach(e1);
    await engine.syncWorkspace(WS_A);
    attachments.remove(scope, gone.id);
    attachments.remove(scope, locked.id);
    transport.deleteAnswer = (id) =>
      id === locked.id ? { status: "rejected", reason: "LOCKED_PERIOD", message: "That week is approved" } : { status: "applied" };

    expect(await engine.syncWorkspace(WS_A)).toMatchObject({ applied: 1, rejected: 1 });
    expect(dev.attachments.get(WS_A, gone.id)).toBeNull();
    expect(copies()).toEqual([locked.id]);
    expect(attachments.list(scope, e1.id)).toMatchObject([
      { id: locked.id, state: "rejected", rejection: { action: "delete", reason: "LOCKED_PERIOD" } },
    ]);
  });
});

describe("pulling attachments", () => {
  it("lists pulled attachments as remote-only, and accepts pages without an attachments field", async () => {
    const e1 = entryAt(0);
    transport.pages.push(
      emptyPage({ cursor: 5, hasMore: true }),
      emptyPage({ attachments: [serverView({ id: REMOTE, entryId: e1.id, name: "scan.pdf" })], cursor: 6 }),
    );
    delete transport.pages[0]!.attachments;
    const report = await engine.syncWorkspace(WS_A);
    expect(report.pulled).toBe(1);
    expect(attachments.list(scope, e1.id)).toMatchObject([{ id: REMOTE, name: "scan.pdf", state: "remote-only", file: null }]);
  });

  it("applies deletions of attachments and of their entries, local copies included", async () => {
    const e1 = entryAt(0);
    const e2 = entryAt(1);
    const bytes = pdfBytes("remote");
    transport.pages.push(
      emptyPage({
        attachments: [
          serverView({ id: REMOTE, entryId: e1.id, sizeBytes: bytes.length, sha256: sha256Of(bytes) }),
        ],
        cursor: 1,
      }),
    );
    await engine.syncWorkspace(WS_A);
    const onE2 = await attach(e2);
    await engine.syncWorkspace(WS_A);
    transport.served.set(REMOTE, [bytes]);
    await attachments.download(scope, REMOTE);
    expect(copies().sort()).toEqual([REMOTE, onE2.id].sort());

    transport.pages.push(
      emptyPage({
        deletions: [
          { entity: "attachment", id: REMOTE },
          { entity: "entry", id: e2.id },
        ],
        cursor: 9,
      }),
    );
    await engine.syncWorkspace(WS_A);
    expect(attachments.list(scope, e1.id)).toEqual([]);
    expect(dev.attachments.get(WS_A, onE2.id)).toBeNull();
    expect(copies()).toEqual([]);
  });
});
