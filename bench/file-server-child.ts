/**
 * The server of the attachment benchmark, in its own process so its memory
 * is measured apart from the client's. Messages: "reset" starts a new peak
 * window, "peak" answers the highest resident memory above the window's
 * start (MB), "stop" ends the process.
 */
import { signUpOwner, startServer } from "./sync-throughput.js";

const kind = process.argv[2] === "pglite" ? "pglite" : "postgres";
const server = await startServer(kind, { ATTACHMENT_MAX_BYTES: process.argv[3] ?? String(64 * 1024 * 1024) });
const { api, ...signup } = await signUpOwner(server, "Bench Files");
const entry = await api.entries.create.mutate({ start: new Date("2026-03-02T09:00:00Z"), end: new Date("2026-03-02T10:00:00Z") });

let base = process.memoryUsage().rss;
let peak = base;
setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 10).unref();

process.on("message", async (msg) => {
  if (msg === "reset") {
    base = process.memoryUsage().rss;
    peak = base;
    process.send!({ reset: true });
  } else if (msg === "peak") {
    process.send!({ peakMB: (Math.max(peak, process.memoryUsage().rss) - base) / 1024 / 1024 });
  } else if (msg === "stop") {
    await server.stop();
    process.exit(0);
  }
});
process.send!({ url: server.url, token: signup.token, workspaceId: signup.workspaceId, entryId: entry.id });
