import Store from "electron-store";

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

const DEFAULT: WindowBounds = { width: 1200, height: 780, maximized: false };

/** The window's size and position between runs (its own small file next to the settings). */
export function windowStateStore() {
  const store = new Store<{ bounds: WindowBounds }>({ name: "window-state", defaults: { bounds: DEFAULT } });
  return {
    load: (): WindowBounds => ({ ...DEFAULT, ...store.get("bounds") }),
    save: (bounds: WindowBounds) => store.set("bounds", bounds),
  };
}
