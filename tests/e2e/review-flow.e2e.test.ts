/**
 * A week from tracking to approval, with two real desktop cores (an employee's, behind a
 * switchable network, and a manager's) driven through the built renderer in Chromium against the
 * real server: tracked offline, submitted once online, rejected with a comment, fixed,
 * resubmitted, approved, then locked on the employee's device. Screenshots and axe on each new screen.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_KEY_HEADER, startHttpBridge } from "../../apps/desktop/src/core/api/http-bridge.js";
import type { LocalRouter } from "../../apps/desktop/src/core/api/local-router.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";
import { createCompany, TEST_PASSWORD, type Company, type Person } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { ARTIFACTS, launchChromium, screenshots, seriousViolations } from "./support/browser.js";
import { buildRendererFor, E2E_RENDERER_DIR } from "./support/renderer.js";
import { startSwitchableProxy } from "./support/switchable-proxy.js";

const RENDERER_DIR = path.join(E2E_RENDERER_DIR, "..", "renderer-review");
const HOUR = 3_600_000;

let server: TestServer;
let proxy: Awaited<ReturnType<typeof startSwitchableProxy>>;
let acme: Company;
let erin: Person;
let mark: Person;
let browser: Browser;
const apps: { device: Device; bridge: Awaited<ReturnType<typeof startHttpBridge>> }[] = [];
let employeeApp: (typeof apps)[number];
let managerApp: (typeof apps)[number];
let employeePage: Page;
let managerPage: Page;
let projectId: string;

/** Monday of last week, local time: a period that is over (the suite's machine runs in the workspace's zone, UTC). */
function lastMonday(): number {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7) - 7);
  return d.getTime();
}
const WEEK = lastMonday();

async function openApp(person: Person, serverUrl: string) {
  const device = createDevice({ serverUrl });
  await device.core.logIn({ serverUrl, email: person.email, password: TEST_PASSWORD });
  device.core.selectWorkspace(acme.workspaceId);
  await device.core.syncNow();
  const bridge = await startHttpBridge(device.core, { rendererDir: RENDERER_DIR });
  const app = { device, bridge };
  apps.push(app);
  const context = await browser.newContext({ viewport: { width: 1024, height: 640 }, colorScheme: "light" });
  const page = await context.newPage();
  // A crash of the app shows as a blank page: say what threw.
  page.on("pageerror", (e) => console.error("error in the page:", e.message));
  page.setDefaultTimeout(15_000);
  await page.goto(bridge.url);
  await page.getByRole("navigation", { name: "Main" }).waitFor();
  return { app, page };
}

async function expectAccessible(page: Page, screen: string) {
  expect(await seriousViolations(page), `axe on ${screen}`).toEqual([]);
}

beforeAll(async () => {
  const [, srv] = await Promise.all([buildRendererFor(RENDERER_DIR), startTestServer()]);
  server = srv;
  proxy = await startSwitchableProxy(server.url);
  acme = await createCompany(server, "Acme Studio");
  await acme.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
  erin = await acme.hire("EMPLOYEE", "Erin");
  mark = await acme.hire("MANAGER", "Mark");
  projectId = (await acme.owner.api.projects.create.mutate({ name: "Website relaunch", color: "#2563eb" })).id;
  browser = await launchChromium();
  ({ app: employeeApp, page: employeePage } = await openApp(erin, proxy.url));
  ({ app: managerApp, page: managerPage } = await openApp(mark, server.url));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const { device, bridge } of apps) {
    await bridge.app.close();
    device.close();
    removeDeviceFiles(device);
  }
  await proxy?.close();
  await server?.close();
  rmSync(RENDERER_DIR, { recursive: true, force: true });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") {
    for (const [name, page] of [["employee", employeePage], ["manager", managerPage]] as const) {
      await page?.screenshot({ path: path.join(ARTIFACTS, `failed-review-${name}-${ctx.task.name.slice(0, 30).replace(/\W+/g, "-")}.png`) }).catch(() => undefined);
    }
  }
});

