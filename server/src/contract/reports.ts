import { z } from "zod";
import { id, instant } from "./common.js";
const ids = z.array(id).max(500).optional();

export const reportFilter = z
  .object({
    from: instant,
    to: instant,
    userIds: ids,
    projectIds: ids,
    clientIds: ids,
    tagIds: ids,
    billable: z.boolean().optional(),
  })
  .refine((f) => f.from < f.to, { message: "from must be before to", path: ["to"] });

export const groupings = ["day", "week", "project", "client", "user"] as const;
export type Grouping = (typeof groupings)[number];

export const summaryInput = z.intersection(
  reportFilter,
  z.object({
    groupBy: z.enum(groupings),
    /** Also split each group's hours by project (for a chart stacked by project). */
    stackBy: z.literal("project").optional(),
  }),
);

export type ReportFilter = z.infer<typeof reportFilter>;
