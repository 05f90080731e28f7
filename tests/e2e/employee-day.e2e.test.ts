/**
 * An employee's day in the real app: the built renderer in Debian's Chromium, the real desktop core
 * (SQLite, outbox, sync) behind the core's HTTP bridge, and the real server, with a switchable
 * TCP hop between core and server to take the network away. Screenshots of each screen (both
 * sizes, light and dark) go to test-artifacts/e2e; axe-core checks every screen.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHttpBridge } from "../../apps/desktop/src/core/api/http-bridge.js";
import { pngBytes } from "../../apps/desktop/src/core/testing/sample-files.js";
import { UNDO_DELETE_MS } from "../../apps/desktop/src/core/timer/undo-window.js";
import { at } from "../support/api.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";
import { createCompany, TEST_PASSWORD, type Company, type Person } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { ARTIFACTS, launchChromium, screenshots, seriousViolations } from "./support/browser.js";
import { buildRendererFor, E2E_RENDERER_DIR } from "./support/renderer.js";
import { loggingFetch } from "./support/request-log.js";
import { startSwitchableProxy } from "./support/switchable-proxy.js";

let server: TestServer;
let proxy: Awaited<ReturnType<typeof startSwitchableProxy>>;
let acme: Company;
let globex: Company;
let employee: Person;
let manager: Person;
let device: Device;
let bridge: Awaited<ReturnType<typeof startHttpBridge>>;
let browser: Browser;
let page: Page;
const requests = loggingFetch();
const LOCKED_WEEK = "2026-11-02";

/**
 * The suite's clock, shared by the core and the browser: today at noon when the suite starts,
 * then running. The suite places entries in the small hours of today, so whatever the time it
 * runs (just after midnight too) they never meet "now" and the day never ends mid-run.
 */
let skew = 0;
const clockNow = () => Date.now() + skew;

beforeAll(async () => {
  const [, srv] = await Promise.all([buildRendererFor(E2E_RENDERER_DIR), startTestServer()]);
  server = srv;
  proxy = await startSwitchableProxy(server.url);
  acme = await createCompany(server, "Acme Studio");
  globex = await createCompany(server, "Globex Consulting");
  for (const c of [acme, globex]) await c.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
  employee = await acme.hire("EMPLOYEE", "employee");
  manager = await acme.hire("MANAGER", "manager");
  const invite = await globex.owner.api.members.invite.mutate({ email: employee.email, role: "EMPLOYEE" });
  await employee.api.auth.acceptInvitation.mutate({ token: invite.token });
  const client = await acme.owner.api.clients.create.mutate({ name: "Northwind" });
  await acme.owner.api.projects.create.mutate({ name: "Website relaunch", color: "#2563eb", clientId: client.id });
  await acme.owner.api.projects.create.mutate({ name: "Internal", color: "#16a34a" });
  await acme.owner.api.tags.create.mutate({ name: "meeting" });
  // Time already on the server: last week's (to be approved later) and one in the other company.
  await employee.api.entries.create.mutate({ start: at("2026-11-03", 9), end: at("2026-11-03", 11), description: "Quarterly planning" });
  await server.client({ token: employee.token, workspaceId: globex.workspaceId }).entries.create.mutate({
    start: at("2026-11-03", 9),
    end: at("2026-11-03", 10),
    description: "Globex audit prep",
  });

  const noon = new Date();
  noon.setHours(12, 0, 0, 0);
  skew = noon.getTime() - Date.now();
  device = createDevice({ serverUrl: proxy.url, now: clockNow, undoWindowMs: UNDO_DELETE_MS, fetch: requests.fetch });
  bridge = await startHttpBridge(device.core, { rendererDir: E2E_RENDERER_DIR });
  browser = await launchChromium();
  // axe-core needs a page of a context made with newContext.
  const context = await browser.newContext({ viewport: { width: 1024, height: 640 }, colorScheme: "light" });
  page = await context.newPage();
  watchLocalApi(page);
  await page.clock.install({ time: clockNow() });
  page.setDefaultTimeout(15_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await bridge?.app.close();
  device?.close();
  if (device) removeDeviceFiles(device);
  await proxy?.close();
  await server?.close();
  rmSync(E2E_RENDERER_DIR, { recursive: true, force: true });
});

// A failed step leaves a picture of the screen it failed on.
afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail" && page) {
    await page.screenshot({ path: path.join(ARTIFACTS, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, "-")}.png`) }).catch(() => undefined);
  }
});

/** Today at hh:mm, local time, on the suite's clock (see `clockNow`). */
function todayAt(hours: number, minutes: number): number {
  const d = new Date(clockNow());
  d.setHours(hours, minutes, 0, 0);
  return d.getTime();
}

const rows = () => page.getByTestId("entry-row");
const row = (description: string) => rows().filter({ has: page.locator(`input[aria-label="Description"][value="${description}"]`) });
/** A row found by its description, then held by its id (its description may change in the test). */
async function rowOf(description: string) {
  const id = await row(description).first().getAttribute("data-entry-id");
  return page.locator(`[data-testid="entry-row"][data-entry-id="${id}"]`);
}
const syncStatus = () => page.getByTestId("sync-status");

async function expectAccessible(screen: string) {
  expect(await seriousViolations(page), `axe on ${screen}`).toEqual([]);
}

async function openSyncPanel() {
  await syncStatus().click();
  await page.getByRole("heading", { name: /Online|Offline/ }).waitFor();
}

async function closePopovers() {
  await page.keyboard.press("Escape");
}

/** The window's last calls to the local API (and its change stream), for `explained`. */
const windowCalls: string[] = [];
function watchLocalApi(p: Page) {
  const t0 = Date.now();
  const note = (line: string) => {
    windowCalls.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${line}`);
    if (windowCalls.length > 40) windowCalls.shift();
  };
  const name = (url: string) => new URL(url).pathname.replace("/local-api/", "");
  p.on("request", (r) => r.url().includes("/local-api/") && note(`-> ${name(r.url())}`));
  p.on("requestfinished", (r) => r.url().includes("/local-api/") && note(`<- ${name(r.url())}`));
  p.on("requestfailed", (r) => r.url().includes("/local-api/") && note(`x ${name(r.url())} ${r.failure()?.errorText ?? ""}`));
}

