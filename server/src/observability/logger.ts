import pino, { type DestinationStream, type Logger } from "pino";
import { currentRequest } from "./request-context.js";

/**
 * Fields that hold secrets wherever they appear in a logged object: credentials, tokens, and
 * attachment file names (a receipt's name can say who was seen where).
 */
const SECRET_FIELDS = ["authorization", "cookie", "password", "passwordHash", "token", "attachmentName", "originalName"];

export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  'req.headers["x-hoursync-attachment"]',
  "req.headers.authorization",
  "req.headers.cookie",
];

/**
 * The server's one logger: JSON lines (pino), each line of a request carrying its request id, and
 * its workspace and user once they are known; secrets redacted by field name.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      mixin: () => {
        const request = currentRequest();
        return request ? { requestId: request.requestId, workspaceId: request.workspaceId, userId: request.userId } : {};
      },
    },
    destination,
  );
}
