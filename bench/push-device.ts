/**
 * The pushing device of the sync benchmark, in a worker thread: a device
 * builds and serializes its batches on the person's computer, not on the
 * server, so that work must not take turns with the server's on one thread.
 * Messages: { from, to, base } pushes entries `from`..`to` of the series at
 * `base` as one batch and answers the round trip in ms.
 */
import { parentPort, workerData } from "node:worker_threads";
import { serverClient } from "../apps/desktop/src/core/sync/server-transport.js";
import { benchEntries } from "./bench-entries.js";

const { url, token, workspaceId, clientId } = workerData as { url: string; token: string; workspaceId: string; clientId: string };
const api = serverClient(url, { token: () => token, workspaceId });
let mutationId = 0;

parentPort!.on("message", async (batch: { from: number; to: number; base: number }) => {
  const mutations = benchEntries(batch.base, batch.from, batch.to).map((e) => ({
    mutationId: ++mutationId,
    name: "entry.put",
    args: { id: e.id, start: e.start.toISOString(), end: e.end!.toISOString(), description: e.description },
  }));
  const t = performance.now();
  const answer = await api.sync.push.mutate({ clientId, mutations });
  const ms = performance.now() - t;
  const refused = answer.results.filter((r) => r.status !== "applied").length;
  parentPort!.postMessage({ ms, refused });
});
