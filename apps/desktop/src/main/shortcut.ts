import { globalShortcut } from "electron";
import type { DesktopCore } from "../core/desktop-core.js";

/** Start/stop from anywhere with the person's shortcut (default Ctrl/Cmd+Shift+Space); re-registered when it changes. */
export function installShortcut(core: DesktopCore, onError: (message: string) => void): () => void {
  let current: string | null = null;
  const toggle = () => {
    try {
      const scope = core.scope();
      if (core.tracker.running(scope)) core.tracker.stop(scope);
      else core.tracker.resumeLast(scope);
      core.changes.emit(["entries", "sync"]);
    } catch (err) {
      onError(err instanceof Error ? err.message : String(err));
    }
  };
  const apply = () => {
    const wanted = core.preferences().globalShortcut;
    if (wanted === current) return;
    if (current) globalShortcut.unregister(current);
    current = null;
    try {
      if (globalShortcut.register(wanted, toggle)) current = wanted;
      else onError(`The shortcut ${wanted} is taken by another program`);
    } catch {
      onError(`The shortcut ${wanted} is not valid`);
    }
  };
  apply();
  const stop = core.changes.subscribe((e) => e.topics.includes("settings") && apply());
  return () => {
    stop();
    if (current) globalShortcut.unregister(current);
  };
}
