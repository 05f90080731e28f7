import { pullInput, pushInput, registerClientInput, type MutationResult, type RejectReason } from "../contract/sync.js";
import { applyBatch } from "../sync/push-batch.js";
import { pullChanges } from "../sync/pull.js";
import { lockDevice } from "../sync/devices.js";
import { ReasonedError, router } from "../trpc/init.js";
import { tenantProcedure } from "../trpc/procedures.js";
import { purgeRemovedFiles } from "../attachments/purge.js";
import { invalidateTimeFigures } from "./project-totals.js";

/** A device id is one person's: someone else's device must get an id of its own. */
const deviceTaken = () => new ReasonedError("FORBIDDEN", "DEVICE_TAKEN", "This device id belongs to someone else");

export const syncRouter = router({
  /** Registers this device for the signed-in user; answers where its pushes stand. */
  registerClient: tenantProcedure.input(registerClientInput).mutation(async ({ ctx, input }) => {
    const existing = await ctx.db.syncClient.findFirst({ where: { tenantId: ctx.tenantId, id: input.clientId } });
    if (existing && existing.userId !== ctx.member.userId) throw deviceTaken();
    if (existing) {
      await ctx.db.syncClient.update({
        where: { tenantId_id: { tenantId: ctx.tenantId, id: input.clientId } },
        data: { name: input.name, lastSeenAt: new Date() },
      });
      return { lastMutationId: Number(existing.lastMutationId) };
    }
    await ctx.db.syncClient.create({
      data: { tenantId: ctx.tenantId, id: input.clientId, userId: ctx.member.userId, name: input.name },
    });
    return { lastMutationId: 0 };
  }),

  /**
   * Applies a batch in order, in this request's one transaction, and answers
   * every mutation. Mutations seen before get the answer recorded the first
   * time, so a replayed push changes nothing.
   */
  push: tenantProcedure.input(pushInput).mutation(async ({ ctx, input }) => {
    const { tenantId } = ctx;
    const highest = input.mutations[input.mutations.length - 1]!.mutationId;
    const client = await lockDevice(ctx.db, tenantId, ctx.member.userId, input.clientId, highest);
    if (!client) throw new ReasonedError("NOT_FOUND", "UNKNOWN_DEVICE", "Unknown device: register it first");
    if (client.userId !== ctx.member.userId) throw deviceTaken();
    const last = client.lastMutationId;
    const replayed = input.mutations.filter((m) => m.mutationId <= last);
    const fresh = input.mutations.filter((m) => m.mutationId > last);
    const recorded = replayed.length
      ? await ctx.db.syncMutation.findMany({
          where: { tenantId, clientId: input.clientId, mutationId: { in: replayed.map((m) => BigInt(m.mutationId)) } },
        })
      : [];
    const before = new Map(recorded.map((r) => [Number(r.mutationId), r]));
    const actor = { userId: ctx.member.userId, role: ctx.member.role };
    const decided = fresh.length ? await applyBatch(ctx.db, tenantId, actor, fresh) : [];
    if (decided.length) {
      // Only refusals are recorded: a replayed id at or below lastMutationId without a record was applied.
      const refused = decided.filter((r) => r.status === "rejected");
      if (refused.length) {
        await ctx.db.syncMutation.createMany({
          data: refused.map((r) => ({
            tenantId,
            clientId: input.clientId,
            mutationId: BigInt(r.mutationId),
            status: r.status,
            reason: r.reason,
            message: r.message,
          })),
        });
      }
      invalidateTimeFigures(ctx);
      // Deleted entries take their attachments with them; their files go after commit.
      if (fresh.some((m) => m.name === "entry.delete")) ctx.afterCommit(() => purgeRemovedFiles(ctx.services, tenantId));
    }
    const rejected = decided.filter((r) => r.status === "rejected").length;
    // Counted once the batch has committed: a push rolled back decided nothing.
    ctx.afterCommit(() => ctx.services.metrics.pushed({ applied: decided.length - rejected, rejected, replayed: replayed.length }));
    const freshResults = new Map(decided.map((r) => [r.mutationId, r]));
    const results: MutationResult[] = input.mutations.map((m) => {
      const again = before.get(m.mutationId);
      if (again?.status === "rejected") {
        return { mutationId: m.mutationId, status: "rejected", reason: again.reason as RejectReason, message: again.message ?? "" };
      }
      return freshResults.get(m.mutationId) ?? { mutationId: m.mutationId, status: "applied" };
    });
    return { results, lastMutationId: Math.max(last, highest) };
  }),

  /** Changes since the cursor that the caller may see, including deletions, a page at a time. */
  pull: tenantProcedure
    // The pages and the counter the cursor may jump to are read on one snapshot: a push that
    // commits meanwhile is either wholly visible or wholly ahead of the cursor, never skipped.
    .meta({ snapshot: true })
    .input(pullInput)
    .query(({ ctx, input }) =>
      pullChanges(ctx.db, ctx.tenantId, ctx.member.userId, input.cursor, input.limit, input.clientId, {
        onPulled: ({ changes, behind }) => ctx.services.metrics.pulled(changes, behind),
      }),
    ),
});
