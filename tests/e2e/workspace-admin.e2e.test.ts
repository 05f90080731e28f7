/**
 * An admin runs the workspace from the app: invites a new member (who joins from a second device
 * with the copied link), changes a project's rate (and the server's report amount follows), and
 * adds a project that reaches the Track screen. The new member, an employee, sees no Workspace
 * screen and is refused a direct call of one through the local API. Real server, two real cores
 * behind their HTTP bridges, Debian's Chromium; axe and screenshots on every admin screen.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHttpBridge } from "../../apps/desktop/src/core/api/http-bridge.js";
import { at } from "../support/api.js";
import { exportArchive, importArchive } from "../support/archive-import.js";
import { TOGGL_HEADER } from "../support/csv-import.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";
import { createCompany, TEST_PASSWORD, type Company, type Person } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { ARTIFACTS, launchChromium, screenshots, seriousViolations } from "./support/browser.js";
import { buildRendererFor, E2E_RENDERER_DIR } from "./support/renderer.js";

const RENDERER_DIR = path.join(E2E_RENDERER_DIR, "..", "renderer-workspace-admin");
const NEWCOMER = `newcomer-${Date.now()}@example.test`;

let server: TestServer;
let company: Company;
let admin: Person;
let websiteId: string;
const devices: Device[] = [];
const bridges: Awaited<ReturnType<typeof startHttpBridge>>[] = [];
let browser: Browser;
let adminPage: Page;
let newcomerPage: Page;

beforeAll(async () => {
  const [, srv] = await Promise.all([buildRendererFor(RENDERER_DIR), startTestServer()]);
  server = srv;
  company = await createCompany(server, "Northwind Works");
  await company.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000, hourlyRateCents: 5000 });
  admin = await company.hire("ADMIN", "ada");
  const website = await admin.api.projects.create.mutate({ name: "Website", color: "#0891b2", hourlyRateCents: 10_000 });
  websiteId = website.id;
  await admin.api.tags.create.mutate({ name: "meeting" });
  // Two billable hours on the project: 200.00 at its rate of 100.00.
  await admin.api.entries.create.mutate({ start: at("2026-11-03", 9), end: at("2026-11-03", 11), description: "Landing page", projectId: websiteId, billable: true });

  browser = await launchChromium();
  const pages: Page[] = [];
  for (let i = 0; i < 2; i++) {
    const device = createDevice({ serverUrl: server.url });
    devices.push(device);
    bridges.push(await startHttpBridge(device.core, { rendererDir: RENDERER_DIR }));
    const context = await browser.newContext({ viewport: { width: 1024, height: 640 }, colorScheme: "light" });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    pages.push(page);
  }
  [adminPage, newcomerPage] = pages as [Page, Page];
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const b of bridges) await b.app.close();
  for (const d of devices) {
    d.close();
    removeDeviceFiles(d);
  }
  await server?.close();
  rmSync(RENDERER_DIR, { recursive: true, force: true });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") {
    for (const [who, page] of [["admin", adminPage], ["newcomer", newcomerPage]] as const) {
      await page?.screenshot({ path: path.join(ARTIFACTS, `failed-ws-${who}-${ctx.task.name.slice(0, 30).replace(/\W+/g, "-")}.png`) }).catch(() => undefined);
    }
  }
});

async function expectAccessible(page: Page, screen: string) {
  expect(await seriousViolations(page), `axe on ${screen}`).toEqual([]);
}

async function websiteAmountCents(): Promise<number> {
  const report = await admin.api.reports.summary.query({ from: at("2026-11-01", 0), to: at("2026-12-01", 0), groupBy: "project", projectIds: [websiteId] });
  return report.totals.amountCents;
}

const tab = (name: string) => adminPage.getByRole("tab", { name });
/** A screen's button in the navigation (its name ends with its shortcut). */
const navButton = (page: Page, label: string) => page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: new RegExp(`^${label}\\s*Alt`) });

