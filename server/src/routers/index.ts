import { router } from "../trpc/init.js";
import { authRouter } from "./auth.js";
import { clientsRouter } from "./clients.js";
import { csvImportRouter } from "./csv-import.js";
import { attachmentsRouter } from "./attachments.js";
import { entriesRouter } from "./entries.js";
import { healthRouter } from "./health.js";
import { membersRouter } from "./members.js";
import { notificationsRouter } from "./notifications.js";
import { projectsRouter } from "./projects.js";
import { reportsRouter } from "./reports.js";
import { syncRouter } from "./sync.js";
import { tagsRouter } from "./tags.js";
import { tasksRouter } from "./tasks.js";
import { timesheetsRouter } from "./timesheets.js";
import { workspaceRouter } from "./workspace.js";

export const appRouter = router({
  health: healthRouter,
  auth: authRouter,
  workspace: workspaceRouter,
  members: membersRouter,
  clients: clientsRouter,
  projects: projectsRouter,
  tasks: tasksRouter,
  tags: tagsRouter,
  entries: entriesRouter,
  attachments: attachmentsRouter,
  sync: syncRouter,
  timesheets: timesheetsRouter,
  reports: reportsRouter,
  notifications: notificationsRouter,
  csvImport: csvImportRouter,
});

/** The API contract the desktop imports (as a type only). */
export type AppRouter = typeof appRouter;

/** Procedures that run without a tenant. Everything else must be tenant-scoped. */
export const TENANTLESS_PROCEDURES = [
  "health.check",
  "auth.signUp",
  "auth.confirmSignUp",
  "auth.logIn",
  "auth.logOut",
  "auth.logOutEverywhere",
  "auth.me",
  "auth.workspaces",
  "auth.createWorkspace",
  "auth.acceptInvitation",
] as const;
