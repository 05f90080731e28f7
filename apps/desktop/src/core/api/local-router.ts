import { initTRPC, TRPCError } from "@trpc/server";
import { wireFormat } from "@hoursync/contract/wire-format";
import { z } from "zod";
import { attachFromBytes, attachmentContent, MAX_RENDERER_FILE_BYTES } from "../attachments/renderer-files.js";
import type { DesktopCore } from "../desktop-core.js";
import { LocalError, ServerRefusal, type LocalErrorCode } from "../errors.js";
import type { ChangeTopic } from "../events/change-feed.js";
import { exportRequest } from "../exports/export-request.js";
import { preferencesSchema } from "../settings/preferences.js";
import { syncSoon } from "../sync/sync-soon.js";
import { suggestEntries } from "../timer/suggestions.js";
import { submitPeriod } from "../timesheet/submit-period.js";
import { reviewedAttachment } from "../online/review-attachment.js";

export interface LocalContext {
  core: DesktopCore;
}

const CODE: Record<LocalErrorCode, TRPCError["code"]> = {
  VALIDATION: "BAD_REQUEST",
  OVERLAP: "CONFLICT",
  LOCKED_PERIOD: "CONFLICT",
  NOT_FOUND: "NOT_FOUND",
  TIMER_RUNNING: "CONFLICT",
  NO_TIMER: "NOT_FOUND",
  NOT_SIGNED_IN: "UNAUTHORIZED",
  NO_WORKSPACE: "PRECONDITION_FAILED",
  UNSYNCED_CHANGES: "PRECONDITION_FAILED",
  FILE: "BAD_REQUEST",
  SERVER: "BAD_GATEWAY",
  OFFLINE: "SERVICE_UNAVAILABLE",
  REFUSED: "BAD_REQUEST",
};

const t = initTRPC.context<LocalContext>().create({
  isDev: false,
  transformer: wireFormat,
  errorFormatter({ shape, error }) {
    const local = error.cause instanceof LocalError ? error.cause : null;
    return {
      ...shape,
      message: error.code === "INTERNAL_SERVER_ERROR" && !local ? "Something went wrong" : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        // A server refusal keeps the server's own reason (LAST_OWNER, IN_USE...), else its code.
        reason: local instanceof ServerRefusal ? (local.serverReason ?? local.status) : (local?.code ?? null),
        fieldErrors: local?.fieldErrors ?? (error.cause instanceof z.ZodError ? z.flattenError(error.cause).fieldErrors : null),
      },
    };
  },
});

/** What each group's writes change, so open screens refresh exactly that. */
const WRITES: Record<string, ChangeTopic[]> = {
  session: ["session", "entries", "catalog", "attachments", "sync"],
  timer: ["entries", "sync"],
  entries: ["entries", "sync"],
  attachments: ["attachments", "sync"],
  sync: ["sync", "entries", "attachments"],
  preferences: ["settings"],
  idle: ["settings", "entries", "sync"],
  online: ["online", "session"],
  timesheet: ["online", "sync"],
  review: [],
  exports: ["exports"],
};

/** Groups whose writes queue changes for the server. */
const LOCAL_WRITES = new Set(["timer", "entries", "attachments", "idle"]);

/**
 * LocalErrors become typed tRPC errors that keep their reason; a successful write tells the
 * change feed, so every open window refreshes (no polling).
 */
const proc = t.procedure.use(async ({ ctx, next, type, path }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof LocalError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause instanceof ServerRefusal ? cause.status : CODE[cause.code], message: cause.message, cause });
  }
  if (result.ok && type === "mutation") {
    const group = path.split(".")[0]!;
    ctx.core.changes.emit(WRITES[group] ?? ["entries"]);
    if (LOCAL_WRITES.has(group)) syncSoon(ctx.core);
  }
  return result;
});

