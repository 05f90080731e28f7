import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { DesktopCore } from "../../apps/desktop/src/core/desktop-core.js";
import { plainSecretBox } from "../../apps/desktop/src/core/session/secret-box.js";
import { defaultSettings, nodeSettingsStore } from "../../apps/desktop/src/core/settings/settings.js";

export interface Device {
  core: DesktopCore;
  dir: string;
  /** Closes the core and opens a new one on the same files: a restart (or a crash after the last commit). */
  restart(): Device;
  close(): void;
}

export interface DeviceOptions {
  serverUrl: string;
  fetch?: typeof fetch;
  random?: () => number;
  dir?: string;
  requestTimeoutMs?: number;
  /**
   * The undo window for deletions. Test devices send deletions at once (0) unless a test is
   * about undo: most suites check what reaches the server right after a delete.
   */
  undoWindowMs?: number;
  now?: () => number;
}

/** A desktop install (its own data folder, settings and SQLite file) talking to a real server. */
export function createDevice(opts: DeviceOptions): Device {
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), "hoursync-device-"));
  const settings = nodeSettingsStore(dir, { ...defaultSettings(randomUUID(), "test device"), serverUrl: opts.serverUrl });
  const core = new DesktopCore({
    dataDir: dir,
    settings,
    secretBox: plainSecretBox,
    fetch: opts.fetch,
    random: opts.random,
    requestTimeoutMs: opts.requestTimeoutMs,
    undoWindowMs: opts.undoWindowMs ?? 0,
    now: opts.now,
  });
  const device: Device = {
    core,
    dir,
    restart() {
      core.close();
      return createDevice({ ...opts, dir });
    },
    close() {
      core.close();
    },
  };
  return device;
}

export function removeDeviceFiles(device: Device): void {
  rmSync(device.dir, { recursive: true, force: true });
}
