/**
 * The Electron shell's adapters against a FAKE `electron` module (no Electron binary here): the
 * window's security settings and navigation guard, the IPC sender check, the tray menu, the global
 * shortcut and the idle monitor, each wired to a real core (real SQLite) on a device whose
 * session is set directly (no server needed: everything here is local).
 */
import type { EventEmitter } from "node:events";
import type { BrowserWindow as ElectronWindow } from "electron";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";

const fake = vi.hoisted(() => ({
  windows: [] as FakeWindow[],
  handlers: new Map<string, (event: unknown, req: unknown) => Promise<unknown>>(),
  opened: [] as string[],
  shortcuts: new Map<string, () => void>(),
  idleSeconds: 0,
  power: null as unknown as EventEmitter,
  saveDialogs: [] as { parent: unknown; options: { defaultPath: string; filters: unknown } }[],
  saveAnswer: { canceled: true, filePath: "" } as { canceled: boolean; filePath: string },
}));

interface FakeWindow {
  options: { webPreferences: Record<string, unknown>; minWidth: number; minHeight: number };
  webContents: { handlers: Map<string, (...args: unknown[]) => void>; openHandler: (d: { url: string }) => { action: string }; mainFrame: object; sent: unknown[] };
}

vi.mock("electron", async () => {
  const { EventEmitter: Emitter } = await import("node:events");
  fake.power = Object.assign(new Emitter(), { getSystemIdleTime: () => fake.idleSeconds });
  class BrowserWindow extends Emitter {
    options: FakeWindow["options"];
    webContents: FakeWindow["webContents"] & Record<string, unknown>;
    constructor(options: FakeWindow["options"]) {
      super();
      this.options = options;
      const handlers = new Map<string, (...args: unknown[]) => void>();
      this.webContents = {
        handlers,
        mainFrame: {},
        sent: [],
        openHandler: () => ({ action: "allow" }),
        on: (event: string, fn: (...args: unknown[]) => void) => handlers.set(event, fn),
        setWindowOpenHandler(fn: FakeWindow["webContents"]["openHandler"]) {
          this.openHandler = fn;
        },
        getURL: () => "file:///app/index.html",
        send(channel: string, data: unknown) {
          this.sent.push([channel, data]);
        },
      };
      fake.windows.push(this as unknown as FakeWindow);
    }
    loadFile() {
      return Promise.resolve();
    }
    loadURL() {
      return Promise.resolve();
    }
    maximize() {}
    isDestroyed() {
      return false;
    }
  }
  const electron = {
    BrowserWindow,
    shell: { openExternal: async (url: string) => void fake.opened.push(url) },
    ipcMain: { handle: (channel: string, fn: (event: unknown, req: unknown) => Promise<unknown>) => fake.handlers.set(channel, fn), removeHandler: () => {} },
    globalShortcut: {
      register: (accel: string, fn: () => void) => (fake.shortcuts.set(accel, fn), true),
      unregister: (accel: string) => fake.shortcuts.delete(accel),
    },
    powerMonitor: fake.power,
    Menu: { buildFromTemplate: (t: unknown) => t },
    app: { getPath: (name: string) => `/home/e/${name === "downloads" ? "Downloads" : name}` },
    dialog: {
      showSaveDialog: async (...args: unknown[]) => {
        const options = args.at(-1) as (typeof fake.saveDialogs)[number]["options"];
        fake.saveDialogs.push({ parent: args.length > 1 ? args[0] : null, options });
        return fake.saveAnswer;
      },
    },
    nativeImage: { createFromDataURL: () => ({}) },
  };
  return { ...electron, default: electron };
});

let device: Device;
beforeAll(() => {
  device = createDevice({ serverUrl: "http://127.0.0.1:9" });
  // Signed in as far as the device knows (a session with a workspace): the work here is local.
  const settings = (device.core as unknown as { settings: { set: (k: string, v: unknown) => void } }).settings;
  settings.set("session", { userId: "00000000-0000-4000-8000-000000000001", email: "e@example.test", name: "E", token: "t" });
  settings.set("currentWorkspaceId", "00000000-0000-4000-8000-0000000000aa");
});
afterAll(() => {
  device.close();
  removeDeviceFiles(device);
});

