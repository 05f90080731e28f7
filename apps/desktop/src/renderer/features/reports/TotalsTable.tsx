import { formatDuration, type DurationFormat } from "../../lib/duration";
import type { TableRow } from "./chart-data";

/**
 * The report's numbers, one row per bar of the chart and in the same order, with the totals
 * the server summed. Figures are tabular and right-aligned.
 */
export function TotalsTable({
  rows,
  totals,
  currency,
  groupLabel,
  format,
}: {
  rows: TableRow[];
  totals: { seconds: number; billableSeconds: number; amountCents: number };
  currency: string;
  groupLabel: string;
  format: DurationFormat;
}) {
  const money = new Intl.NumberFormat(undefined, { style: "currency", currency });
  const hours = (h: number) => formatDuration(h * 3_600_000, format);
  return (
    <table className="w-full border-collapse text-sm" data-testid="report-table">
      <caption className="sr-only">Totals by {groupLabel.toLowerCase()}</caption>
      <thead className="sticky top-0 bg-canvas text-xs text-muted">
        <tr className="border-b border-line">
          <th scope="col" className="px-5 py-2 text-left font-medium">
            {groupLabel}
          </th>
          <th scope="col" className="px-3 py-2 text-right font-medium">
            Hours
          </th>
          <th scope="col" className="px-3 py-2 text-right font-medium">
            Billable hours
          </th>
          <th scope="col" className="px-5 py-2 text-right font-medium">
            Amount
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} className="border-b border-line/60">
            <th scope="row" className="px-5 py-1.5 text-left font-normal">
              {r.label}
            </th>
            <td className="px-3 py-1.5 text-right tabular-nums">{hours(r.hours)}</td>
            <td className="px-3 py-1.5 text-right tabular-nums">{hours(r.billableHours)}</td>
            <td className="px-5 py-1.5 text-right tabular-nums">{money.format(r.amountCents / 100)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr className="font-semibold" data-testid="report-totals">
          <th scope="row" className="px-5 py-2 text-left">
            Total
          </th>
          <td className="px-3 py-2 text-right tabular-nums" data-testid="total-hours">
            {hours(totals.seconds / 3600)}
          </td>
          <td className="px-3 py-2 text-right tabular-nums" data-testid="total-billable">
            {hours(totals.billableSeconds / 3600)}
          </td>
          <td className="px-5 py-2 text-right tabular-nums" data-testid="total-amount">
            {money.format(totals.amountCents / 100)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
