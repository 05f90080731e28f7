import { randomBytes, timingSafeEqual } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import Fastify, { type FastifyInstance } from "fastify";
import type { DesktopCore } from "../desktop-core.js";
import { localRouter } from "./local-router.js";

export const LOCAL_KEY_HEADER = "x-hoursync-local-key";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/**
 * Serves the local API (and optionally the built renderer) over HTTP on the
 * loopback interface, for running the real UI in a browser. Every API call
 * must carry the per-launch key, which the page gets from its URL fragment,
 * so other local programs cannot drive the app.
 */
export async function startHttpBridge(
  core: DesktopCore,
  opts: { port?: number; rendererDir?: string; key?: string } = {},
): Promise<{ url: string; key: string; app: FastifyInstance }> {
  const key = opts.key ?? randomBytes(24).toString("base64url");
  const expected = Buffer.from(key);
  // Attachments picked in the renderer arrive as base64 (up to 25 MB of file).
  const app = Fastify({ logger: false, bodyLimit: 40 * 1024 * 1024 });

  app.addHook("onRequest", async (req, reply) => {
    if (!req.url.startsWith("/local-api")) return;
    const given = Buffer.from(String(req.headers[LOCAL_KEY_HEADER] ?? keyFromConnectionParams(req.url)));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      await reply.code(401).send({ error: "Missing or wrong local key" });
    }
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: "/local-api",
    trpcOptions: {
      router: localRouter,
      createContext: () => ({ core }),
      // Keeps the change stream (server-sent events) alive through idle periods, and has the window
      // open it again when nothing (not even a ping) came for a while: a stream that died without
      // closing would otherwise leave every screen deaf to changes. A reconnect reads everything again.
      sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 25_000 } },
    },
  });

  // A finished CSV export, once: the path is an unguessable one-time token the window got from
  // the local API (a navigation cannot carry the local key), and the file goes after it is sent.
  app.get<{ Params: { token: string } }>("/downloads/:token", async (req, reply) => {
    const download = core.exports.takeDownload(req.params.token);
    if (!download) return reply.code(404).send({ error: "This download is gone: export again" });
    const stream = createReadStream(download.file);
    stream.on("close", () => void download.done());
    return reply
      .header("content-type", "text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="${download.fileName.replace(/[^\w.-]/g, "_")}"`)
      .header("cache-control", "no-store")
      .send(stream);
  });

  const rendererDir = opts.rendererDir;
  if (rendererDir) {
    app.get("/*", async (req, reply) => {
      const wanted = decodeURIComponent(req.url.split("?")[0]!.split("#")[0]!);
      const rel = wanted === "/" ? "index.html" : wanted.slice(1);
      const file = path.resolve(rendererDir, rel);
      if (!file.startsWith(path.resolve(rendererDir) + path.sep)) return reply.code(404).send();
      try {
        const body = await readFile(file);
        return reply
          .type(TYPES[path.extname(file)] ?? "application/octet-stream")
          .header("cache-control", cachePolicy(rel))
          .send(body);
      } catch {
        return reply.code(404).send();
      }
    });
  }

  await app.listen({ host: "127.0.0.1", port: opts.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/#key=${key}`, key, app };
}

/**
 * The build names every file under assets/ by its content's hash, so a name never changes content:
 * the browser keeps them, and with them the compiled code V8 caches beside them, which a reload
 * then does not parse and compile again. The page that names them is asked for every time, so a
 * new build is picked up at the next load.
 */
export function cachePolicy(relativePath: string): string {
  return relativePath.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
}

/**
 * An EventSource (the change subscription) cannot send headers, so tRPC's SSE link passes its
 * `connectionParams` in the query string; the key may come from there instead.
 */
function keyFromConnectionParams(url: string): string {
  const raw = new URL(url, "http://local").searchParams.get("connectionParams");
  if (!raw) return "";
  try {
    const params = JSON.parse(raw) as Record<string, unknown>;
    return typeof params.key === "string" ? params.key : "";
  } catch {
    return "";
  }
}
