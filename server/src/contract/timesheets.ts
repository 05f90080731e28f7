import { z } from "zod";
import { id } from "./common.js";

export const localDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A date like 2026-03-02");

export const timesheetStatuses = ["SUBMITTED", "APPROVED", "REJECTED", "WITHDRAWN", "REOPENED"] as const;
export type TimesheetStatus = (typeof timesheetStatuses)[number];

export const submitInput = z.object({ periodStart: localDay });
export const byId = z.object({ id });
export const rejectInput = z.object({ id, comment: z.string().trim().min(1, "Say what to fix").max(2000) });
