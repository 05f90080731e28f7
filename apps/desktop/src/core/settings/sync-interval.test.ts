import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { DesktopCore } from "../desktop-core.js";
import { plainSecretBox } from "../session/secret-box.js";
import { FakeTransport } from "../testing/fake-transport.js";
import { defaultSettings, nodeSettingsStore } from "./settings.js";

const dir = mkdtempSync(path.join(tmpdir(), "hoursync-interval-"));
let core: DesktopCore | undefined;
afterEach(() => {
  core?.close();
  rmSync(dir, { recursive: true, force: true });
});

it("applies a sync interval changed in Settings at once, not from the next launch", async () => {
  const now = 1_700_000_000_000;
  const settings = nodeSettingsStore(dir, defaultSettings("c1", "test"));
  core = new DesktopCore({ dataDir: dir, settings, secretBox: plainSecretBox, transport: new FakeTransport(), now: () => now });
  core.startBackgroundSync();
  await expect.poll(() => core!.engine.activity()).toMatchObject({ running: false, nextAttemptAt: now + 60_000 });

  core.updatePreferences({ syncIntervalSeconds: 15 });
  expect(core.engine.activity().nextAttemptAt).toBe(now + 15_000);
  expect(core.preferences().syncIntervalSeconds).toBe(15);
});
