/**
 * The desktop UI in Chromium with 10,000 local entries: first meaningful paint (the timer bar and
 * the week's entries on screen, from navigation start) and keystroke-to-screen latency in the
 * timer bar. The real built renderer, the real core and SQLite behind the HTTP bridge; the device
 * is signed in locally (no server needed: everything measured is answered by the core).
 */
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startHttpBridge } from "../apps/desktop/src/core/api/http-bridge.js";
import { launchChromium } from "../tests/e2e/support/browser.js";
import { buildRendererFor } from "../tests/e2e/support/renderer.js";
import { createDevice, removeDeviceFiles } from "../tests/support/device.js";
import { percentile } from "./stats.js";

export interface UiBench {
  entries: number;
  weekEntries: number;
  paintMedianMs: number;
  paintRuns: number[];
  keystrokes: number;
  keyP50Ms: number;
  keyP95Ms: number;
  /** Main-thread task time per keystroke (Chromium's TaskDuration over the typing / keys): less load-sensitive than latency. */
  keyTaskMs: number;
  /** Main-thread task time from navigation to the first meaningful paint, median over the loads. */
  paintTaskMs: number;
}

export async function benchUi(entries = 10_000): Promise<UiBench> {
  const rendererDir = path.join(os.tmpdir(), `hoursync-bench-renderer-${randomUUID()}`);
  await buildRendererFor(rendererDir);
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
  // 10,000 entries back from now, 30 minutes each with 10-minute gaps: this week holds the newest of them.
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
  const bridge = await startHttpBridge(device.core, { rendererDir });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const paintRuns: number[] = [];
    const paintTasks: number[] = [];
    let keyTaskMs = 0;
    const taskSeconds = async (cdp: { send(m: "Performance.getMetrics"): Promise<{ metrics: { name: string; value: number }[] }> }) =>
      (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "TaskDuration")!.value;
    for (let run = 0; run < 5; run++) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Performance.enable");
      await page.addInitScript(() => {
        const w = window as unknown as { __painted?: number };
        const observer = new MutationObserver(() => {
          if (w.__painted === undefined && document.querySelector("[data-testid=entry-row]") && document.querySelector("[data-testid=timer-toggle]")) {
            // The frame that shows them: the next animation frame after they are in the DOM.
            requestAnimationFrame(() => (w.__painted = performance.now()));
            observer.disconnect();
          }
        });
        observer.observe(document, { childList: true, subtree: true });
      });
      await page.goto(bridge.url);
      await page.waitForFunction(() => (window as unknown as { __painted?: number }).__painted !== undefined);
      paintRuns.push(await page.evaluate(() => (window as unknown as { __painted: number }).__painted));
      paintTasks.push((await taskSeconds(cdp)) * 1000);
      if (run < 4) await page.close();
      else {
        // Keystrokes: from the key event to the frame after the input shows it.
        await page.evaluate(() => {
          const w = window as unknown as { __keys: number[] };
          w.__keys = [];
          const input = document.querySelector<HTMLInputElement>("[data-testid=timer-description]")!;
          input.addEventListener("keydown", (e) => {
            const t0 = e.timeStamp;
            requestAnimationFrame(() => {
              const channel = new MessageChannel();
              channel.port1.onmessage = () => w.__keys.push(performance.now() - t0);
              channel.port2.postMessage(null);
            });
          });
        });
        await page.getByTestId("timer-description").click();
        await page.waitForTimeout(500);
        const before = await taskSeconds(cdp);
        await page.keyboard.type("Writing the quarterly report for the board", { delay: 40 });
        await page.waitForTimeout(300);
        keyTaskMs = ((await taskSeconds(cdp)) - before) * 1000;
      }
    }
    const page = context.pages()[0]!;
    const keys = await page.evaluate(() => (window as unknown as { __keys: number[] }).__keys);
    const sortedPaint = [...paintRuns].sort((a, b) => a - b);
    return {
      entries,
      weekEntries,
      paintMedianMs: sortedPaint[Math.floor(sortedPaint.length / 2)]!,
      paintRuns,
      keystrokes: keys.length,
      keyP50Ms: percentile(keys, 50),
      keyP95Ms: percentile(keys, 95),
      keyTaskMs: keyTaskMs / Math.max(1, keys.length),
      paintTaskMs: [...paintTasks].sort((a, b) => a - b)[Math.floor(paintTasks.length / 2)]!,
    };
  } finally {
    await browser.close();
    await bridge.app.close();
    device.close();
    removeDeviceFiles(device);
    rmSync(rendererDir, { recursive: true, force: true });
  }
}
