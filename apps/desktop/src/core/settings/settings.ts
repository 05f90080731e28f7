import Conf from "conf";
import { defaultPreferences, type Preferences } from "./preferences.js";

/** What the desktop remembers between runs (besides its SQLite data). */
export interface Settings {
  serverUrl: string;
  /** This device's id for sync: one person's; someone else signing in on the device gets a new one. */
  clientId: string;
  /** The person `clientId` belongs to, once someone has signed in with it. */
  deviceOwner: { userId: string; email: string } | null;
  deviceName: string;
  currentWorkspaceId: string | null;
  syncIntervalSeconds: number;
  /** The signed-in user; `token` is sealed by the SecretBox. */
  session: { userId: string; email: string; name: string; token: string } | null;
  /** The user's workspaces as last fetched, so the app can switch between them offline. */
  workspaces: { workspaceId: string; name: string; role: string }[];
  /** The person's choices in the Settings screen (idle, reminders, shortcut...). */
  preferences: Preferences;
}

/**
 * Settings storage. In the app it is electron-store (main/settings-store.ts);
 * under plain Node (tests, the browser-served UI) it is `conf`, which
 * electron-store wraps: same file format, same API.
 */
export interface SettingsStore {
  get<K extends keyof Settings>(key: K): Settings[K];
  set<K extends keyof Settings>(key: K, value: Settings[K]): void;
}

export function defaultSettings(clientId: string, deviceName: string): Settings {
  return {
    serverUrl: "http://127.0.0.1:4100",
    clientId,
    deviceOwner: null,
    deviceName,
    currentWorkspaceId: null,
    syncIntervalSeconds: 60,
    session: null,
    workspaces: [],
    preferences: defaultPreferences,
  };
}

/** The Node-side store: a JSON file in `dir`. */
export function nodeSettingsStore(dir: string, defaults: Settings): SettingsStore {
  const conf = new Conf<Settings>({ cwd: dir, configName: "settings", projectName: "hoursync", defaults });
  return {
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
  };
}
