/**
 * The API contract shared with the desktop app: zod schemas, constants and
 * types. Imported as `@hoursync/contract`; nothing here touches the database
 * or Node, so the renderer may import it too.
 */
export * from "./common.js";
export * from "./entries.js";
export * from "./sync.js";
export * from "./attachments.js";
export * from "./timesheets.js";
export * from "./reports.js";
export * from "./periods.js";
export * from "./locks.js";
export type { AppRouter } from "../routers/index.js";
export * from "./csv-import.js";
