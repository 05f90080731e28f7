import { contextBridge, ipcRenderer } from "electron";

/** The renderer's only door: one call into the local API (superjson text both ways). */
contextBridge.exposeInMainWorld("hoursync", {
  call: (path: string, input: string) => ipcRenderer.invoke("hoursync:local-api", { path, input }),
});