describe("Electron shell (fake electron module: no Electron binary here)", () => {
  it("opens a window with context isolation, the sandbox, no Node, and a 1024x640 minimum", async () => {
    const { createMainWindow } = await import("../../apps/desktop/src/main/main-window.js");
    createMainWindow({ bounds: { width: 1200, height: 780, maximized: false }, show: true, onBoundsChange: () => {} });
    const prefs = fake.windows[0]!.options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(fake.windows[0]!.options).toMatchObject({ minWidth: 1024, minHeight: 640 });
  });

  it("denies navigation and new windows; only http(s) links go to the system browser", () => {
    const contents = fake.windows[0]!.webContents;
    const navigate = (url: string) => {
      const event = { prevented: false, preventDefault() {
        this.prevented = true;
      } };
      contents.handlers.get("will-navigate")!(event, url);
      return event.prevented;
    };
    expect(navigate("https://example.com/help")).toBe(true);
    expect(navigate("file:///etc/passwd")).toBe(true);
    expect(navigate("file:///app/index.html")).toBe(false);
    expect(contents.openHandler({ url: "https://example.com/docs" })).toEqual({ action: "deny" });
    expect(contents.openHandler({ url: "javascript:alert(1)" })).toEqual({ action: "deny" });
    expect(fake.opened).toEqual(["https://example.com/help", "https://example.com/docs"]);
  });

  it("answers IPC only from the app's own window and frame, and forwards change events to it", async () => {
    const { serveLocalApiOverIpc } = await import("../../apps/desktop/src/main/local-api-ipc.js");
    const win = fake.windows[0]! as unknown as ElectronWindow;
    serveLocalApiOverIpc(device.core, () => win);
    const handler = fake.handlers.get("hoursync:local-api")!;
    const req = { path: "session.status", input: superjson.stringify(undefined) };
    const stranger = (await handler({ sender: {}, senderFrame: {} }, req)) as { ok: boolean; error?: { code: string } };
    expect(stranger).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const subFrame = (await handler({ sender: win.webContents, senderFrame: {} }, req)) as { ok: boolean };
    expect(subFrame.ok).toBe(false);
    const own = (await handler({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, req)) as { ok: true; data: string };
    expect(own.ok).toBe(true);
    expect((superjson.parse(own.data) as { user: { email: string } }).user.email).toBe("e@example.test");
    device.core.changes.emit(["entries"]);
    expect((fake.windows[0]!.webContents.sent.at(-1) as [string, string])[0]).toBe("hoursync:changes");
  });

  it("asks where to save an export with the system's save dialog over the app's window, starting in Downloads", async () => {
    const { installSaveDialog } = await import("../../apps/desktop/src/main/save-dialog.js");
    const win = fake.windows[0]! as unknown as ElectronWindow;
    const dispose = installSaveDialog(device.core, () => win);
    const pick = device.core.exports.savePicker!;
    fake.saveAnswer = { canceled: false, filePath: "/home/e/Documents/march.csv" };
    expect(await pick("hoursync-report-day-2026-03-01-2026-03-31.csv")).toBe("/home/e/Documents/march.csv");
    expect(fake.saveDialogs[0]).toEqual({
      parent: win,
      options: expect.objectContaining({ defaultPath: "/home/e/Downloads/hoursync-report-day-2026-03-01-2026-03-31.csv", filters: [{ name: "CSV", extensions: ["csv"] }] }),
    });
    fake.saveAnswer = { canceled: true, filePath: "" };
    expect(await pick("x.csv")).toBeNull();
    dispose();
    // Without the shell (browser mode) exports become downloads through the HTTP bridge.
    expect(device.core.exports.savePicker).toBeNull();
  });

  it("builds the tray menu from the timer: running entry, Stop, continue one of the last five, Quit says the timer keeps running", async () => {
    const { trayMenu } = await import("../../apps/desktop/src/main/tray.js");
    const scope = device.core.scope();
    const hour = 3_600_000;
    const base = Date.now() - 10 * hour;
    for (const [i, d] of ["a", "b", "a", "c", "d", "e", "f"].entries()) {
      device.core.tracker.createManual(scope, { description: d, start: base + i * hour, end: base + i * hour + 30 * 60_000 });
    }
    const idle = trayMenu(device.core, { show: () => {}, quit: () => {} });
    expect(idle[0]).toMatchObject({ label: "No timer running" });
    const continueMenu = idle.find((i) => i.label === "Continue")!.submenu as { label: string; click: () => void }[];
    expect(continueMenu.map((i) => i.label)).toEqual(["f", "e", "d", "c", "a"]);
    continueMenu[0]!.click();
    const running = trayMenu(device.core, { show: () => {}, quit: () => {} });
    expect(running[0]!.label).toMatch(/^● f {2}0:0\d$/);
    expect(running.map((i) => i.label)).toContain("Stop timer");
    expect(running.at(-1)!.label).toBe("Quit (the timer keeps running)");
    (running.find((i) => i.label === "Stop timer")!.click as () => void)();
    expect(device.core.tracker.running(scope)).toBeNull();
  });

  it("registers the start/stop shortcut from the settings and toggles the timer with it", async () => {
    const { installShortcut } = await import("../../apps/desktop/src/main/shortcut.js");
    const errors: string[] = [];
    const dispose = installShortcut(device.core, (m) => errors.push(m));
    const press = fake.shortcuts.get("CommandOrControl+Shift+Space")!;
    press();
    expect(device.core.tracker.running(device.core.scope())?.description).toBe("f");
    press();
    expect(device.core.tracker.running(device.core.scope())).toBeNull();
    device.core.updatePreferences({ globalShortcut: "Alt+F9" });
    expect([...fake.shortcuts.keys()]).toEqual(["Alt+F9"]);
    dispose();
    expect(errors).toEqual([]);
  });

  it("feeds the system idle time to the idle policy and raises the question in the core", async () => {
    const { installIdleMonitor } = await import("../../apps/desktop/src/main/idle-monitor.js");
    const scope = device.core.scope();
    // The last hour is cleared of the earlier tests' entries, so a timer can have started an hour ago.
    for (const e of device.core.tracker.list(scope, { from: Date.now() - 2 * 3_600_000 })) device.core.tracker.remove(scope, e.id);
    device.core.tracker.start(scope, { description: "deep work" }, Date.now() - 60 * 60_000);
    let asked = 0;
    fake.idleSeconds = 5;
    const dispose = installIdleMonitor(device.core, () => asked++, 5);
    await new Promise((r) => setTimeout(r, 30));
    expect(device.core.idle.pending()).toBeNull();
    fake.idleSeconds = 11 * 60;
    await vi.waitFor(() => expect(asked).toBeGreaterThan(0));
    const pending = device.core.idle.pending()!;
    expect(Date.now() - pending.since).toBeGreaterThanOrEqual(11 * 60_000);
    dispose();
    device.core.idle.answer(scope, "discard");
    expect(device.core.tracker.running(scope)).toBeNull();
  });
});
