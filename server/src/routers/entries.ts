import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { id } from "../contract/common.js";
import { entryCreate, entryFilter, entryUpdate } from "../contract/entries.js";
import type { TenantDb } from "../db/tenant.js";
import { router } from "../trpc/init.js";
import { tenantProcedure, type Member } from "../trpc/procedures.js";
import { invalidateProjectTotals } from "./project-totals.js";

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Time entry not found" });

const SEES_ALL = new Set(["OWNER", "ADMIN", "MANAGER"]);
const EDITS_ALL = new Set(["OWNER", "ADMIN"]);

const withTags = { tags: { select: { tagId: true } } } as const;

type EntryRow = Awaited<ReturnType<TenantDb["timeEntry"]["findFirstOrThrow"]>> & { tags: { tagId: string }[] };

function present(e: EntryRow) {
  const { tags, ...rest } = e;
  return { ...rest, tagIds: tags.map((t) => t.tagId) };
}

/** The entry if the member may change it: their own, or any for admins. Else NOT_FOUND (no hint it exists). */
async function editableEntry(db: TenantDb, tenantId: string, member: Member, entryId: string) {
  const entry = await db.timeEntry.findFirst({ where: { tenantId, id: entryId }, include: withTags });
  if (!entry) throw notFound();
  if (entry.userId !== member.userId && !EDITS_ALL.has(member.role)) throw notFound();
  return entry;
}

/** Checks that project, task and tags exist in this workspace and fit together. */
async function assertReferences(
  db: TenantDb,
  tenantId: string,
  ref: { projectId: string | null; taskId: string | null; tagIds: string[] },
) {
  if (ref.projectId) {
    const project = await db.project.findFirst({ where: { tenantId, id: ref.projectId } });
    if (!project) throw new TRPCError({ code: "NOT_FOUND", message: "Project not found" });
    if (project.archived) throw new TRPCError({ code: "BAD_REQUEST", message: "This project is archived" });
  }
  if (ref.taskId) {
    const task = await db.task.findFirst({ where: { tenantId, id: ref.taskId } });
    if (!task) throw new TRPCError({ code: "NOT_FOUND", message: "Task not found" });
    if (task.projectId !== ref.projectId) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "The task belongs to another project" });
    }
  }
  const tagIds = [...new Set(ref.tagIds)];
  if (tagIds.length) {
    const found = await db.tag.count({ where: { tenantId, id: { in: tagIds } } });
    if (found !== tagIds.length) throw new TRPCError({ code: "NOT_FOUND", message: "Tag not found" });
  }
}

async function setTags(db: TenantDb, tenantId: string, entryId: string, tagIds: string[]) {
  await db.timeEntryTag.deleteMany({ where: { tenantId, entryId } });
  const unique = [...new Set(tagIds)];
  if (unique.length) {
    await db.timeEntryTag.createMany({ data: unique.map((tagId) => ({ tenantId, entryId, tagId })) });
  }
}

