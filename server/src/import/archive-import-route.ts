import type { FastifyInstance } from "fastify";
import { HttpProblem, problemOf } from "../http/problem.js";
import { annotateRequest } from "../observability/request-context.js";
import { RateLimitedError } from "../rate-limit/errors.js";
import { requestInfo, type Services } from "../trpc/context.js";
import { signedInUser } from "../trpc/procedures.js";
import { importWorkspaceArchive } from "./archive-import.js";
import { ArchiveImportSlots } from "./archive-import-slots.js";

/**
 * POST /import/workspace: the body is a zip made by GET /export/workspace.zip
 * (any server's). Any signed-in person may import; the archive becomes a
 * new workspace they own, whatever workspace the request names: an import
 * never writes into an existing one. 201 with the new workspace's id and
 * counts; a refused archive gets 400/413/415 with a reason and the server
 * keeps nothing of it.
 */
export function registerArchiveImportRoute(app: FastifyInstance, services: Services): void {
  const settings = services.archiveImport;
  const slots = new ArchiveImportSlots(settings.maxRunning);
  void app.register(async (scope) => {
    // The body is streamed to disk by the importer, under its own byte limit: nothing here parses or buffers it.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, _payload, done) => done(null));
    scope.post("/import/workspace", async (req, reply) => {
      try {
        const user = await signedInUser(services, requestInfo(req.headers, req.ip).token);
        if (!user) throw new HttpProblem(401, "Sign in first");
        annotateRequest({ userId: user.userId });
        const type = String(req.headers["content-type"] ?? "").split(";")[0]!.trim();
        if (type !== "application/zip" && type !== "application/octet-stream") {
          throw new HttpProblem(415, "Send the archive as application/zip", { reason: "UNSUPPORTED_TYPE" });
        }
        const result = await slots.run(user.userId, () =>
          importWorkspaceArchive({
            prisma: services.db.prisma,
            files: services.attachments,
            limits: settings,
            importer: { userId: user.userId, email: user.email },
            body: req.raw,
          }),
        );
        services.log("info", "workspace imported", { userId: user.userId, workspaceId: result.workspaceId });
        return await reply.code(201).send(result);
      } catch (err) {
        const problem = problemOf(err);
        if (err instanceof RateLimitedError) services.metrics.refused(err.scope);
        // Refused before the whole body arrived: the rest is still on its way, so the connection ends after the answer.
        if (!req.raw.complete) void reply.header("connection", "close");
        if (!problem && !req.raw.complete) {
          // The client went away mid-upload: nothing was kept, and nobody is left to answer.
          services.log("info", "import upload ended early", { path: "/import/workspace" });
          return reply.code(400).send({ error: "The upload ended early", reason: "MALFORMED" });
        }
        if (!problem) {
          services.log("error", "internal error", { path: "/import/workspace", error: String(err) });
          return reply.code(500).send({ error: "Internal server error" });
        }
        return reply
          .code(problem.status)
          .headers(problem.headers)
          .send({ error: problem.message, ...problem.extra });
      }
    });
  });
}
