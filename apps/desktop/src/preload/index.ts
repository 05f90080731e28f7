import { contextBridge, ipcRenderer, type IpcRendererEvent } from "electron";

/**
 * The renderer's only door: one call into the local API (superjson text both ways) and the core's
 * change events. Nothing else of Electron or Node reaches the page.
 */
contextBridge.exposeInMainWorld("hoursync", {
  call: (path: string, input: string) => ipcRenderer.invoke("hoursync:local-api", { path, input }),
  onChange: (listener: (event: string) => void) => {
    const handler = (_event: IpcRendererEvent, change: string) => listener(change);
    ipcRenderer.on("hoursync:changes", handler);
    return () => ipcRenderer.off("hoursync:changes", handler);
  },
});