const when = z.number().int().nonnegative();
/** An invitation's token as the server mints it: "<workspace id>.<secret>". */
const invitationToken = z.string().trim().min(10).max(200);
const details = z.object({
  projectId: z.string().nullable().optional(),
  taskId: z.string().nullable().optional(),
  description: z.string().optional(),
  billable: z.boolean().optional(),
  tagIds: z.array(z.string()).optional(),
});

/** The API the renderer calls (over IPC in Electron, over HTTP in a browser). */
export const localRouter = t.router({
  session: t.router({
    status: proc.query(({ ctx }) => ctx.core.status()),
    logIn: proc
      .input(
        z.object({
          serverUrl: z.url(),
          email: z.string().min(1),
          password: z.string().min(1),
          /** Another person's unsynced changes on this device may be discarded to sign in. */
          discardUnsynced: z.boolean().optional(),
          /** Joins that workspace on the way in (the token from an invitation link). */
          invitationToken: invitationToken.optional(),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        const status = await ctx.core.logIn(input);
        ctx.core.startBackgroundSync();
        void ctx.core.syncNow().catch(() => undefined);
        return status;
      }),
    /** Asks for an account; the server mails a code for `confirmSignUp`. */
    signUp: proc
      .input(
        z.object({
          serverUrl: z.url(),
          email: z.string().min(1).max(320),
          password: z.string().min(1).max(200),
          name: z.string().min(1).max(200),
          invitationToken: invitationToken.optional(),
          workspaceName: z.string().min(1).max(200).optional(),
        }),
      )
      .mutation(({ ctx, input }) => ctx.core.signUp(input)),
    confirmSignUp: proc
      .input(z.object({ serverUrl: z.url(), code: z.string().trim().min(10).max(200), discardUnsynced: z.boolean().optional() }))
      .mutation(async ({ ctx, input }) => {
        const status = await ctx.core.confirmSignUp(input);
        ctx.core.startBackgroundSync();
        void ctx.core.syncNow().catch(() => undefined);
        return status;
      }),
    logOut: proc
      .input(z.object({ discardUnsynced: z.boolean().default(false) }))
      .mutation(({ ctx, input }) => ctx.core.logOut(input.discardUnsynced)),
    refreshWorkspaces: proc.mutation(({ ctx }) => ctx.core.refreshWorkspaces()),
    /** Joins another workspace with an invitation (signed in already), then works in it. */
    acceptInvitation: proc.input(z.object({ invitationToken })).mutation(async ({ ctx, input }) => {
      const status = await ctx.core.acceptInvitation(input.invitationToken);
      void ctx.core.syncNow().catch(() => undefined);
      return status;
    }),
    selectWorkspace: proc.input(z.object({ workspaceId: z.string() })).mutation(({ ctx, input }) => {
      const status = ctx.core.selectWorkspace(input.workspaceId);
      // A sync already under way covers only the previous workspace: then one more brings this one
      // in, also when that one failed (its failure may be the other workspace's alone).
      const pulled = () => ctx.core.syncState.get(input.workspaceId).lastSyncedAt !== null;
      void ctx.core
        .syncNow()
        .catch(() => undefined)
        .then(() => (pulled() ? undefined : ctx.core.syncNow()))
        .catch(() => undefined);
      return status;
    }),
    forgetWorkspace: proc
      .input(z.object({ workspaceId: z.string(), discardUnsynced: z.boolean().default(false) }))
      .mutation(({ ctx, input }) => ctx.core.forgetWorkspace(input.workspaceId, input.discardUnsynced)),
  }),

  timer: t.router({
    running: proc.query(({ ctx }) => ctx.core.tracker.running(ctx.core.scope())),
    start: proc.input(details).mutation(({ ctx, input }) => ctx.core.tracker.start(ctx.core.scope(), input)),
    stop: proc.mutation(({ ctx }) => ctx.core.tracker.stop(ctx.core.scope())),
    switch: proc.input(details).mutation(({ ctx, input }) => ctx.core.tracker.switchTo(ctx.core.scope(), input)),
    resume: proc.mutation(({ ctx }) => ctx.core.tracker.resumeLast(ctx.core.scope())),
  }),

  entries: t.router({
    list: proc
      .input(z.object({ from: when.optional(), to: when.optional() }))
      .query(({ ctx, input }) => ctx.core.tracker.list(ctx.core.scope(), input)),
    create: proc
      .input(details.extend({ start: when, end: when }))
      .mutation(({ ctx, input }) => ctx.core.tracker.createManual(ctx.core.scope(), input)),
    update: proc
      .input(z.object({ id: z.string(), changes: details.extend({ start: when.optional(), end: when.nullable().optional() }) }))
      .mutation(({ ctx, input }) => ctx.core.tracker.update(ctx.core.scope(), input.id, input.changes)),
    duplicate: proc
      .input(z.object({ id: z.string(), start: when.optional() }))
      .mutation(({ ctx, input }) => ctx.core.tracker.duplicate(ctx.core.scope(), input.id, input.start)),
    delete: proc.input(z.object({ id: z.string() })).mutation(({ ctx, input }) => {
      ctx.core.tracker.remove(ctx.core.scope(), input.id);
      return { ok: true as const };
    }),
    /** Undo of a delete: the same entry (id, tags, files) comes back while its deletion is still held. */
    restore: proc.input(z.object({ id: z.string() })).mutation(({ ctx, input }) => ctx.core.tracker.restore(ctx.core.scope(), input.id)),
    /** Past entries matching what is typed in the timer bar. */
    suggestions: proc
      .input(z.object({ text: z.string().max(200), limit: z.number().int().min(1).max(50).optional() }))
      .query(({ ctx, input }) => suggestEntries(ctx.core.db, ctx.core.scope(), input.text, input.limit)),
  }),

  catalog: t.router({
    projects: proc.query(({ ctx }) => ctx.core.catalog.projects(ctx.core.scope().workspaceId)),
    tasks: proc
      .input(z.object({ projectId: z.string().optional() }))
      .query(({ ctx, input }) => ctx.core.catalog.tasks(ctx.core.scope().workspaceId, input.projectId)),
    tags: proc.query(({ ctx }) => ctx.core.catalog.tags(ctx.core.scope().workspaceId)),
    clients: proc.query(({ ctx }) => ctx.core.catalog.clients(ctx.core.scope().workspaceId)),
    /** What locks the person's time (rules and approved periods); `lockCheckerOf` in the contract applies it. */
    locks: proc.query(({ ctx }) => ctx.core.catalog.lockState(ctx.core.scope().workspaceId)),
  }),

  attachments: t.router({
    list: proc
      .input(z.object({ entryId: z.uuid() }))
      .query(({ ctx, input }) => ctx.core.attachments.list(ctx.core.scope(), input.entryId)),
    /** `path`: an absolute path the user picked; the file is copied, so it may change or go afterwards. */
    attach: proc
      .input(z.object({ entryId: z.uuid(), path: z.string().min(1).max(4096), name: z.string().optional() }))
      .mutation(({ ctx, input }) => ctx.core.attachments.attach(ctx.core.scope(), input)),
    download: proc
      .input(z.object({ id: z.uuid() }))
      .mutation(({ ctx, input }) => ctx.core.attachments.download(ctx.core.scope(), input.id)),
    remove: proc.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => {
      ctx.core.attachments.remove(ctx.core.scope(), input.id);
      return { ok: true as const };
    }),
    /** A file the renderer read itself (file input): a sandboxed window or a browser has no paths. */
    attachBytes: proc
      .input(
        z.object({
          entryId: z.uuid(),
          name: z.string().min(1).max(255),
          base64: z.string().max(Math.ceil((MAX_RENDERER_FILE_BYTES * 4) / 3) + 4, "The file is larger than 25 MB"),
        }),
      )
      .mutation(({ ctx, input }) => attachFromBytes(ctx.core.attachments, ctx.core.scope(), input)),
    /** The file's bytes to open in the app (downloaded first when only the server has it). */
    content: proc.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => attachmentContent(ctx.core.attachments, ctx.core.scope(), input.id)),
  }),

  sync: t.router({
    status: proc.query(({ ctx }) => ctx.core.syncStatus(ctx.core.scope().workspaceId)),
    now: proc.mutation(async ({ ctx }) => {
      try {
        return await ctx.core.syncNow();
      } catch (err) {
        throw new LocalError("SERVER", err instanceof Error ? err.message : "Sync failed");
      }
    }),
    discard: proc
      .input(z.object({ mutationId: z.number().int() }))
      .mutation(({ ctx, input }) => ctx.core.discardRejected(ctx.core.scope().workspaceId, input.mutationId)),
  }),

  /**
   * The views that need the server: any procedure of the server's online routers, by path, with
   * the core's session (the window never holds the token). The server decides who may do what;
   * renderer/lib/server.ts types these calls from the server's AppRouter.
   */
  online: t.router({
    query: proc
      .input(z.object({ path: z.string().max(100), input: z.unknown() }))
      .query(({ ctx, input }) => ctx.core.online.query(ctx.core.scope().workspaceId, input.path, input.input)),
    mutate: proc.input(z.object({ path: z.string().max(100), input: z.unknown() })).mutation(async ({ ctx, input }) => {
      const answer = await ctx.core.online.mutate(ctx.core.scope().workspaceId, input.path, input.input);
      // What changed on the server (a project, a decision, a role) reaches the device's store now.
      void ctx.core.refreshWorkspaces().catch(() => undefined);
      syncSoon(ctx.core);
      return answer;
    }),
  }),

  timesheet: t.router({
    /** Submits a period after syncing its unsynced changes, or says why it cannot (offline, refused changes). */
    submit: proc
      .input(z.object({ periodStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A date like 2026-03-02") }))
      .mutation(({ ctx, input }) => submitPeriod(ctx.core, input.periodStart)),
  }),

  review: t.router({
    /** A file on an entry of someone's timesheet, through the server's download route (the server decides who may). */
    attachment: proc.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => reviewedAttachment(ctx.core.transport, ctx.core.scope().workspaceId, input.id)),
  }),

  /**
   * CSV exports through the server's export routes with the core's session: saved where the
   * person picks (Electron's save dialog) or, in a browser, fetched once from `downloadPath` on
   * the HTTP bridge. `start` answers null when the save dialog was cancelled.
   */
  exports: t.router({
    start: proc.input(exportRequest).mutation(({ ctx, input }) => ctx.core.exports.start(ctx.core.scope(), input)),
    progress: proc.input(z.object({ id: z.uuid() })).query(({ ctx, input }) => ctx.core.exports.progress(input.id)),
  }),

  preferences: t.router({
    get: proc.query(({ ctx }) => ctx.core.preferences()),
    update: proc
      .input(preferencesSchema.partial().extend({ syncIntervalSeconds: z.number().int().min(15).max(3600).optional() }))
      .mutation(({ ctx, input }) => ctx.core.updatePreferences(input)),
  }),

  idle: t.router({
    /** The open idle question, if any (idle time from the system, or sleep). */
    pending: proc.query(({ ctx }) => {
      const pending = ctx.core.idle.pending();
      return pending && pending.workspaceId === ctx.core.scope().workspaceId ? pending : null;
    }),
    answer: proc
      .input(z.object({ answer: z.enum(["keep", "discard", "discard-and-continue"]) }))
      .mutation(({ ctx, input }) => ctx.core.idle.answer(ctx.core.scope(), input.answer)),
  }),

  events: t.router({
    /** Fires after local writes and around syncs: the renderer refreshes its queries on it. */
    changes: t.procedure.subscription(async function* ({ ctx, signal }) {
      yield* ctx.core.changes.stream(signal);
    }),
  }),
});

export type LocalRouter = typeof localRouter;
export const createLocalCaller = t.createCallerFactory(localRouter);
