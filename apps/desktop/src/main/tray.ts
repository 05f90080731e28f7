import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from "electron";
import type { DesktopCore } from "../core/desktop-core.js";
import type { LocalEntry } from "../core/store/entries.js";
import { timerFacts } from "./timer-facts.js";

// A 16x16 clock-ish dot; a template image follows the menu bar's colour on macOS.
const ICON =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAQUlEQVR4nGNgoBH4jwNTpJkoQwgpwiuPTZJYMZwmEy1OcwPQ5Yk2AN0QsgzAZyj1DCDFEJLTAsmWUJSUCRlCfQAAQf1QsBKWqJwAAAAASUVORK5CYII=";

function elapsed(ms: number): string {
  const m = Math.max(0, Math.floor(ms / 60_000));
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}`;
}

/** The last five different things worked on, to continue with one click. */
export function lastDistinct(entries: LocalEntry[], n = 5): LocalEntry[] {
  const seen = new Set<string>();
  const out: LocalEntry[] = [];
  for (const e of entries) {
    const key = `${e.description}\u0000${e.projectId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
    if (out.length === n) break;
  }
  return out;
}

/** The tray menu for the timer as it is now (a pure function of the core's state: tested without a tray). */
export function trayMenu(core: DesktopCore, actions: { show: () => void; quit: () => void }, now = Date.now()): MenuItemConstructorOptions[] {
  const facts = timerFacts(core);
  if (!facts) return [{ label: "Signed out", enabled: false }, { type: "separator" }, { label: "Show Hoursync", click: actions.show }, { label: "Quit", click: actions.quit }];
  const scope = core.scope();
  const running = facts.running;
  const details = (e: LocalEntry) => ({ description: e.description, projectId: e.projectId, taskId: e.taskId, tagIds: e.tagIds, billable: e.billable });
  return [
    running
      ? { label: `● ${running.description || "(no description)"}  ${elapsed(now - running.start)}`, enabled: false }
      : { label: "No timer running", enabled: false },
    running
      ? { label: "Stop timer", click: () => core.tracker.stop(scope) }
      : { label: "Start timer", click: () => core.tracker.start(scope, {}) },
    {
      label: "Continue",
      submenu: lastDistinct(facts.recent).map((e) => ({
        label: e.description || "(no description)",
        click: () => (core.tracker.running(scope) ? core.tracker.switchTo(scope, details(e)) : core.tracker.start(scope, details(e))),
      })),
    },
    { type: "separator" },
    { label: "Show Hoursync", click: actions.show },
    { label: "Sync now", click: () => void core.syncNow().catch(() => undefined) },
    { type: "separator" },
    { label: running ? "Quit (the timer keeps running)" : "Quit", click: actions.quit },
  ];
}

/** The tray icon: its menu and tooltip follow the timer (on every core change and each minute). */
export function installTray(core: DesktopCore, actions: { show: () => void; quit: () => void }): () => void {
  const tray = new Tray(nativeImage.createFromDataURL(ICON));
  const refresh = () => {
    // Writes from the tray go around the local API: tell open windows, too.
    const wrapped = trayMenu(core, actions).map((item) => withNotify(core, item));
    tray.setContextMenu(Menu.buildFromTemplate(wrapped));
    const facts = timerFacts(core);
    tray.setToolTip(facts?.running ? `Hoursync: ${facts.running.description || "timer running"}` : "Hoursync");
  };
  refresh();
  const stop = core.changes.subscribe(refresh);
  const minute = setInterval(refresh, 60_000);
  tray.on("click", actions.show);
  return () => {
    stop();
    clearInterval(minute);
    tray.destroy();
  };
}

function withNotify(core: DesktopCore, item: MenuItemConstructorOptions): MenuItemConstructorOptions {
  const click = item.click;
  const submenu = Array.isArray(item.submenu) ? item.submenu.map((s) => withNotify(core, s)) : item.submenu;
  if (!click) return { ...item, submenu };
  return {
    ...item,
    submenu,
    click: (...args) => {
      (click as (...a: unknown[]) => void)(...args);
      core.changes.emit(["entries", "sync"]);
    },
  };
}
