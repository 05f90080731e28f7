import { z } from "zod";
import { id } from "./common.js";

const instant = z.coerce.date().min(new Date("1970-01-01T00:00:00Z")).max(new Date("2100-01-01T00:00:00Z"));
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

export const summaryInput = z.intersection(reportFilter, z.object({ groupBy: z.enum(groupings) }));

export type ReportFilter = z.infer<typeof reportFilter>;
