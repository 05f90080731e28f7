import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLocalCaller } from "../../apps/desktop/src/core/api/local-router.js";
import { OfflineError } from "../../apps/desktop/src/core/sync/transport.js";
import { pdfBytes, pngBytes, sha256Of, writeSample } from "../../apps/desktop/src/core/testing/sample-files.js";
import { at } from "../support/api.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";
import { createCompany, TEST_PASSWORD, type Company, type Person } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";

const storageRoot = mkdtempSync(path.join(os.tmpdir(), "hoursync-attachment-store-"));
const picked = mkdtempSync(path.join(os.tmpdir(), "hoursync-picked-files-"));

let server: TestServer;
let acme: Company;
let employee: Person;
const devices: Device[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { USER_RATE_LIMIT_PER_MINUTE: "100000", ATTACHMENT_DIR: storageRoot } });
  acme = await createCompany(server, "Acme");
  await acme.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
  employee = await acme.hire("EMPLOYEE");
});
afterEach(() => {
  for (const d of devices.splice(0)) {
    d.close();
    removeDeviceFiles(d);
  }
});
afterAll(async () => {
  await server.close();
  rmSync(storageRoot, { recursive: true, force: true });
  rmSync(picked, { recursive: true, force: true });
});

/** The device's network: it can be unplugged, and can lose the answer to an upload the server did get. */
class Cable {
  up = true;
  loseNextUploadAnswer = false;
  /** Upload requests the server answered. */
  uploads = 0;
  onUploadAnswered: (count: number) => void = () => {};

  readonly fetch: typeof fetch = async (input, init) => {
    if (!this.up) throw new TypeError("fetch failed: the network is down");
    const res = await fetch(input, init);
    if (String(input).includes("attachments.upload")) {
      this.uploads++;
      this.onUploadAnswered(this.uploads);
      if (this.loseNextUploadAnswer) {
        this.loseNextUploadAnswer = false;
        await res.arrayBuffer();
        throw new TypeError("fetch failed: connection reset");
      }
    }
    return res;
  };
}

async function signedInDevice(cable = new Cable()): Promise<Device> {
  const device = createDevice({ serverUrl: server.url, fetch: cable.fetch });
  devices.push(device);
  await device.core.logIn({ serverUrl: server.url, email: employee.email, password: TEST_PASSWORD });
  device.core.selectWorkspace(acme.workspaceId);
  await device.core.syncNow();
  return device;
}

const ms = (d: Date) => d.getTime();

/** A file the user picks, with what its attachment must show. */
function pick(name: string, bytes: Buffer) {
  const folder = mkdtempSync(path.join(picked, "pick-"));
  return { name, ...writeSample(path.join(folder, name), bytes) };
}

/** Files the server keeps for the workspace (its storage tree, temporary uploads aside). */
function storedFiles(): string[] {
  const dir = path.join(storageRoot, acme.workspaceId);
  return existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith(".")) : [];
}

const onServer = (entryId: string) => employee.api.attachments.list.query({ entryId });

