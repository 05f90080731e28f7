/**
 * The desktop UI benchmarks' setup: the real built renderer served by the core's HTTP bridge, over
 * a device signed in locally with 10,000 entries (no server needed: everything the first screen
 * reads is answered by the core), and the first-paint marker the page sets.
 */
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { startHttpBridge } from "../apps/desktop/src/core/api/http-bridge.js";
import { buildRendererFor } from "../tests/e2e/support/renderer.js";
import { createDevice, removeDeviceFiles, type Device } from "../tests/support/device.js";

export interface UiFixture {
  url: string;
  entries: number;
  weekEntries: number;
  close(): Promise<void>;
}

/** A device signed in locally, holding `entries` entries back from now (the newest in this week), 8 projects and an open lock state. */
export function seedDevice(entries: number): { device: Device; weekEntries: number } {
  const device = createDevice({ serverUrl: "http://127.0.0.1:9" });
  const settings = (device.core as unknown as { settings: { set: (k: string, v: unknown) => void } }).settings;
  const userId = randomUUID();
  const workspaceId = randomUUID();
  settings.set("session", { userId, email: "bench@example.test", name: "Bench", token: "-" });
  settings.set("workspaces", [{ workspaceId, name: "Bench Co", role: "EMPLOYEE" }]);
  settings.set("currentWorkspaceId", workspaceId);
  const scope = device.core.scope();
  for (let i = 0; i < 8; i++) {
    device.core.catalog.putProject(workspaceId, { id: randomUUID(), clientId: null, name: `Project ${i + 1}`, color: ["#2563eb", "#16a34a", "#db2777", "#ea580c"][i % 4]!, billable: i % 2 === 0, archived: false });
  }
  // A lock state as a synced device holds it (open time only), so the lock checker loads as it would for a real person.
  device.core.catalog.putLockState(workspaceId, { timezone: "UTC", weekStartsOn: 1, timesheetPeriod: "WEEK", lockBefore: null, lockGraceDays: null, approved: [] });
  // 30 minutes each with 10-minute gaps: this week holds the newest of them.
  const step = 40 * 60_000;
  const now = Date.now();
  const projects = device.core.catalog.projects(workspaceId);
  let weekEntries = 0;
  const weekAgo = now - 7 * 86_400_000;
  for (let i = 1; i <= entries; i++) {
    const start = now - i * step;
    device.core.tracker.createManual(scope, { description: `Task ${i % 97}`, projectId: projects[i % projects.length]!.id, start, end: start + 30 * 60_000 });
    if (start > weekAgo) weekEntries++;
  }
  return { device, weekEntries };
}

/** `readable`: an unminified build, so that a profile names the functions (the figures come from the minified one). */
export async function startUiFixture(entries: number, opts: { readable?: boolean } = {}): Promise<UiFixture> {
  const rendererDir = path.join(os.tmpdir(), `hoursync-bench-renderer-${randomUUID()}`);
  await buildRendererFor(rendererDir, opts.readable ? { minify: false } : {});
  const { device, weekEntries } = seedDevice(entries);
  const bridge = await startHttpBridge(device.core, { rendererDir });
  return {
    url: bridge.url,
    entries,
    weekEntries,
    async close() {
      await bridge.app.close();
      device.close();
      removeDeviceFiles(device);
      rmSync(rendererDir, { recursive: true, force: true });
    },
  };
}

/** The console message the page writes at its first meaningful paint (the time follows it). */
const PAINTED = "hoursync-bench-painted";

const painted = new WeakMap<Page, Promise<number>>();

/**
 * Notes the frame that first shows the timer bar and an entry of the week (call before
 * navigating; `firstPaint` returns it). The page says so on its console: waiting by polling the
 * page (Playwright's waitForFunction) injected Playwright's own script into it during the load,
 * about 25-40 ms of main-thread work before the very paint being measured.
 */
export async function markFirstPaint(page: Page): Promise<void> {
  painted.set(
    page,
    page.waitForEvent("console", { predicate: (m) => m.text().startsWith(PAINTED), timeout: 60_000 }).then((m) => Number(m.text().slice(PAINTED.length + 1))),
  );
  await page.addInitScript((marker) => {
    const observer = new MutationObserver(() => {
      if (document.querySelector("[data-testid=entry-row]") && document.querySelector("[data-testid=timer-toggle]")) {
        // The frame that shows them: the next animation frame after they are in the DOM.
        requestAnimationFrame(() => console.debug(`${marker} ${performance.now()}`));
        observer.disconnect();
      }
    });
    observer.observe(document, { childList: true, subtree: true });
  }, PAINTED);
}

/** The first meaningful paint of the page (ms from navigation start), as `markFirstPaint` notes it. */
export function firstPaint(page: Page): Promise<number> {
  const time = painted.get(page);
  if (!time) throw new Error("markFirstPaint(page) was not called before navigating");
  return time;
}
