import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpBridge } from "../../apps/desktop/src/core/api/http-bridge.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";

let device: Device;
let rendererDir: string;
let bridge: Awaited<ReturnType<typeof startHttpBridge>>;

beforeAll(async () => {
  // A renderer build's shape: the page, and its files under assets/ named by their content's hash.
  rendererDir = mkdtempSync(path.join(os.tmpdir(), "hoursync-renderer-"));
  mkdirSync(path.join(rendererDir, "assets"));
  writeFileSync(path.join(rendererDir, "index.html"), '<script type="module" src="./assets/index-Ab12Cd34.js"></script>');
  writeFileSync(path.join(rendererDir, "assets", "index-Ab12Cd34.js"), "export {};");
  device = createDevice({ serverUrl: "http://127.0.0.1:9" });
  bridge = await startHttpBridge(device.core, { rendererDir });
});
afterAll(async () => {
  await bridge.app.close();
  device.close();
  removeDeviceFiles(device);
  rmSync(rendererDir, { recursive: true, force: true });
});

describe("the renderer's files over the HTTP bridge", () => {
  it("lets the browser keep the hashed assets (and V8's compiled code with them), and asks for the page every time", async () => {
    const origin = new URL(bridge.url).origin;
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const script = await fetch(`${origin}/assets/index-Ab12Cd34.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toBe("export {};");
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
  });
});
