/**
 * Reports in the real app (browser mode): the built renderer in Chromium, real cores behind their
 * HTTP bridges, the real server. An owner's report of last week, its CSV export downloaded and
 * checked against the totals on screen; an employee's report holds their own time only.
 * Screenshots (both sizes, light and dark) and axe-core on the screen.
 */
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHttpBridge } from "../../apps/desktop/src/core/api/http-bridge.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";
import { createCompany, TEST_PASSWORD, type Company, type Person } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { ARTIFACTS, launchChromium, screenshots, seriousViolations } from "./support/browser.js";
import { buildRendererFor, E2E_RENDERER_DIR } from "./support/renderer.js";

const RENDERER_DIR = path.join(E2E_RENDERER_DIR, "..", "renderer-reports");

let server: TestServer;
let acme: Company;
let ann: Person;
let bob: Person;
let browser: Browser;
const apps: { device: Device; bridge: Awaited<ReturnType<typeof startHttpBridge>>; page: Page }[] = [];
let page: Page;

/** Monday of last week (the workspace's weeks start on Monday), local midnight, plus `days` and `hour`. */
function lastWeek(days: number, hour: number): Date {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7) - 7 + days);
  d.setHours(hour);
  return d;
}

beforeAll(async () => {
  const [, srv] = await Promise.all([buildRendererFor(RENDERER_DIR), startTestServer()]);
  server = srv;
  acme = await createCompany(server, "Acme Studio");
  const owner = acme.owner.api;
  await owner.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000, hourlyRateCents: 8_000, currency: "EUR" });
  ann = await acme.hire("EMPLOYEE", "ann");
  bob = await acme.hire("EMPLOYEE", "bob");
  const client = await owner.clients.create.mutate({ name: "Northwind" });
  const site = await owner.projects.create.mutate({ name: "Website relaunch", color: "#2563eb", clientId: client.id, hourlyRateCents: 12_000 });
  const app = await owner.projects.create.mutate({ name: "Mobile app", color: "#db2777", clientId: client.id });
  const internal = await owner.projects.create.mutate({ name: "Internal", color: "#16a34a" });
  const week: [Person, number, number, number, string, boolean][] = [
    [ann, 0, 9, 12, site.id, true],
    [ann, 0, 13, 15, internal.id, false],
    [ann, 1, 9, 13, app.id, true],
    [ann, 3, 10, 16, site.id, true],
    [bob, 0, 9, 17, app.id, true],
    [bob, 2, 9, 12, site.id, true],
    [bob, 2, 13, 15, internal.id, false],
    [bob, 4, 9, 11, app.id, true],
  ];
  for (const [who, day, from, to, projectId, billable] of week) {
    await who.api.entries.create.mutate({ start: lastWeek(day, from), end: lastWeek(day, to), projectId, billable });
  }
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const a of apps) {
    await a.bridge.app.close();
    a.device.close();
    removeDeviceFiles(a.device);
  }
  await server?.close();
  await rm(RENDERER_DIR, { recursive: true, force: true });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail" && page) {
    await page.screenshot({ path: path.join(ARTIFACTS, `failed-reports-${ctx.task.name.slice(0, 40).replace(/\W+/g, "-")}.png`) }).catch(() => undefined);
  }
});

/** A signed-in app in its own browser context, on the Reports screen with last week chosen. */
async function openReports(person: Person): Promise<Page> {
  const device = createDevice({ serverUrl: server.url });
  await device.core.logIn({ serverUrl: server.url, email: person.email, password: TEST_PASSWORD });
  device.core.selectWorkspace(acme.workspaceId);
  // The projects (names, colours) reach the device with its first sync, as after a sign-in in the app.
  await device.core.syncNow();
  const bridge = await startHttpBridge(device.core, { rendererDir: RENDERER_DIR });
  const context = await browser.newContext({ viewport: { width: 1024, height: 640 }, colorScheme: "light", acceptDownloads: true });
  const p = await context.newPage();
  p.setDefaultTimeout(15_000);
  apps.push({ device, bridge, page: p });
  await p.goto(bridge.url);
  await p.getByRole("navigation", { name: "Main" }).getByRole("button", { name: /^Reports/ }).click();
  await p.getByLabel("Range").selectOption("last-week");
  await p.getByTestId("report-table").waitFor();
  return p;
}

/** "12:30" (h:mm) in minutes. */
const minutesOf = (clock: string) => {
  const [h, m] = clock.split(":").map(Number);
  return h! * 60 + m!;
};

describe("reports (Chromium, real cores over their HTTP bridges, real server)", () => {
  it("shows last week's hours stacked by project with the totals table, and its CSV export's totals equal the screen's", async () => {
    page = await openReports(acme.owner);
    await expect.poll(() => page.getByTestId("total-hours").textContent()).toBe("30:00");
    // The chart's bars are drawn in the projects' colours.
    const fills = await page.locator("[data-testid=report-chart] .recharts-bar-rectangle path").evaluateAll((els) => els.map((e) => e.getAttribute("fill")));
    expect(new Set(fills)).toEqual(new Set(["#2563eb", "#db2777", "#16a34a"]));
    await page.getByRole("radio", { name: "Project" }).click();
    await page.getByRole("rowheader", { name: "Website relaunch" }).waitFor();
    await screenshots(page, "reports-owner");
    expect(await seriousViolations(page), "axe on reports").toEqual([]);

    const screenHours = minutesOf((await page.getByTestId("total-hours").textContent())!);
    const screenBillable = minutesOf((await page.getByTestId("total-billable").textContent())!);
    const screenAmount = (await page.getByTestId("total-amount").textContent())!;
    await page.getByTestId("export-csv").click();
    const totals = page.getByRole("menuitem", { name: "Totals (as shown)" });
    await totals.waitFor();
    // The download, or the export's status line when none comes (a refusal is said there in words).
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 30_000 }).catch(async (e: Error) => {
        throw new Error(`no download; the export said "${await page.getByTestId("export-status").textContent()}" (${e.message})`);
      }),
      totals.click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^hoursync-report-project-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parse(await readFile((await download.path())!, "utf8"), { columns: true }) as Record<string, string>[];
    const sum = (col: string) => rows.reduce((n, r) => n + Number(r[col]), 0);
    expect(Math.round(sum("hours") * 60)).toBe(screenHours);
    expect(Math.round(sum("billable_hours") * 60)).toBe(screenBillable);
    expect(new Intl.NumberFormat("en-US", { style: "currency", currency: "EUR" }).format(sum("amount"))).toBe(screenAmount);
    await page.getByTestId("export-status").filter({ hasText: /Exported 3 rows/ }).waitFor();
  });

  it("gives an employee a report of their own time only, with no people to pick", async () => {
    page = await openReports(ann);
    await expect.poll(() => page.getByTestId("total-hours").textContent()).toBe("15:00");
    await page.getByRole("radio", { name: "Person" }).click();
    await page.getByRole("rowheader", { name: "ann" }).waitFor();
    expect(await page.getByRole("rowheader", { name: "bob" }).count()).toBe(0);
    await page.getByTestId("report-filters").click();
    await page.getByRole("dialog", { name: "Report filters" }).waitFor();
    expect(await page.getByRole("group", { name: "People" }).count()).toBe(0);
    await page.keyboard.press("Escape");
    await page.getByRole("radio", { name: "Day" }).click();
    await page.getByTestId("report-chart").waitFor();
    await screenshots(page, "reports-employee");
    expect(await seriousViolations(page), "axe on an employee's reports").toEqual([]);
  });
});
