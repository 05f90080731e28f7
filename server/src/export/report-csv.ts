import type { Summary } from "../reports/summary.js";
import { hoursOf, unitsOf, type CsvRecord } from "./csv.js";

export const REPORT_COLUMNS = ["key", "label", "hours", "billable_hours", "amount", "currency"] as const;

export type ReportColumn = (typeof REPORT_COLUMNS)[number];

/** One record per group of a summary; the group without a project, client, ... has an empty key. */
export function reportRecords(summary: Summary): CsvRecord<ReportColumn>[] {
  return summary.groups.map((g) => ({
    key: g.key ?? "",
    label: g.label,
    hours: hoursOf(g.seconds),
    billable_hours: hoursOf(g.billableSeconds),
    amount: unitsOf(g.amountCents),
    currency: summary.currency,
  }));
}
