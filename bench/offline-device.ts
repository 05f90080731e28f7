/**
 * The reconnecting device of the sync benchmark, in a worker thread: a real
 * desktop core on its own SQLite file, doing its share of the work (reading
 * the outbox, applying answers and pulled changes) on its own thread, as on
 * the person's computer. Messages: "prepare" signs in, syncs, then records
 * `count` entries offline; "sync" syncs once and answers how long it took
 * and what is left pending.
 */
import { rmSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { createDevice } from "../tests/support/device.js";

const { url, email, password, count } = workerData as { url: string; email: string; password: string; count: number };
const device = createDevice({ serverUrl: url });

parentPort!.on("message", async (step: "prepare" | "sync" | "close") => {
  if (step === "prepare") {
    await device.core.logIn({ serverUrl: url, email, password });
    await device.core.syncNow();
    const scope = device.core.scope();
    const offlineBase = Date.UTC(2029, 0, 1);
    for (let i = 0; i < count; i++) {
      device.core.tracker.createManual(scope, { start: offlineBase + i * 600_000, end: offlineBase + i * 600_000 + 300_000 });
    }
    parentPort!.postMessage({ pending: device.core.syncStatus(scope.workspaceId).pending });
  } else if (step === "sync") {
    const t = performance.now();
    await device.core.syncNow();
    const seconds = (performance.now() - t) / 1000;
    parentPort!.postMessage({ seconds, pending: device.core.syncStatus(device.core.scope().workspaceId).pending });
  } else {
    device.close();
    rmSync(device.dir, { recursive: true, force: true });
    parentPort!.postMessage({});
  }
});
