import { Readable } from "node:stream";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { FastifyInstance } from "fastify";
import type { AppRouter } from "../routers/index.js";
import type { FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";

type TrpcOptions = FastifyTRPCPluginOptions<AppRouter>["trpcOptions"];

/**
 * `attachments.upload` is a tRPC procedure like the others, but its body is
 * a file. The fastify adapter reads request bodies without backpressure
 * (every chunk is queued as it arrives), so this one path goes through
 * tRPC's fetch adapter with a body that reads from the socket only as fast
 * as the file is written: a 50 MB upload never sits in memory.
 */
export function registerUploadRoute(app: FastifyInstance, path: string, trpc: TrpcOptions): void {
  void app.register(async (scope) => {
    // Leave every body unread: tRPC reads it (and answers a wrong content type in its own shape).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, _payload, done) => done(null));
    scope.post(path, async (req, reply) => {
      const abort = new AbortController();
      reply.raw.once("close", () => abort.abort());
      const request = new Request(new URL(req.url, "http://hoursync.local"), {
        method: "POST",
        headers: req.headers as Record<string, string>,
        body: Readable.toWeb(req.raw) as ReadableStream<Uint8Array>,
        duplex: "half",
        signal: abort.signal,
      } as RequestInit);
      const response = await fetchRequestHandler<AppRouter>({
        endpoint: "/trpc",
        req: request,
        router: trpc.router,
        createContext: () => trpc.createContext!({ req, res: reply, info: undefined as never }),
        responseMeta: trpc.responseMeta,
        onError: (opts) => trpc.onError?.({ ...opts, req } as never),
      });
      const answer = Buffer.from(await response.arrayBuffer());
      reply.code(response.status);
      response.headers.forEach((value, name) => void reply.header(name, value));
      // Refused before the whole file arrived (unknown entry, too large): the rest of the body is still
      // on its way, and the next request on this connection would wait behind it for ever. The answer
      // says so and the connection ends after it.
      if (!req.raw.complete) void reply.header("connection", "close");
      return reply.send(answer);
    });
  });
}
