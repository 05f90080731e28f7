import { contextBridge } from "electron";

contextBridge.exposeInMainWorld("hoursync", { version: 1 });
