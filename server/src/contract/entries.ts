import { z } from "zod";
import { id, instant as timestamp, page, text } from "./common.js";

/** What an entry says it was about. */
export const description = text(2000);

const entryFields = {
  projectId: id.nullable().default(null),
  taskId: id.nullable().default(null),
  description: description.default(""),
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
    description: description.optional(),
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
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "from must not be after to", path: ["to"] })
  // Called with no filter at all, it lists the caller's (or everyone's) latest entries.
  .prefault({});

export type EntryCreate = z.infer<typeof entryCreate>;
export type EntryUpdate = z.infer<typeof entryUpdate>;
export type EntryPut = z.infer<typeof entryPut>;
