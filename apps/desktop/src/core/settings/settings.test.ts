import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultSettings, nodeSettingsStore } from "./settings.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "hoursync-settings-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const defaults = defaultSettings("client-1", "Alice's laptop");
const session = { userId: "u1", email: "alice@example.com", name: "Alice", token: "plain:secret" };

describe("nodeSettingsStore", () => {
  it("returns the defaults in a fresh folder", () => {
    const store = nodeSettingsStore(dir, defaults);
    expect(store.get("clientId")).toBe("client-1");
    expect(store.get("deviceName")).toBe("Alice's laptop");
    expect(store.get("serverUrl")).toBe("http://127.0.0.1:4100");
    expect(store.get("syncIntervalSeconds")).toBe(60);
    expect(store.get("session")).toBeNull();
    expect(store.get("currentWorkspaceId")).toBeNull();
    expect(store.get("workspaces")).toEqual([]);
  });

  it("persists values across instances on the same folder, in settings.json", () => {
    const first = nodeSettingsStore(dir, defaults);
    first.set("session", session);
    first.set("currentWorkspaceId", "ws-1");
    first.set("workspaces", [{ workspaceId: "ws-1", name: "Acme", role: "member" }]);

    const file = path.join(dir, "settings.json");
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ currentWorkspaceId: "ws-1" });

    // A later run passes fresh defaults (e.g. a new random client id): stored values win.
    const second = nodeSettingsStore(dir, defaultSettings("client-2", "renamed"));
    expect(second.get("session")).toEqual(session);
    expect(second.get("currentWorkspaceId")).toBe("ws-1");
    expect(second.get("workspaces")).toEqual([{ workspaceId: "ws-1", name: "Acme", role: "member" }]);
    expect(second.get("clientId")).toBe("client-1");
  });

  it("persists clearing a value back to null", () => {
    nodeSettingsStore(dir, defaults).set("session", session);
    nodeSettingsStore(dir, defaults).set("session", null);
    expect(nodeSettingsStore(dir, defaults).get("session")).toBeNull();
  });

  it("keeps folders apart", () => {
    nodeSettingsStore(dir, defaults).set("serverUrl", "https://hoursync.example");
    const other = mkdtempSync(path.join(tmpdir(), "hoursync-settings-"));
    try {
      expect(nodeSettingsStore(other, defaults).get("serverUrl")).toBe("http://127.0.0.1:4100");
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