describe("attachments on the desktop, offline and online", () => {
  it("queues a file attached offline, keeps it through a restart, and uploads it exactly once despite a lost answer", async () => {
    const cable = new Cable();
    let device = await signedInDevice(cable);
    const scope = device.core.scope();
    const filesBefore = storedFiles().length;

    cable.up = false;
    const entry = device.core.tracker.createManual(scope, { start: ms(at("2026-05-04", 9)), end: ms(at("2026-05-04", 10)), description: "taxi" });
    const receipt = pick("taxi receipt.png", pngBytes(randomUUID()));
    const attached = await device.core.attachments.attach(scope, { entryId: entry.id, path: receipt.file, name: receipt.name });
    await expect(device.core.syncNow()).rejects.toBeInstanceOf(OfflineError);
    expect(device.core.attachments.list(scope, entry.id)).toMatchObject([{ id: attached.id, state: "queued" }]);

    // The user's own file may go: the app works from its copy.
    rmSync(receipt.file);
    device = device.restart();
    devices.push(device);
    expect(device.core.attachments.list(scope, entry.id)).toMatchObject([{ id: attached.id, state: "queued", sha256: receipt.sha256 }]);
    expect(device.core.syncStatus(scope.workspaceId).pending).toBe(2);

    // Back online, but the answer to the upload is lost: the server has the file, the device does not know.
    cable.up = true;
    cable.loseNextUploadAnswer = true;
    await expect(device.core.syncNow()).rejects.toBeInstanceOf(OfflineError);
    expect(cable.uploads).toBe(1);
    expect(device.core.attachments.list(scope, entry.id)).toMatchObject([{ state: "queued" }]);
    expect(await onServer(entry.id)).toHaveLength(1);

    // The replay (same id, same bytes) is answered with the stored attachment.
    const [report] = await device.core.syncNow();
    expect(report).toMatchObject({ rejected: 0 });
    expect(cable.uploads).toBe(2);
    expect(await onServer(entry.id)).toEqual([
      expect.objectContaining({ id: attached.id, name: receipt.name, sizeBytes: receipt.sizeBytes, sha256: receipt.sha256, contentType: "image/png" }),
    ]);
    expect(storedFiles()).toHaveLength(filesBefore + 1);
    expect(device.core.attachments.list(scope, entry.id)).toMatchObject([{ state: "uploaded", contentType: "image/png" }]);
    expect(device.core.syncStatus(scope.workspaceId)).toMatchObject({ pending: 0, rejected: [] });

    // Nothing is sent again on later syncs.
    await device.core.syncNow();
    expect(cable.uploads).toBe(2);
    expect(storedFiles()).toHaveLength(filesBefore + 1);
  });

  it("picks up where it stopped when the server goes away in the middle of a queue", async () => {
    const cable = new Cable();
    const device = await signedInDevice(cable);
    const scope = device.core.scope();
    const filesBefore = storedFiles().length;
    const entry = device.core.tracker.createManual(scope, { start: ms(at("2026-05-05", 9)), end: ms(at("2026-05-05", 10)) });
    const picks = [pick("one.png", pngBytes(randomUUID())), pick("two.pdf", pdfBytes(randomUUID())), pick("three.png", pngBytes(randomUUID()))];
    const attached: Awaited<ReturnType<typeof device.core.attachments.attach>>[] = [];
    for (const p of picks) attached.push(await device.core.attachments.attach(scope, { entryId: entry.id, path: p.file }));

    cable.onUploadAnswered = (count) => {
      if (count === 1) cable.up = false;
    };
    await expect(device.core.syncNow()).rejects.toBeInstanceOf(OfflineError);
    expect(device.core.attachments.list(scope, entry.id).map((a) => a.state)).toEqual(["uploaded", "queued", "queued"]);
    expect(device.core.syncStatus(scope.workspaceId).lastError).toMatch(/cannot be reached/);
    expect((await onServer(entry.id)).map((a) => a.id)).toEqual([attached[0]!.id]);

    cable.onUploadAnswered = () => {};
    cable.up = true;
    await device.core.syncNow();
    expect(device.core.attachments.list(scope, entry.id).map((a) => a.state)).toEqual(["uploaded", "uploaded", "uploaded"]);
    const stored = await onServer(entry.id);
    expect(stored.map((a) => [a.id, a.sha256]).sort()).toEqual(attached.map((a, i) => [a.id, picks[i]!.sha256]).sort());
    expect(stored.find((a) => a.id === attached[1]!.id)?.contentType).toBe("application/pdf");
    expect(storedFiles()).toHaveLength(filesBefore + 3);
  });

  it("lists a pulled attachment on the user's other device, downloads it on demand with identical bytes, and follows its removal", async () => {
    const laptop = await signedInDevice();
    const desktop = await signedInDevice();
    const scope = laptop.core.scope();
    const entry = laptop.core.tracker.createManual(scope, { start: ms(at("2026-05-06", 9)), end: ms(at("2026-05-06", 10)) });
    const invoice = pick("invoice.pdf", pdfBytes(randomUUID()));
    const attached = await laptop.core.attachments.attach(scope, { entryId: entry.id, path: invoice.file });
    await laptop.core.syncNow();

    await desktop.core.syncNow();
    const local = createLocalCaller({ core: desktop.core });
    expect(await local.attachments.list({ entryId: entry.id })).toEqual([
      expect.objectContaining({ id: attached.id, name: "invoice.pdf", sha256: invoice.sha256, state: "remote-only", origin: "server", file: null }),
    ]);

    const downloaded = await local.attachments.download({ id: attached.id });
    expect(downloaded.state).toBe("downloaded");
    expect(downloaded.file).toContain(desktop.dir);
    expect(sha256Of(readFileSync(downloaded.file!))).toBe(invoice.sha256);
    expect(await local.attachments.list({ entryId: entry.id })).toMatchObject([{ state: "downloaded" }]);

    // Removed on the laptop: gone from the server, then from the desktop, downloaded copy included.
    laptop.core.attachments.remove(scope, attached.id);
    expect(laptop.core.attachments.list(scope, entry.id)).toEqual([]);
    await laptop.core.syncNow();
    expect(await onServer(entry.id)).toEqual([]);
    await desktop.core.syncNow();
    expect(await local.attachments.list({ entryId: entry.id })).toEqual([]);
    expect(existsSync(downloaded.file!)).toBe(false);
  });

  it("shows a file the server refuses as rejected with its reason until the user discards it", async () => {
    const device = await signedInDevice();
    const scope = device.core.scope();
    const entry = device.core.tracker.createManual(scope, { start: ms(at("2026-05-07", 9)), end: ms(at("2026-05-07", 10)) });
    const notes = pick("notes.txt", Buffer.from(`meeting notes ${randomUUID()}\n`));
    const attached = await device.core.attachments.attach(scope, { entryId: entry.id, path: notes.file });

    const [report] = await device.core.syncNow();
    expect(report).toMatchObject({ rejected: 1 });
    expect(device.core.attachments.list(scope, entry.id)).toMatchObject([
      { id: attached.id, state: "rejected", rejection: { action: "upload", reason: "UNSUPPORTED_TYPE" } },
    ]);
    const refusal = device.core.syncStatus(scope.workspaceId).rejected;
    expect(refusal).toMatchObject([{ name: "attachment.upload", entityId: attached.id, reason: "UNSUPPORTED_TYPE", attachment: { name: "notes.txt" } }]);
    expect(await onServer(entry.id)).toEqual([]);

    // Not retried, still shown.
    await device.core.syncNow();
    expect(device.core.attachments.list(scope, entry.id)).toMatchObject([{ state: "rejected" }]);

    await createLocalCaller({ core: device.core }).sync.discard({ mutationId: refusal[0]!.mutationId });
    expect(device.core.attachments.list(scope, entry.id)).toEqual([]);
    expect(existsSync(attached.file!)).toBe(false);
    expect(device.core.syncStatus(scope.workspaceId).rejected).toEqual([]);
  });

  it("refuses a file on an entry of an approved week with LOCKED_PERIOD", async () => {
    const manager = await acme.hire("MANAGER");
    const device = await signedInDevice();
    const scope = device.core.scope();
    const entry = device.core.tracker.createManual(scope, { start: ms(at("2026-03-02", 9)), end: ms(at("2026-03-02", 10)) });
    await device.core.syncNow();
    const sheet = await employee.api.timesheets.submit.mutate({ periodStart: "2026-03-02" });
    await manager.api.timesheets.approve.mutate({ id: sheet.id });

    const late = await device.core.attachments.attach(scope, { entryId: entry.id, path: pick("late.png", pngBytes(randomUUID())).file });
    const [report] = await device.core.syncNow();
    expect(report).toMatchObject({ rejected: 1 });
    expect(device.core.attachments.list(scope, entry.id)).toMatchObject([
      { id: late.id, state: "rejected", rejection: { reason: "LOCKED_PERIOD" } },
    ]);
    expect(await onServer(entry.id)).toEqual([]);
  });

  it("validates local API input and answers with typed errors", async () => {
    const device = await signedInDevice();
    const local = createLocalCaller({ core: device.core });
    const entry = device.core.tracker.createManual(device.core.scope(), { start: ms(at("2026-05-08", 9)), end: ms(at("2026-05-08", 10)) });
    const attempts: [() => Promise<unknown>, string, string][] = [
      [() => local.attachments.attach({ entryId: entry.id, path: "relative.png" }), "BAD_REQUEST", "VALIDATION"],
      [() => local.attachments.attach({ entryId: entry.id, path: path.join(picked, "nothing-here.png") }), "BAD_REQUEST", "FILE"],
      [() => local.attachments.attach({ entryId: randomUUID(), path: pick("x.png", pngBytes()).file }), "NOT_FOUND", "NOT_FOUND"],
      [() => local.attachments.download({ id: randomUUID() }), "NOT_FOUND", "NOT_FOUND"],
      [() => local.attachments.remove({ id: randomUUID() }), "NOT_FOUND", "NOT_FOUND"],
    ];
    for (const [call, code, reason] of attempts) {
      const err = await call().then(() => null, (e: { code?: string; cause?: { code?: string } }) => e);
      expect(err, reason).toMatchObject({ code, cause: { code: reason } });
    }
    await expect(local.attachments.list({ entryId: "not-an-id" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
