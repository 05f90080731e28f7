/**
 * The Electron main process against a FAKE `electron` module: there is no
 * Electron binary on these machines, so this checks the thin wiring (IPC,
 * safeStorage sealing, electron-store settings, connectivity) with stand-ins
 * for Electron's APIs and everything else real (core, SQLite, server, HTTP).
 */
import type { EventEmitter } from "node:events";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCompany, TEST_PASSWORD, type Company } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";

const fake = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, req: unknown) => Promise<unknown>>();
  const state = { online: true, userData: "" };
  return { handlers, state };
});

vi.mock("electron", async () => {
  const { EventEmitter: Emitter } = await import("node:events");
  const appEvents = new Emitter();
  const electron = {
    app: {
      getPath: (name: string) => (name === "userData" ? fake.state.userData : os.tmpdir()),
      getName: () => "Hoursync",
      getVersion: () => "0.0.0-test",
      on: (event: string, fn: () => void) => appEvents.on(event, fn),
      whenReady: () => new Promise(() => {}),
    },
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, req: unknown) => Promise<unknown>) => fake.handlers.set(channel, fn),
      on: () => {},
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      // A reversible stand-in for the OS keychain: what matters is that the stored text is not the token.
      encryptString: (plain: string) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
      decryptString: (buf: Buffer) => Buffer.from([...buf].map((b) => b ^ 0x5a)).toString(),
    },
    net: { isOnline: () => fake.state.online },
    powerMonitor: new Emitter(),
    shell: { openExternal: async () => {} },
    BrowserWindow: class {
      static getAllWindows() {
        return [];
      }
    },
  };
  return { ...electron, default: electron };
});

let server: TestServer;
let acme: Company;
beforeAll(async () => {
  fake.state.userData = mkdtempSync(path.join(os.tmpdir(), "hoursync-userdata-"));
  server = await startTestServer();
  acme = await createCompany(server, "Acme");
});
afterAll(async () => {
  await server.close();
  rmSync(fake.state.userData, { recursive: true, force: true });
});

async function ipc(pathName: string, input?: unknown) {
  const handler = fake.handlers.get("hoursync:local-api");
  if (!handler) throw new Error("no IPC handler registered");
  const res = (await handler({}, { path: pathName, input: superjson.stringify(input) })) as
    | { ok: true; data: string }
    | { ok: false; error: { code: string; message: string } };
  if (!res.ok) throw Object.assign(new Error(res.error.message), { code: res.error.code });
  return superjson.parse(res.data) as Record<string, unknown>;
}

describe("Electron main (fake electron module: no Electron binary here)", () => {
  it("serves the local API over IPC, seals the session token with safeStorage, keeps settings in userData", async () => {
    const { startDesktop } = await import("../../apps/desktop/src/main/index.js");
    const core = startDesktop();
    try {
      expect(await ipc("session.status")).toMatchObject({ user: null, tokenEncrypted: true });
      const signedIn = await ipc("session.logIn", { serverUrl: server.url, email: acme.owner.email, password: TEST_PASSWORD });
      expect(signedIn).toMatchObject({ currentWorkspaceId: acme.workspaceId, tokenEncrypted: true });
      const timer = await ipc("timer.start", { description: "from the window" });
      expect(timer.description).toBe("from the window");
      await expect(ipc("timer.start", {})).rejects.toMatchObject({ code: "CONFLICT" });
      await expect(ipc("no.such.procedure")).rejects.toMatchObject({ code: "NOT_FOUND" });

      const files = readdirSync(fake.state.userData);
      expect(files).toContain("hoursync.sqlite");
      const settingsFile = files.find((f) => f.startsWith("settings") && f.endsWith(".json"))!;
      const stored = JSON.parse(readFileSync(path.join(fake.state.userData, settingsFile), "utf8"));
      expect(stored.session.token).toMatch(/^safe:/);
      expect(stored.session.token).not.toContain("hs_");
      // The sealed token still works: the core opens it for every server call.
      await ipc("sync.now");
      expect((await acme.owner.api.entries.get.query({ id: String(timer.id) })).description).toBe("from the window");
    } finally {
      core.close();
    }
  });

  it("nudges sync when the network comes back or the machine wakes up", async () => {
    const { watchConnectivity } = await import("../../apps/desktop/src/main/connectivity.js");
    const { powerMonitor } = (await import("electron")) as unknown as { powerMonitor: EventEmitter };
    const nudges: string[] = [];
    fake.state.online = false;
    const stop = watchConnectivity(() => nudges.push("nudge"), 5);
    await new Promise((r) => setTimeout(r, 20));
    expect(nudges).toEqual([]);
    fake.state.online = true;
    await new Promise((r) => setTimeout(r, 20));
    expect(nudges).toEqual(["nudge"]);
    powerMonitor.emit("resume");
    expect(nudges).toEqual(["nudge", "nudge"]);
    stop();
    powerMonitor.emit("resume");
    expect(nudges).toHaveLength(2);
  });
});
