import { z } from "zod";
import { id, page } from "./common.js";

/** Instants the product deals in: from 1970 to 2100 (PostgreSQL would take more, nobody tracks it). */
const timestamp = z.coerce
  .date()
  .min(new Date("1970-01-01T00:00:00Z"), "Too far in the past")
  .max(new Date("2100-01-01T00:00:00Z"), "Too far in the future");

const entryFields = {
  projectId: id.nullable().default(null),
  taskId: id.nullable().default(null),
  description: z.string().max(2000).default(""),
  billable: z.boolean().default(false),
  tagIds: z.array(id).max(50).default([]),
};

const entryState = z.object({
  id: id.optional(),
  start: timestamp,
  /** null: a running timer. */
  end: timestamp.nullable().default(null),
  ...entryFields,
});

const endAfterStart = (e: { start: Date; end: Date | null }) => e.end === null || e.end > e.start;
const endAfterStartIssue = { message: "End must be after start", path: ["end"] };

export const entryCreate = entryState.refine(endAfterStart, endAfterStartIssue);

/** The full state of an entry with its id: what an offline device pushes. */
export const entryPut = entryState.extend({ id }).refine(endAfterStart, endAfterStartIssue);

export const entryUpdate = z
  .object({
    id,
    start: timestamp.optional(),
    end: timestamp.nullable().optional(),
    projectId: id.nullable().optional(),
    taskId: id.nullable().optional(),
    description: z.string().max(2000).optional(),
    billable: z.boolean().optional(),
    tagIds: z.array(id).max(50).optional(),
  });

export const entryFilter = z
  .object({
    from: timestamp.optional(),
    to: timestamp.optional(),
    userId: id.optional(),
    projectId: id.optional(),
    page: page.default({ limit: 100, cursor: 0 }),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "from must not be after to", path: ["to"] });

export type EntryCreate = z.infer<typeof entryCreate>;
export type EntryUpdate = z.infer<typeof entryUpdate>;
export type EntryPut = z.infer<typeof entryPut>;
