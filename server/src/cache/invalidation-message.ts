import { z } from "zod";

/** What one server process tells the others on the invalidation channel (read as untrusted input). */
export const invalidationMessage = z.union([
  z.object({
    /** The sending process, which skips its own messages. */
    from: z.string().min(1).max(64),
    tenantId: z.string().regex(/^[0-9a-f-]{36}$/i),
    /** The part of the tenant's entries dropped; empty = all of them. */
    name: z.array(z.string().max(200)).max(16),
  }),
  /** Sent after a publisher lost more invalidations than it could keep: every process drops everything. */
  z.object({ from: z.string().min(1).max(64), all: z.literal(true) }),
]);

export type Invalidation = z.infer<typeof invalidationMessage>;
