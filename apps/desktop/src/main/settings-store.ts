import Store from "electron-store";
import type { Settings, SettingsStore } from "../core/settings/settings.js";

/** Settings in the app's userData folder through electron-store (the same file format `conf` writes under Node). */
export function electronSettingsStore(defaults: Settings): SettingsStore {
  const store = new Store<Settings>({ name: "settings", defaults });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
  };
}