export const entriesRouter = router({
  /** Employees see their own entries; managers and up see everyone's. */
  list: tenantProcedure.input(entryFilter).query(async ({ ctx, input }) => {
    const seesAll = SEES_ALL.has(ctx.member.role);
    if (!seesAll && input.userId && input.userId !== ctx.member.userId) {
      throw new TRPCError({ code: "FORBIDDEN", message: "You can only see your own entries" });
    }
    const userId = seesAll ? input.userId : ctx.member.userId;
    const rows = await ctx.db.timeEntry.findMany({
      where: {
        tenantId: ctx.tenantId,
        ...(userId ? { userId } : {}),
        ...(input.projectId ? { projectId: input.projectId } : {}),
        ...(input.from || input.to
          ? { start: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lt: input.to } : {}) } }
          : {}),
      },
      include: withTags,
      orderBy: [{ start: "desc" }, { id: "asc" }],
      skip: input.page.cursor,
      take: input.page.limit + 1,
    });
    const more = rows.length > input.page.limit;
    return {
      items: (more ? rows.slice(0, input.page.limit) : rows).map(present),
      nextCursor: more ? input.page.cursor + input.page.limit : null,
    };
  }),

  get: tenantProcedure.input(z.object({ id })).query(async ({ ctx, input }) => {
    const entry = await ctx.db.timeEntry.findFirst({ where: { tenantId: ctx.tenantId, id: input.id }, include: withTags });
    if (!entry || (entry.userId !== ctx.member.userId && !SEES_ALL.has(ctx.member.role))) throw notFound();
    return present(entry);
  }),

  /** The caller's running timer, if any. */
  running: tenantProcedure.query(async ({ ctx }) => {
    const entry = await ctx.db.timeEntry.findFirst({
      where: { tenantId: ctx.tenantId, userId: ctx.member.userId, end: null },
      include: withTags,
    });
    return entry ? present(entry) : null;
  }),

  create: tenantProcedure.input(entryCreate).mutation(async ({ ctx, input }) => {
    await assertReferences(ctx.db, ctx.tenantId, input);
    const { tagIds, ...fields } = input;
    const entry = await ctx.db.timeEntry.create({
      data: { ...fields, tenantId: ctx.tenantId, id: input.id ?? randomUUID(), userId: ctx.member.userId },
    });
    await setTags(ctx.db, ctx.tenantId, entry.id, tagIds);
    invalidateProjectTotals(ctx);
    return { ...entry, tagIds: [...new Set(tagIds)] };
  }),

  update: tenantProcedure.input(entryUpdate).mutation(async ({ ctx, input }) => {
    const current = await editableEntry(ctx.db, ctx.tenantId, ctx.member, input.id);
    const { id: entryId, tagIds, ...changes } = input;
    const next = {
      start: changes.start ?? current.start,
      end: changes.end === undefined ? current.end : changes.end,
      projectId: changes.projectId === undefined ? current.projectId : changes.projectId,
      taskId: changes.taskId === undefined ? current.taskId : changes.taskId,
    };
    if (next.end !== null && next.end <= next.start) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "End must be after start" });
    }
    await assertReferences(ctx.db, ctx.tenantId, {
      projectId: next.projectId,
      taskId: next.taskId,
      tagIds: tagIds ?? [],
    });
    const entry = await ctx.db.timeEntry.update({
      where: { tenantId_id: { tenantId: ctx.tenantId, id: entryId } },
      data: changes,
    });
    if (tagIds) await setTags(ctx.db, ctx.tenantId, entryId, tagIds);
    invalidateProjectTotals(ctx);
    return { ...entry, tagIds: tagIds ? [...new Set(tagIds)] : current.tags.map((t) => t.tagId) };
  }),

  /** Stops the caller's running timer at `end` (default: now). */
  stop: tenantProcedure
    .input(z.object({ end: z.coerce.date().optional() }))
    .mutation(async ({ ctx, input }) => {
      const running = await ctx.db.timeEntry.findFirst({
        where: { tenantId: ctx.tenantId, userId: ctx.member.userId, end: null },
      });
      if (!running) throw new TRPCError({ code: "NOT_FOUND", message: "No timer is running" });
      const end = input.end ?? new Date();
      if (end <= running.start) throw new TRPCError({ code: "BAD_REQUEST", message: "End must be after start" });
      const entry = await ctx.db.timeEntry.update({
        where: { tenantId_id: { tenantId: ctx.tenantId, id: running.id } },
        data: { end },
      });
      invalidateProjectTotals(ctx);
      return entry;
    }),

  delete: tenantProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    await editableEntry(ctx.db, ctx.tenantId, ctx.member, input.id);
    await ctx.db.timeEntry.delete({ where: { tenantId_id: { tenantId: ctx.tenantId, id: input.id } } });
    invalidateProjectTotals(ctx);
    return { ok: true as const };
  }),
});
