/**
 * The Reports screen for a 200-person workspace-year on PostgreSQL: from the moment the server's
 * answer reaches the window (the local API call's response end) to the frame that shows the
 * chart and the totals table for it. The real built renderer in Chromium, a real core signed in
 * to a real server over HTTP; the year is bulk-loaded as in the reports benchmark.
 */
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { startHttpBridge } from "../apps/desktop/src/core/api/http-bridge.js";
import { launchChromium } from "../tests/e2e/support/browser.js";
import { buildRendererFor } from "../tests/e2e/support/renderer.js";
import { createDevice, removeDeviceFiles } from "../tests/support/device.js";
import { OWNER_PASSWORD, prepareReportWorkspace } from "./reports.js";

export interface ReportsUiCase {
  grouping: string;
  /** Bars in the chart (and rows in the table). */
  rows: number;
  /** Server's answer in the window to chart and table on screen, per run. */
  renderMs: number[];
}

export interface ReportsUiBench {
  users: number;
  entries: number;
  cases: ReportsUiCase[];
}

const GROUPINGS = [
  ["day", "Day"],
  ["week", "Week"],
  ["project", "Project"],
  ["user", "Person"],
] as const;
/** The screen opened on all time by day: each run picks a filter not asked for yet. */
const BILLABLE_FILTERS = ["Billable only", "Not billable only"];
const RUNS = BILLABLE_FILTERS.length;

/** Clicks a grouping and times answer-to-screen for it. */
async function timeGrouping(page: Page, groupBy: string, label: string): Promise<{ ms: number; rows: number }> {
  await page.evaluate((g) => {
    const w = window as unknown as { __shown?: number; __observer?: MutationObserver };
    w.__shown = undefined;
    performance.clearResourceTimings();
    // No named helpers in here: the bundler would wrap them in a function the page does not have.
    w.__observer = new MutationObserver(() => {
      if (
        w.__shown === undefined &&
        document.querySelector("[data-testid=report-table] caption")?.textContent === `Totals by ${g}` &&
        document.querySelector("[data-testid=report-chart] .recharts-bar-rectangle") !== null &&
        document.querySelector("[data-testid=report-body]")?.getAttribute("aria-busy") === "false"
      ) {
        w.__observer!.disconnect();
        // The frame that shows them: the next animation frame after they are in the DOM.
        requestAnimationFrame(() => (w.__shown = performance.now()));
      }
    });
    w.__observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
  }, label.toLowerCase());
  await page.getByRole("radio", { name: label, exact: true }).click();
  await page
    .waitForFunction(() => (window as unknown as { __shown?: number }).__shown !== undefined, undefined, { timeout: 60_000 })
    .catch(async (err: unknown) => {
      await page.screenshot({ path: path.join(os.tmpdir(), "hoursync-reports-ui-failed.png") });
      const state = await page.evaluate(() => ({
        caption: document.querySelector("[data-testid=report-table] caption")?.textContent,
        bars: document.querySelectorAll("[data-testid=report-chart] .recharts-bar-rectangle").length,
        busy: document.querySelector("[data-testid=report-body]")?.getAttribute("aria-busy"),
        main: document.querySelector("main")?.textContent?.slice(0, 400),
      }));
      throw new Error(`the report by ${groupBy} never showed (${JSON.stringify(state)})`, { cause: err });
    });
  return page.evaluate((g) => {
    const answers = performance
      .getEntriesByType("resource")
      .filter((e) => e.name.includes("online.query") && decodeURIComponent(e.name).includes(`"groupBy":"${g}"`)) as PerformanceResourceTiming[];
    if (!answers.length) {
      const seen = performance.getEntriesByType("resource").map((e) => decodeURIComponent(e.name).slice(0, 300));
      throw new Error(`no answer of the server seen for ${g} among ${JSON.stringify(seen)}`);
    }
    const answered = answers.at(-1)!.responseEnd;
    const rows = document.querySelectorAll("[data-testid=report-table] tbody tr").length;
    return { ms: (window as unknown as { __shown: number }).__shown - answered, rows };
  }, groupBy);
}

export async function benchReportsUi(users = 200): Promise<ReportsUiBench> {
  const rendererDir = path.join(os.tmpdir(), `hoursync-bench-reports-${randomUUID()}`);
  const [, ws] = await Promise.all([buildRendererFor(rendererDir), prepareReportWorkspace("postgres", users)]);
  const device = createDevice({ serverUrl: ws.server.url });
  const browser = await launchChromium();
  let bridge: Awaited<ReturnType<typeof startHttpBridge>> | null = null;
  try {
    await device.core.logIn({ serverUrl: ws.server.url, email: ws.ownerEmail, password: OWNER_PASSWORD });
    device.core.selectWorkspace(ws.tenantId);
    // The projects' names and colours, as a sync would bring them (the owner's own time is empty).
    const projects = await ws.api.projects.list.query({ page: { limit: 500, cursor: 0 } });
    for (const p of projects.items) {
      device.core.catalog.putProject(ws.tenantId, { id: p.id, clientId: p.clientId, name: p.name, color: p.color, billable: p.billable, archived: p.archived });
    }
    bridge = await startHttpBridge(device.core, { rendererDir });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(bridge.url);
    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: /^Reports/ }).click();
    await page.getByLabel("Range").selectOption("custom");
    await page.getByLabel("First day").fill("2025-01-01");
    await page.getByLabel("Last day").fill("2025-12-31");
    await page.getByTestId("report-table").waitFor();
    const cases: ReportsUiCase[] = GROUPINGS.map(([grouping]) => ({ grouping, rows: 0, renderMs: [] }));
    for (let run = 0; run < RUNS; run++) {
      // Not timed: a grouping outside the timed ones, then a billable filter not asked for yet, so that
      // each timed grouping asks the server (a repeated input is answered from the window's cache).
      await page.getByRole("radio", { name: "Client", exact: true }).click();
      await page.getByTestId("report-filters").click();
      await page.getByRole("radio", { name: BILLABLE_FILTERS[run]!, exact: true }).check();
      await page.keyboard.press("Escape");
      await page.getByRole("table", { name: "Totals by client" }).waitFor();
      await page.locator("[data-testid=report-body][aria-busy=false]").waitFor();
      for (const [i, [groupBy, label]] of GROUPINGS.entries()) {
        const r = await timeGrouping(page, groupBy, label);
        cases[i]!.rows = r.rows;
        cases[i]!.renderMs.push(r.ms);
      }
    }
    return { users, entries: ws.entries, cases };
  } finally {
    await browser.close();
    await bridge?.app.close();
    device.close();
    removeDeviceFiles(device);
    await ws.server.stop();
    rmSync(rendererDir, { recursive: true, force: true });
  }
}
