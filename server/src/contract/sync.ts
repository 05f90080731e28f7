import { z } from "zod";
import { id } from "./common.js";
import { entryPut } from "./entries.js";

/** The mutations a device may push, with the shape of their args. */
export const mutationArgs = {
  /** Create or replace one of the caller's entries with this full state. */
  "entry.put": entryPut,
  "entry.delete": z.object({ id }),
} as const;

export type MutationName = keyof typeof mutationArgs;

export const MAX_PUSH_BATCH = 1000;
export const MAX_PULL_PAGE = 5000;

export const registerClientInput = z.object({ clientId: id, name: z.string().trim().min(1).max(200) });

export const pushInput = z.object({
  clientId: id,
  mutations: z
    .array(
      z.object({
        mutationId: z.number().int().positive(),
        // Checked per mutation, so one bad mutation is rejected alone instead of failing the batch.
        name: z.string().max(100),
        args: z.unknown(),
      }),
    )
    .min(1)
    .max(MAX_PUSH_BATCH)
    .refine((ms) => ms.every((m, i) => i === 0 || m.mutationId > ms[i - 1]!.mutationId), {
      message: "Mutation ids must increase",
    }),
});

export const pullInput = z.object({
  cursor: z.number().int().min(0),
  /** The pulling device: entries it wrote itself, unchanged since, are left out (it holds them). */
  clientId: id.optional(),
  limit: z.number().int().min(1).max(MAX_PULL_PAGE).default(1000),
});

export const rejectReasons = [
  "VALIDATION",
  "LOCKED_PERIOD",
  "FORBIDDEN",
  "CONFLICT",
  "NOT_FOUND",
  // Attachment uploads (sent by the device one by one, in outbox order).
  "TOO_LARGE",
  "UNSUPPORTED_TYPE",
  "QUOTA_EXCEEDED",
] as const;
export type RejectReason = (typeof rejectReasons)[number];

export type MutationResult =
  | { mutationId: number; status: "applied" }
  | { mutationId: number; status: "rejected"; reason: RejectReason; message: string };
