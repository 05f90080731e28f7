import { z } from "zod";
import { id, localDay, text } from "./common.js";

export const timesheetStatuses = ["SUBMITTED", "APPROVED", "REJECTED", "WITHDRAWN", "REOPENED"] as const;
export type TimesheetStatus = (typeof timesheetStatuses)[number];

export const submitInput = z.object({ periodStart: localDay });
export const byId = z.object({ id });
export const rejectInput = z.object({ id, comment: text(2000).trim().min(1, "Say what to fix") });

/** The review queue's filters; called with none, it answers everything pending. */
export const pendingInput = z.object({ userId: id.optional(), projectId: id.optional() }).prefault({});

/** The team overview's period: the one starting on `periodStart`, or the current one. */
export const teamInput = z.object({ periodStart: localDay.optional() }).prefault({});

/**
 * Where a member stands for a period in the team overview. NOT_SUBMITTED and
 * NOTHING_TRACKED mean no timesheet is in the reviewers' hands; `late` says the
 * period is already over.
 */
export const teamStandings = ["SUBMITTED", "APPROVED", "REJECTED", "NOT_SUBMITTED", "NOTHING_TRACKED"] as const;
export type TeamStanding = (typeof teamStandings)[number];
