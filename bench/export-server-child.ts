/**
 * The server of the workspace-export benchmark, in its own process so its
 * memory is measured apart from the client's. It makes a workspace per size
 * given (entries, comma-separated), then answers "reset" (a new
 * peak window), "peak" (highest resident memory above the window's start,
 * and the heap still in use after a collection, MB) and "stop".
 */
import { randomUUID } from "node:crypto";
import { withTenant } from "../server/src/db/tenant.js";
import { signUpOwner, startServer } from "./sync-throughput.js";

const kind = process.argv[2] === "pglite" ? "pglite" : "postgres";
const sizes = (process.argv[3] ?? "1000,200000").split(",").map(Number);
const server = await startServer(kind);
const HOUR = 3_600_000;
const BATCH = 5000;

async function workspaceWith(entries: number) {
  const { api, ...signup } = await signUpOwner(server, `Bench Export ${entries}`);
  const tenantId = signup.workspaceId;
  const project = await api.projects.create.mutate({ name: "Bench project" });
  const origin = Date.UTC(2000, 0, 1);
  for (let done = 0; done < entries; done += BATCH) {
    const n = Math.min(BATCH, entries - done);
    await withTenant(server.services.db.prisma, tenantId, (db) =>
      db.timeEntry.createMany({
        data: Array.from({ length: n }, (_, i) => {
          const start = new Date(origin + (done + i) * HOUR);
          return {
            tenantId,
            id: randomUUID(),
            userId: signup.user.id,
            projectId: project.id,
            description: `Entry ${done + i}: reviewed the quarterly figures with the client`,
            start,
            end: new Date(start.getTime() + HOUR / 2),
          };
        }),
      }),
    );
  }
  return { token: signup.token, workspaceId: tenantId };
}

const workspaces = [];
for (const n of sizes) workspaces.push(await workspaceWith(n));

let base = process.memoryUsage().rss;
let peak = base;
let baseHeap = process.memoryUsage().heapUsed;
setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 10).unref();

process.on("message", async (msg) => {
  if (msg === "reset") {
    global.gc?.();
    base = process.memoryUsage().rss;
    peak = base;
    baseHeap = process.memoryUsage().heapUsed;
    process.send!({ reset: true });
  } else if (msg === "peak") {
    const peakMB = (Math.max(peak, process.memoryUsage().rss) - base) / 1024 / 1024;
    global.gc?.();
    // What the export left behind once garbage is collected: a leak shows here, collector slack does not.
    process.send!({ peakMB, retainedMB: (process.memoryUsage().heapUsed - baseHeap) / 1024 / 1024 });
  } else if (msg === "stop") {
    await server.stop();
    process.exit(0);
  }
});
process.send!({ url: server.url, workspaces });