/** Waits for `step`; if it fails, says what the core and its sync were doing meanwhile. */
async function explained<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (err) {
    const core = device.core;
    const status = core.status();
    const states = status.workspaces.map((w) => `${w.name}: ${JSON.stringify(core.syncState.get(w.workspaceId))}`);
    // In the error itself, so the report of a failed run shows it.
    const why = [
      `core: current=${status.currentWorkspaceId} activity=${JSON.stringify(core.engine.activity())}`,
      ...states,
      `screen says: ${await syncStatus().textContent().catch(() => "?")}`,
      "last requests to the server:",
      requests.recent(),
      "the window's last calls to the local API:",
      ...windowCalls,
    ].join("\n");
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${why}`, { cause: err });
  }
}

async function pendingInCore() {
  return device.core.syncStatus(device.core.scope().workspaceId).pending;
}

describe("an employee's day in the app (Chromium, real core over the HTTP bridge, real server)", () => {
  it("refuses a wrong password in words, then signs in with the server address prefilled", async () => {
    await page.goto(bridge.url);
    await expect.poll(() => page.getByLabel("Server").inputValue()).toBe(proxy.url);
    await screenshots(page, "01-sign-in");
    await expectAccessible("sign in");
    await page.getByLabel("E-mail").fill(employee.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Wrong e-mail or password" }).waitFor();
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("combobox", { name: "What are you working on?" }).waitFor();
    await expect.poll(() => syncStatus().getAttribute("data-tone")).toBe("ok");
  });

  it("starts and stops the timer, and lists the entry under today with its total", async () => {
    const input = page.getByRole("combobox", { name: "What are you working on?" });
    await input.fill("Design review");
    await input.press("Enter");
    await page.getByTestId("timer-toggle").filter({ hasText: "Stop" }).waitFor();
    await expect.poll(() => page.getByTestId("timer-elapsed").textContent(), { timeout: 5000 }).not.toBe("0:00:00");
    await screenshots(page, "02-track-running");
    await expectAccessible("track, timer running");
    await page.getByTestId("timer-toggle").click();
    await page.getByTestId("timer-toggle").filter({ hasText: "Start" }).waitFor();
    await row("Design review").waitFor();
    expect(device.core.tracker.running(device.core.scope())).toBeNull();
  });

  it("edits an entry in place: description, and a duration typed as 1:30, 90m or 1.5h", async () => {
    const edited = await rowOf("Design review");
    await edited.getByLabel("Description").fill("Design review with Ana");
    await edited.getByLabel("Description").press("Enter");
    await row("Design review with Ana").waitFor();
    // Moved to the small hours so that later timers today do not overlap it.
    const durationBefore = await edited.getByLabel("Duration").inputValue();
    await edited.getByLabel("Start time").fill("00:01");
    await edited.getByLabel("Start time").press("Enter");
    await expect.poll(() => device.core.tracker.list(device.core.scope()).find((e) => e.description === "Design review with Ana")?.start).toBe(todayAt(0, 1));
    // The row shows the new start before a duration is typed: a refresh arriving mid-typing would replace the draft.
    await expect.poll(() => edited.getByLabel("Duration").inputValue()).not.toBe(durationBefore);
    for (const [typed, shown] of [["1:30", "1:30"], ["90m", "1:30"], ["2.5h", "2:30"]] as const) {
      await edited.getByLabel("Duration").fill(typed);
      await edited.getByLabel("Duration").press("Enter");
      await expect.poll(() => edited.getByLabel("Duration").inputValue()).toBe(shown);
    }
    const stored = device.core.tracker.list(device.core.scope()).find((e) => e.description === "Design review with Ana")!;
    expect(stored.end! - stored.start).toBe(150 * 60_000);
    await expect.poll(() => page.getByTestId("week-total").textContent()).toMatch(/^2:3\d$/);
  });

  it("continues an entry (a new running entry with its details) and deletes one with undo", async () => {
    await row("Design review with Ana").getByRole("button", { name: "Continue this entry" }).click();
    await page.getByTestId("timer-toggle").filter({ hasText: "Stop" }).waitFor();
    await expect.poll(() => page.getByTestId("timer-description").inputValue()).toBe("Design review with Ana");
    await page.getByTestId("timer-toggle").click();
    await expect.poll(() => row("Design review with Ana").count()).toBe(2);

    const doomed = row("Design review with Ana").first();
    const doomedId = await doomed.getAttribute("data-entry-id");
    await doomed.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    await expect.poll(() => row("Design review with Ana").count()).toBe(1);
    await page.getByText("Entry deleted", { exact: true }).waitFor();
    await screenshots(page, "03-track-deleted-undo");
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => row("Design review with Ana").count()).toBe(2);
    // The same entry came back (its id), not a copy.
    expect(await page.locator(`[data-entry-id="${doomedId}"]`).count()).toBe(1);
  });

  it("adds time manually with a project picked from the search, grouped by client", async () => {
    await page.keyboard.press("Escape");
    await page.locator("body").click({ position: { x: 600, y: 600 } });
    await page.keyboard.press("n");
    const dialog = page.getByRole("dialog", { name: "Add time" });
    await dialog.waitFor();
    await dialog.getByLabel("Description").fill("Client workshop");
    await dialog.getByRole("button", { name: /^Project:/ }).click();
    await page.getByPlaceholder("Search projects").fill("relaunch");
    await page.getByRole("option", { name: /Website relaunch/ }).click();
    await dialog.getByLabel("Start").fill("02:40");
    await dialog.getByLabel("Duration").fill("45m");
    await screenshots(page, "04-manual-entry");
    await expectAccessible("manual entry");
    await dialog.getByRole("button", { name: "Add entry" }).click();
    await dialog.waitFor({ state: "detached" });
    const added = row("Client workshop");
    await added.waitFor();
    expect(await added.getByLabel("Duration").inputValue()).toBe("0:45");
    expect(await added.getByRole("button", { name: /^Project: Website relaunch/ }).count()).toBe(1);
  });

  it("works on while the server is unreachable, says so with the count of waiting changes, and syncs to zero when it is back", async () => {
    await page.getByRole("button", { name: /Sync status/ }).click();
    await page.getByRole("button", { name: "Sync now" }).click();
    await expect.poll(pendingInCore).toBe(0);
    await closePopovers();

    proxy.down();
    await page.getByRole("button", { name: /Add time/ }).click();
    const dialog = page.getByRole("dialog", { name: "Add time" });
    await dialog.getByLabel("Description").fill("Offline notes");
    await dialog.getByLabel("Start").fill("03:30");
    await dialog.getByLabel("Duration").fill("15m");
    await dialog.getByRole("button", { name: "Add entry" }).click();
    await row("Offline notes").waitFor();
    const offline = await rowOf("Offline notes");
    await offline.getByLabel("Duration").fill("20m");
    await offline.getByLabel("Duration").press("Enter");
    await expect.poll(() => offline.getByLabel("Duration").inputValue()).toBe("0:20");
    await offline.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Attachments" }).click();
    await page.getByLabel("Choose a file to attach").setInputFiles({ name: "receipt.png", mimeType: "image/png", buffer: pngBytes("offline receipt") });
    await page.getByTestId("attachment-state").filter({ hasText: "Waiting to upload" }).waitFor();

    await openSyncPanel();
    await page.getByRole("button", { name: "Sync now" }).click();
    await expect.poll(() => syncStatus().getAttribute("data-tone")).toBe("offline");
    const waiting = await pendingInCore();
    expect(waiting).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.getByTestId("sync-pending").textContent()).toBe(String(waiting));
    expect(await syncStatus().textContent()).toContain(`${waiting} waiting`);
    await page.getByTestId("sync-detail").filter({ hasText: "The server cannot be reached" }).waitFor();
    await screenshots(page, "05-offline-waiting");
    await expectAccessible("sync panel, offline");

    proxy.up();
    await page.getByRole("button", { name: "Sync now" }).click();
    await expect.poll(() => page.getByTestId("sync-pending").textContent(), { timeout: 20_000 }).toBe("0");
    await expect.poll(() => syncStatus().getAttribute("data-tone")).toBe("ok");
    await closePopovers();
    const onServer = await employee.api.entries.list.query({});
    expect(onServer.items.map((e) => e.description)).toEqual(expect.arrayContaining(["Offline notes", "Client workshop", "Design review with Ana"]));
    await page.getByTestId("attachment-state").filter({ hasText: "Uploaded" }).waitFor();
  });

  it("shows a change to an approved week as refused, with its reason in words, and discards it", async () => {
    await page.getByLabel("Go to the week of").fill("2026-11-04");
    await page.getByTestId("week-label").filter({ hasText: /Nov/ }).waitFor();
    await row("Quarterly planning").waitFor();
    const planning = await rowOf("Quarterly planning");
    // Meanwhile, on the server, the week is submitted and approved: it is locked.
    const sheet = await employee.api.timesheets.submit.mutate({ periodStart: LOCKED_WEEK });
    await manager.api.timesheets.approve.mutate({ id: sheet.id });
    await planning.getByLabel("Description").fill("Quarterly planning (edited late)");
    await planning.getByLabel("Description").press("Enter");
    await openSyncPanel();
    await page.getByRole("button", { name: "Sync now" }).click();
    await expect.poll(() => syncStatus().getAttribute("data-tone")).toBe("refused");
    const refused = page.getByTestId("refused-change");
    await refused.filter({ hasText: "approved and locked" }).waitFor();
    await screenshots(page, "06-refused-change");
    await expectAccessible("sync panel, refused change");
    await refused.getByRole("button", { name: "Discard my change" }).click();
    await expect.poll(() => refused.count()).toBe(0);
    await closePopovers();
    await row("Quarterly planning").waitFor();
    expect(await page.getByText("Quarterly planning (edited late)").count()).toBe(0);

    // The sync brought the lock: the week says so in words and its entries take no typing.
    await page.getByTestId("week-lock").filter({ hasText: "This week is approved and locked. Ask an admin to reopen it." }).waitFor();
    await page.getByTestId("day-header").filter({ hasText: "Locked" }).waitFor();
    const lockedRow = await rowOf("Quarterly planning");
    expect(await lockedRow.getByLabel("Description").getAttribute("readonly")).not.toBeNull();
    await screenshots(page, "12-locked-week");
    await expectAccessible("track, locked week");
  });

  it("switches workspaces and shows only each one's entries", async () => {
    await page.getByRole("button", { name: /Workspace: Acme Studio/ }).click();
    await page.getByRole("menuitem", { name: /Globex Consulting/ }).click();
    await page.getByRole("button", { name: /Workspace: Globex Consulting/ }).waitFor();
    await page.getByLabel("Go to the week of").fill("2026-11-04");
    // The workspace's first pull lands while the screen's first read of it is on its way: the change
    // must still show (it once did not, and the step printed what the core had done meanwhile).
    await explained(row("Globex audit prep").waitFor());
    expect(await row("Quarterly planning").count()).toBe(0);
    await screenshots(page, "07-other-workspace");
    await page.getByRole("button", { name: /Workspace: Globex Consulting/ }).click();
    await page.getByRole("menuitem", { name: /Acme Studio/ }).click();
    await page.getByRole("button", { name: /Workspace: Acme Studio/ }).waitFor();
    await page.getByLabel("Go to the week of").fill("2026-11-04");
    await row("Quarterly planning").waitFor();
    expect(await row("Globex audit prep").count()).toBe(0);
  });

  it("opens the command palette and the settings screen from the keyboard", async () => {
    await page.keyboard.press("Control+k");
    await page.getByRole("dialog", { name: "Command palette" }).waitFor();
    await page.getByPlaceholder("Type a command or a project…").fill("start internal");
    await screenshots(page, "08-command-palette");
    await expectAccessible("command palette");
    await page.getByRole("option", { name: "Start on Internal" }).click();
    await page.getByTestId("timer-toggle").filter({ hasText: "Stop" }).waitFor();
    expect(await page.getByRole("button", { name: /^Project: Internal/ }).first().count()).toBe(1);
    await page.getByTestId("timer-toggle").click();
    await page.keyboard.press("Alt+9");
    await page.getByRole("heading", { name: "Settings" }).waitFor();
    await screenshots(page, "09-settings");
    await expectAccessible("settings");
    await page.keyboard.press("Alt+1");
    await page.getByRole("combobox", { name: "What are you working on?" }).waitFor();
    await screenshots(page, "10-track");
    await expectAccessible("track");
  });

  it("asks about idle time (raised with a test clock) and applies each of the three answers", async () => {
    // In the other workspace, whose day is empty, so the back-dated timers overlap nothing.
    await page.getByRole("button", { name: /Workspace: Acme Studio/ }).click();
    await page.getByRole("menuitem", { name: /Globex Consulting/ }).click();
    await page.getByRole("button", { name: /Workspace: Globex Consulting/ }).waitFor();
    const scope = () => device.core.scope();
    const MIN = 60_000;
    const now = clockNow();
    const prompt = page.getByRole("dialog", { name: "You were away" });
    const entry = (id: string) => device.core.tracker.list(scope()).find((e) => e.id === id);

    const kept = device.core.tracker.start(scope(), { description: "Long call" }, now - 300 * MIN);
    device.core.idle.report(scope(), now - 290 * MIN);
    await prompt.waitFor();
    await screenshots(page, "11-idle-prompt");
    await expectAccessible("idle prompt");
    await prompt.getByRole("button", { name: /Keep it/ }).click();
    await prompt.waitFor({ state: "detached" });
    expect(entry(kept.id)).toMatchObject({ start: now - 300 * MIN, end: null });
    device.core.tracker.stop(scope(), now - 280 * MIN);

    const discarded = device.core.tracker.start(scope(), { description: "Reading" }, now - 270 * MIN);
    device.core.idle.report(scope(), now - 250 * MIN);
    await prompt.getByRole("button", { name: /Discard it and stop/ }).click();
    await prompt.waitFor({ state: "detached" });
    expect(entry(discarded.id)).toMatchObject({ end: now - 250 * MIN });
    expect(device.core.tracker.running(scope())).toBeNull();

    const continued = device.core.tracker.start(scope(), { description: "Writing" }, now - 240 * MIN);
    device.core.idle.report(scope(), now - 230 * MIN);
    await prompt.getByRole("button", { name: /Discard it and continue/ }).click();
    await prompt.waitFor({ state: "detached" });
    expect(entry(continued.id)).toMatchObject({ end: now - 230 * MIN });
    const fresh = device.core.tracker.running(scope());
    expect(fresh).toMatchObject({ description: "Writing", end: null });
    expect(fresh!.start).toBeGreaterThanOrEqual(now);
    await expect.poll(() => page.getByTestId("timer-description").inputValue()).toBe("Writing");
    await page.getByTestId("timer-toggle").click();
    await page.getByTestId("timer-toggle").filter({ hasText: "Start" }).waitFor();
  });
});
