import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Chromium (156) loads its own address-bar popup, a web page in a renderer process of its own, in
 * every new browser window, so in every new context: about half a second of CPU on these 2-core
 * machines, spent while the page under test loads. An app window has no address bar. (Chromium
 * keeps only the last `--disable-features`: a caller that needs another must list these too.)
 */
const NO_ADDRESS_BAR_POPUP = "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup";

/** Debian's Chromium with the flags these machines need (no sandbox as root, no GPU, no background traffic, no address-bar popup). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", NO_ADDRESS_BAR_POPUP, ...extraArgs],
  });
}

export const ARTIFACTS = path.resolve(import.meta.dirname, "../../../test-artifacts/e2e");

const SIZES = [
  { width: 1024, height: 640 },
  { width: 1440, height: 900 },
] as const;

/** Pictures of a screen at both sizes, light and dark, under test-artifacts/e2e (restores 1024x640 light after). */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.waitForTimeout(100);
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${size.width}x${size.height}-${scheme}.png`) });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize(SIZES[0]);
}

/** Serious and critical accessibility violations on the page as it is now (axe-core). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(" ")} ${n.html.slice(0, 200)}`).slice(0, 3).join(", ")}`);
}