describe("an admin runs the workspace (Chromium, two real cores, real server)", () => {
  it("invites a new member and shows the link to copy", async () => {
    await adminPage.goto(bridges[0]!.url);
    await adminPage.getByLabel("E-mail").fill(admin.email);
    await adminPage.getByLabel("Password").fill(TEST_PASSWORD);
    await adminPage.getByRole("button", { name: "Sign in" }).click();
    await navButton(adminPage, "Workspace").click();
    await adminPage.getByRole("heading", { name: "Northwind Works" }).waitFor();
    await adminPage.getByRole("cell", { name: /^ada/ }).first().waitFor();

    await adminPage.getByRole("textbox", { name: "E-mail" }).fill("not an address");
    await adminPage.getByRole("button", { name: "Invite", exact: true }).click();
    await adminPage.getByRole("alert").filter({ hasText: "Enter an e-mail address" }).waitFor();
    await adminPage.getByRole("textbox", { name: "E-mail" }).fill(NEWCOMER);
    await adminPage.getByRole("button", { name: "Invite", exact: true }).click();
    const link = await adminPage.getByLabel("Invitation link").inputValue();
    expect(link).toMatch(/^hoursync:\/\/invite\?server=.+&token=/);
    await adminPage.getByRole("listitem").filter({ hasText: NEWCOMER }).waitFor();
    await screenshots(adminPage, "workspace-members");
    await expectAccessible(adminPage, "workspace members");

    // The new member, on their own device: paste the link, sign up, type the mailed code.
    await newcomerPage.goto(bridges[1]!.url);
    await newcomerPage.getByRole("button", { name: /Create an account/ }).click();
    await newcomerPage.getByLabel("Invitation link or token").fill(link);
    await expect.poll(() => newcomerPage.getByLabel("Server").inputValue()).toBe(server.url);
    await newcomerPage.getByLabel("Your name").fill("Nora Newcomer");
    await newcomerPage.getByLabel("E-mail").fill(NEWCOMER);
    await newcomerPage.getByLabel("Password").fill(TEST_PASSWORD);
    await newcomerPage.getByRole("button", { name: "Send me a code" }).click();
    await newcomerPage.getByLabel("Code from the e-mail").waitFor();
    await screenshots(newcomerPage, "sign-up-with-invitation");
    await expectAccessible(newcomerPage, "sign up with an invitation");
    await newcomerPage.getByLabel("Code from the e-mail").fill(server.mailbox.codeFor(NEWCOMER));
    await newcomerPage.getByRole("button", { name: "Create account and sign in" }).click();
    await newcomerPage.getByRole("combobox", { name: "What are you working on?" }).waitFor();
    expect(devices[1]!.core.status().currentWorkspaceId).toBe(company.workspaceId);

    // The admin sees them as a member, no longer as a pending invitation.
    await adminPage.getByRole("tab", { name: "Projects & tasks" }).click();
    await tab("Members").click();
    await adminPage.getByRole("cell", { name: /Nora Newcomer/ }).first().waitFor();
    await adminPage.getByText("No invitations waiting.").waitFor();
  });

  it("the new member is an employee: no Workspace screen, and a direct local API call is refused", async () => {
    await navButton(newcomerPage, "Track").waitFor();
    expect(await navButton(newcomerPage, "Workspace").count()).toBe(0);
    const answer = await newcomerPage.evaluate(async (email) => {
      const res = await fetch("/local-api/online.mutate", {
        method: "POST",
        headers: { "content-type": "application/json", "x-hoursync-local-key": sessionStorage.getItem("hoursync-key") ?? "" },
        body: JSON.stringify({ json: { path: "members.invite", input: { email, role: "ADMIN" } } }),
      });
      return { status: res.status, body: (await res.json()) as { error?: { json?: { data?: { reason?: string } } } } };
    }, "friend@example.test");
    expect(answer.status).toBe(403);
    expect(answer.body.error?.json?.data?.reason).toBe("FORBIDDEN");
    expect((await admin.api.members.invitations.query()).map((i) => i.email)).not.toContain("friend@example.test");
  });

  it("changes a project's rate, and the server's report amount for it follows", async () => {
    expect(await websiteAmountCents()).toBe(20_000);
    await tab("Projects & tasks").click();
    await adminPage.getByRole("button", { name: /Website/ }).click();
    const rate = adminPage.getByRole("form", { name: "Save project" }).getByLabel("Hourly rate");
    await rate.fill("150");
    await adminPage.getByRole("button", { name: "Save project" }).click();
    // The save goes window -> core -> server; on a loaded machine that takes more than the default second.
    await expect.poll(websiteAmountCents, { timeout: 15_000 }).toBe(30_000);
    await adminPage.getByRole("button", { name: /Website.*150/ }).waitFor();
    await screenshots(adminPage, "workspace-projects");
    await expectAccessible(adminPage, "workspace projects");
  });

  it("a new project reaches the Track screen's picker on this device", async () => {
    const create = adminPage.getByRole("form", { name: "Create project" });
    await create.getByLabel("Project name").fill("Research");
    await create.getByRole("button", { name: "Create project" }).click();
    await adminPage.getByRole("button", { name: /Research/ }).waitFor();
    await navButton(adminPage, "Track").click();
    await adminPage.getByRole("button", { name: /^Project:/ }).first().click();
    await adminPage.getByRole("option", { name: /Research/ }).waitFor();
    await adminPage.keyboard.press("Escape");
  });

  it("says a taken tag name in words; settings and the audit log pass axe", async () => {
    await navButton(adminPage, "Workspace").click();
    await tab("Clients & tags").click();
    await adminPage.getByLabel("New tag").fill("meeting");
    await adminPage.getByRole("button", { name: "Add tag" }).click();
    await adminPage.getByRole("alert").filter({ hasText: "A tag with that name already exists. Choose another name." }).waitFor();
    await adminPage.getByLabel("New client").fill("Globex");
    await adminPage.getByRole("button", { name: "Add client" }).click();
    await adminPage.getByLabel("Name of client Globex").waitFor();
    await screenshots(adminPage, "workspace-clients-tags");
    await expectAccessible(adminPage, "workspace clients and tags");

    await tab("Settings").click();
    await adminPage.getByRole("button", { name: "Save settings" }).waitFor();
    await screenshots(adminPage, "workspace-settings");
    await expectAccessible(adminPage, "workspace settings");

    await tab("Audit log").click();
    await adminPage.getByLabel("Person").selectOption({ label: "Nora Newcomer" });
    // Only Nora's own event: her joining.
    await expect.poll(() => adminPage.getByRole("cell", { name: "member.joined" }).count()).toBe(1);
    expect(await adminPage.getByRole("cell", { name: "project.updated" }).count()).toBe(0);
    await adminPage.getByLabel("Person").selectOption({ label: "ada" });
    await adminPage.getByRole("cell", { name: "project.updated" }).first().waitFor();
    await screenshots(adminPage, "workspace-audit-log");
    await expectAccessible(adminPage, "workspace audit log");
  });

  it("imports a Toggl Track CSV: the dry run lists the refused rows and what it makes, then the import lands", async () => {
    const csv = [
      TOGGL_HEADER,
      `ada,${admin.email},,Website,,"Spec, part 2",Yes,2026-11-04,09:00:00,2026-11-04,10:30:00,01:30:00,"meeting, imported",`,
      "Who,stranger@example.test,,,,Ghost,No,2026-11-04,09:00:00,2026-11-04,10:00:00,01:00:00,,",
    ].join("\n");
    await tab("Import").click();
    await adminPage.getByLabel("CSV file").setInputFiles({ name: "toggl.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await adminPage.getByText("toggl.csv: 1 of 2 rows will be imported, 1 refused.").waitFor();
    await adminPage.getByRole("cell", { name: "nobody with the e-mail stranger@example.test is a member of this workspace" }).waitFor();
    await adminPage.getByText("tag imported").waitFor();
    await screenshots(adminPage, "workspace-import-preview");
    await expectAccessible(adminPage, "workspace import preview");
    expect((await admin.api.tags.list.query()).items.map((t) => t.name)).toEqual(["meeting"]);

    await adminPage.getByRole("button", { name: "Import 1 entry" }).click();
    await adminPage.getByText("Imported 1 entry; 1 row was left out (below).").waitFor();
    const landed = await admin.api.entries.list.query({ from: at("2026-11-04", 0), to: at("2026-11-05", 0) });
    expect(landed.items.map((e) => [e.description, e.projectId, e.billable, e.start])).toEqual([["Spec, part 2", websiteId, true, at("2026-11-04", 9)]]);
    await screenshots(adminPage, "workspace-import-done");
  });

  it("a restored archive: its invitations say what they hold, and revoking one that holds time asks first", async () => {
    // The owner's own time, which the restore (by ada) holds for the owner until they accept.
    await company.owner.api.entries.create.mutate({ start: at("2026-11-05", 9), end: at("2026-11-05", 12), description: "Quarterly plan" });
    const restored = await importArchive(server.url, admin.token, await exportArchive(server.url, company.owner.token, company.workspaceId));
    expect(restored.status).toBe(201);
    const restoredId = restored.body.workspaceId as string;
    await server.client({ token: admin.token, workspaceId: restoredId }).workspace.update.mutate({ name: "Northwind restored" });
    await devices[0]!.core.refreshWorkspaces();

    await adminPage.reload();
    await adminPage.getByRole("button", { name: /Workspace: Northwind Works/ }).click();
    await adminPage.getByRole("menuitem", { name: /Northwind restored/ }).click();
    await adminPage.getByRole("button", { name: /Workspace: Northwind restored/ }).waitFor();
    await navButton(adminPage, "Workspace").click();
    await adminPage.getByRole("heading", { name: "Northwind restored" }).waitFor();
    const owners = adminPage.getByRole("listitem").filter({ hasText: company.owner.email });
    await owners.getByText("Holds 1 entry from an imported archive, theirs once they accept").waitFor();
    await screenshots(adminPage, "workspace-members-held");
    await expectAccessible(adminPage, "pending invitations holding time");

    await owners.getByRole("button", { name: `Revoke the invitation for ${company.owner.email}` }).click();
    await owners.getByText("Their 1 entry will be deleted.").waitFor();
    await screenshots(adminPage, "workspace-members-held-revoke");
    await expectAccessible(adminPage, "revoking an invitation that holds time");
    await owners.getByRole("button", { name: "Keep" }).click();
    await owners.getByRole("button", { name: `Revoke the invitation for ${company.owner.email}` }).waitFor();
    const pending = await server.client({ token: admin.token, workspaceId: restoredId }).members.invitations.query();
    expect(pending.filter((i) => i.email === company.owner.email).map((i) => i.held.entries)).toEqual([1]);
  });
});
