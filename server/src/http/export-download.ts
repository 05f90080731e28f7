import type { FastifyReply } from "fastify";

/**
 * Takes over the response of an export and sends its head: the body is then
 * written by hand, page by page, so a failure mid-file cuts it short instead
 * of ending in a well-formed but incomplete file.
 */
export function startExportDownload(reply: FastifyReply, contentType: string, filename: string): void {
  reply.hijack();
  reply.raw.writeHead(200, {
    "content-type": contentType,
    "content-disposition": `attachment; filename="${filename}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
}
