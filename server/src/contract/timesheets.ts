import { z } from "zod";
import { id, localDay, text } from "./common.js";

export const timesheetStatuses = ["SUBMITTED", "APPROVED", "REJECTED", "WITHDRAWN", "REOPENED"] as const;
export type TimesheetStatus = (typeof timesheetStatuses)[number];

export const submitInput = z.object({ periodStart: localDay });
export const byId = z.object({ id });
export const rejectInput = z.object({ id, comment: text(2000).trim().min(1, "Say what to fix") });