const status = (page: Page) => page.getByTestId("sheet-status").first();

describe("a week from tracking to approval (two real cores, Chromium, real server)", () => {
  it("the employee tracks a week offline, sees it in the timesheet grid, and submits once online", async () => {
    const core = employeeApp.device.core;
    proxy.down();
    for (const day of [0, 1, 2, 3, 4]) {
      core.tracker.createManual(core.scope(), { start: WEEK + day * 24 * HOUR + 9 * HOUR, end: WEEK + day * 24 * HOUR + 13 * HOUR, projectId, description: `Build day ${day + 1}` });
    }
    core.tracker.createManual(core.scope(), { start: WEEK + 4 * 24 * HOUR + 14 * HOUR, end: WEEK + 4 * 24 * HOUR + 15 * HOUR, description: "Admin" });
    core.changes.emit(["entries", "sync"]);
    const page = employeePage;
    await page.keyboard.press("Alt+2");
    await page.getByRole("button", { name: "Previous period" }).click();
    await expect.poll(() => page.getByTestId("grand-total").textContent(), { timeout: 15_000 }).toBe("21:00");
    expect(await page.getByTestId("row-total").allTextContents()).toEqual(["20:00", "1:00"]);
    expect(await status(page).getAttribute("data-status")).toBe("OPEN");

    await page.getByRole("button", { name: "Submit for approval" }).click();
    await page.getByRole("alert").filter({ hasText: "not synced yet" }).waitFor();
    await screenshots(page, "20-timesheet-offline");
    await expectAccessible(page, "timesheet, offline");

    proxy.up();
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await expect.poll(() => status(page).getAttribute("data-status"), { timeout: 15_000 }).toBe("SUBMITTED");
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: /Review/ }).count()).toBe(0);
  });

  it("the manager sees it in the queue (with the count in the navigation) and rejects it with a comment", async () => {
    const page = managerPage;
    await page.reload();
    await expect.poll(() => page.getByTestId("review-count").textContent(), { timeout: 15_000 }).toBe("1 waiting");
    await page.keyboard.press("Alt+4");
    const row = page.getByTestId("queue-row").filter({ hasText: "Erin" });
    await row.waitFor();
    expect(await row.textContent()).toContain("21:00");
    await screenshots(page, "21-review-queue");
    await expectAccessible(page, "review queue");

    await row.getByRole("button", { name: "Erin" }).click();
    const detail = page.getByTestId("review-detail");
    await detail.getByText("Build day 1").waitFor();
    await screenshots(page, "22-review-detail");
    await expectAccessible(page, "review detail");
    await detail.getByRole("button", { name: "Reject…" }).click();
    await expect.poll(() => detail.getByRole("button", { name: "Reject with this comment" }).isDisabled()).toBe(true);
    await detail.getByLabel(/What should Erin fix/).fill("Friday's admin hour belongs to the relaunch");
    await detail.getByRole("button", { name: "Reject with this comment" }).click();
    await page.getByText("Nothing waiting for your review.").waitFor();
  });

  it("the employee sees the comment after a sync, fixes the entry and resubmits", async () => {
    const page = employeePage;
    const core = employeeApp.device.core;
    await core.syncNow();
    await page.getByTestId("rejection-comment").filter({ hasText: "Friday's admin hour belongs to the relaunch" }).waitFor();
    expect(await status(page).getAttribute("data-status")).toBe("REJECTED");
    await screenshots(page, "23-timesheet-rejected");
    await expectAccessible(page, "timesheet, rejected");

    const admin = core.tracker.list(core.scope(), { from: WEEK, to: WEEK + 7 * 24 * HOUR }).find((e) => e.description === "Admin")!;
    core.tracker.update(core.scope(), admin.id, { projectId });
    // Changed through the core directly (as the Track screen would through the local API): tell open windows.
    core.changes.emit(["entries", "sync"]);
    await expect.poll(() => page.getByTestId("row-total").allTextContents(), { timeout: 15_000 }).toEqual(["21:00"]);
    await page.getByRole("button", { name: "Resubmit" }).click();
    await expect.poll(() => status(page).getAttribute("data-status"), { timeout: 15_000 }).toBe("SUBMITTED");
  });

  it("the manager approves it (selected in the queue) and sees the team's week", async () => {
    const page = managerPage;
    // The manager's app hears of the resubmission with its next sync (or the queue's own refresh).
    await managerApp.device.core.syncNow();
    await page.getByRole("tab", { name: "Team week" }).click();
    await page.getByRole("button", { name: "Previous week" }).click();
    await page.getByTestId("team-overview").locator('[data-standing="SUBMITTED"]').filter({ hasText: "Erin" }).waitFor();
    await screenshots(page, "24-team-week");
    await expectAccessible(page, "team week");
    await page.getByRole("tab", { name: "Waiting" }).click();
    await page.getByRole("checkbox", { name: /Select Erin/ }).check();
    await page.getByRole("button", { name: "Approve 1 selected" }).click();
    await page.getByText("Nothing waiting for your review.").waitFor();
    // The queue drops it at once (optimistic); the server has decided shortly after.
    await expect.poll(async () => (await erin.api.timesheets.mine.query()).map((s) => s.status), { timeout: 15_000 }).toEqual(["APPROVED"]);
  });

  it("the employee's week shows approved and locked after a sync, and an edit of it is refused in the UI", async () => {
    const page = employeePage;
    await employeeApp.device.core.syncNow();
    await expect.poll(() => status(page).getAttribute("data-status"), { timeout: 15_000 }).toBe("APPROVED");
    await page.getByTestId("locked-note").waitFor();
    await page.getByTestId("notifications").click();
    await page.getByTestId("notification").filter({ hasText: "approved" }).waitFor();
    await screenshots(page, "25-timesheet-approved-locked");
    await expectAccessible(page, "timesheet, locked, with notifications");
    await page.getByTestId("notification").filter({ hasText: "approved" }).getByRole("button", { name: "Mark read" }).click();
    await page.getByTestId("notification").filter({ hasText: "approved" }).getByRole("button", { name: "Mark read" }).waitFor({ state: "detached" });
    await page.keyboard.press("Escape");

    await page.keyboard.press("Alt+1");
    const d = new Date(WEEK + 2 * 24 * HOUR);
    const iso = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    await page.getByLabel("Go to the week of").fill(iso);
    const found = page.getByTestId("entry-row").filter({ has: page.locator('input[aria-label="Description"][value="Build day 3"]') });
    const id = await found.first().getAttribute("data-entry-id");
    const description = page.locator(`[data-testid="entry-row"][data-entry-id="${id}"]`).getByLabel("Description");
    // Refused before anyone types: the locked week's entries are read-only, with the reason shown.
    await page.getByTestId("day-header").filter({ hasText: "Locked" }).first().waitFor();
    expect(await description.getAttribute("readonly")).not.toBeNull();
    await description.press("End");
    await page.keyboard.type(" (changed after approval)");
    expect(await description.inputValue()).toBe("Build day 3");
    await screenshots(page, "26-track-locked-edit-refused");
    expect(employeeApp.device.core.syncStatus(employeeApp.device.core.scope().workspaceId).pending).toBe(0);
  });

  it("an employee's direct call of a manager's procedure through the local API is refused by the server", async () => {
    const local = createTRPCClient<LocalRouter>({
      links: [httpLink({ url: `${new URL(employeeApp.bridge.url).origin}/local-api`, transformer: superjson, headers: () => ({ [LOCAL_KEY_HEADER]: employeeApp.bridge.key }) })],
    });
    const refused = await local.online.query.query({ path: "timesheets.pending", input: undefined }).then(
      () => null,
      (err: unknown) => (err instanceof TRPCClientError ? (err.data as { code: string }).code : String(err)),
    );
    expect(refused).toBe("FORBIDDEN");
    expect(await employeePage.getByRole("navigation", { name: "Main" }).getByRole("button", { name: /Review/ }).count()).toBe(0);
  });
});
