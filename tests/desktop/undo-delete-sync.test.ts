import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createLocalCaller } from "../../apps/desktop/src/core/api/local-router.js";
import { pngBytes, writeSample } from "../../apps/desktop/src/core/testing/sample-files.js";
import { UNDO_DELETE_MS } from "../../apps/desktop/src/core/timer/undo-window.js";
import { at } from "../support/api.js";
import { desktopSuite } from "../support/desktop-suite.js";
import type { Device } from "../support/device.js";

const storageRoot = mkdtempSync(path.join(os.tmpdir(), "hoursync-undo-store-"));
const picked = mkdtempSync(path.join(os.tmpdir(), "hoursync-undo-picked-"));
const suite = desktopSuite({ ATTACHMENT_DIR: storageRoot });
afterAll(() => {
  rmSync(storageRoot, { recursive: true, force: true });
  rmSync(picked, { recursive: true, force: true });
});

/** A device with the app's undo window, on a clock the test can move forward. */
async function signedInDevice() {
  let skew = 0;
  const device = await suite.signedInDevice({ undoWindowMs: UNDO_DELETE_MS, now: () => Date.now() + skew });
  return { device, local: createLocalCaller({ core: device.core }), passTime: (ms: number) => (skew += ms) };
}

/** An entry with a file, both on the server. */
async function entryWithReceipt(device: Device, day: string) {
  const scope = device.core.scope();
  const entry = device.core.tracker.createManual(scope, { start: at(day, 9).getTime(), end: at(day, 10).getTime(), description: "taxi" });
  const file = writeSample(path.join(mkdtempSync(path.join(picked, "pick-")), "receipt.png"), pngBytes(randomUUID())).file;
  const attachment = await device.core.attachments.attach(scope, { entryId: entry.id, path: file, name: "receipt.png" });
  await device.core.syncNow();
  expect(await suite.employee.api.attachments.list.query({ entryId: entry.id })).toHaveLength(1);
  return { entry, attachment };
}

const serverHas = (id: string) =>
  suite.employee.api.entries.get.query({ id }).then(
    () => true,
    () => false,
  );

describe("undo of a delete, synced with the real server", () => {
  it("brings back the same entry with its file; the server keeps both and never sees a deletion", async () => {
    const { device, local, passTime } = await signedInDevice();
    const { entry, attachment } = await entryWithReceipt(device, "2026-06-01");

    await local.entries.delete({ id: entry.id });
    await device.core.syncNow(); // what the app does right after a write: the deletion is held
    expect(await serverHas(entry.id)).toBe(true);

    const restored = await local.entries.restore({ id: entry.id });
    expect(restored.id).toBe(entry.id);
    expect(device.core.attachments.list(device.core.scope(), entry.id)).toMatchObject([{ id: attachment.id, state: "uploaded" }]);

    passTime(UNDO_DELETE_MS + 1000);
    await device.core.syncNow();
    expect(await suite.employee.api.entries.get.query({ id: entry.id })).toMatchObject({ id: entry.id, description: "taxi" });
    expect(await suite.employee.api.attachments.list.query({ entryId: entry.id })).toMatchObject([{ id: attachment.id, name: "receipt.png" }]);
    expect(device.core.syncStatus(suite.acme.workspaceId)).toMatchObject({ pending: 0, rejected: [] });
  });

  it("sends the deletion once the undo window has passed; undo is then refused in words", async () => {
    const { device, local, passTime } = await signedInDevice();
    const { entry } = await entryWithReceipt(device, "2026-06-02");

    await local.entries.delete({ id: entry.id });
    passTime(UNDO_DELETE_MS);
    await device.core.syncNow();
    expect(await serverHas(entry.id)).toBe(false);
    expect(device.core.syncStatus(suite.acme.workspaceId).pending).toBe(0);
    await expect(local.entries.restore({ id: entry.id })).rejects.toThrow(/Too late to undo/);
  });
});
