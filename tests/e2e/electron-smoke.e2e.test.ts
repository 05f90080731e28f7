/**
 * The real Electron app, where an Electron binary exists (any machine where `npm install` could
 * download it): the window opens, the person signs in and starts and stops the timer. Where there
 * is no binary, the test is skipped and says why (the same UI is covered in Chromium by
 * employee-day.e2e.test.ts).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { _electron as electron } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM helper shared with the install and start scripts
import { electronBinary } from "../../scripts/electron-binary.mjs";
import { createCompany } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";

const binary = electronBinary() as { path: string | null; reason?: string };
if (!binary.path) console.warn(`Electron smoke test skipped: ${binary.reason}.`);

let server: TestServer | undefined;
const userData = mkdtempSync(path.join(os.tmpdir(), "hoursync-electron-"));
afterAll(async () => {
  await server?.close();
  rmSync(userData, { recursive: true, force: true });
});

describe("the Electron app (real binary)", () => {
  it.skipIf(!binary.path)("opens its window, signs in, starts and stops the timer", async () => {
    const root = path.resolve(import.meta.dirname, "../..");
    execFileSync(path.join(root, "node_modules/.bin/electron-vite"), ["build"], { cwd: root, stdio: "ignore" });
    server = await startTestServer();
    const acme = await createCompany(server, "Acme");
    const app = await electron.launch({
      executablePath: binary.path!,
      args: [path.join(root, "out/main/index.js"), `--user-data-dir=${userData}`, "--no-sandbox"],
      env: { ...process.env, HOURSYNC_SERVER_URL: server.url },
    });
    try {
      const page = await app.firstWindow();
      await page.getByLabel("E-mail").fill(acme.owner.email);
      await page.getByLabel("Password").fill("correct horse battery staple");
      await page.getByRole("button", { name: "Sign in" }).click();
      const input = page.getByRole("combobox", { name: "What are you working on?" });
      await input.fill("From Electron");
      await input.press("Enter");
      await page.getByTestId("timer-toggle").filter({ hasText: "Stop" }).waitFor();
      await page.getByTestId("timer-toggle").click();
      await page.getByTestId("timer-toggle").filter({ hasText: "Start" }).waitFor();
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe("undefined");
    } finally {
      await app.close();
    }
  });
});
