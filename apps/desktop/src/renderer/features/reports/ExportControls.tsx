import { DropdownMenu } from "radix-ui";
import { errorText } from "../../lib/errors";
import { hostKind } from "../../lib/trpc";
import type { ReportFilterValue } from "./ReportFilters";
import { useCsvExport, type ExportRequest } from "./use-export";

type Grouping = Extract<ExportRequest, { kind: "report" }>["groupBy"];

const sizeText = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/**
 * "Export CSV": the report's totals (as grouped and filtered on screen) or its entries. The
 * entries export takes the range, and a person and a project when exactly one of each is chosen.
 */
export function ExportControls({ range, groupBy, filter }: { range: { from: string; to: string }; groupBy: Grouping; filter: ReportFilterValue }) {
  const csv = useCsvExport();
  const one = (ids: string[]) => (ids.length === 1 ? ids[0] : undefined);
  const totals: ExportRequest = {
    kind: "report",
    ...range,
    groupBy,
    ...(filter.userIds.length ? { userIds: filter.userIds } : {}),
    ...(filter.projectIds.length ? { projectIds: filter.projectIds } : {}),
    ...(filter.clientIds.length ? { clientIds: filter.clientIds } : {}),
    ...(filter.tagIds.length ? { tagIds: filter.tagIds } : {}),
    ...(filter.billable === undefined ? {} : { billable: filter.billable }),
  };
  const entries: ExportRequest = { kind: "entries", ...range, userId: one(filter.userIds), projectId: one(filter.projectIds) };
  const p = csv.progress;
  const busy = csv.starting || p?.state === "running";
  return (
    <div className="flex items-center gap-2">
      <DropdownMenu.Root>
        <DropdownMenu.Trigger disabled={busy} className="inline-flex h-8 items-center gap-1.5 rounded-md border border-line bg-canvas px-3 text-sm font-medium hover:bg-panel disabled:opacity-50" data-testid="export-csv">
          Export CSV ▾
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content align="end" sideOffset={6} className="z-50 min-w-56 rounded-lg border border-line bg-canvas p-1 shadow-xl">
            <DropdownMenu.Item className="cursor-pointer rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-panel" onSelect={() => csv.start(totals)}>
              Totals (as shown)
            </DropdownMenu.Item>
            <DropdownMenu.Item className="cursor-pointer rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-panel" onSelect={() => csv.start(entries)}>
              Entries of the range
            </DropdownMenu.Item>
            <p className="px-2 pb-1 pt-0.5 text-xs text-muted">{hostKind === "electron" ? "You choose where to save it." : "Goes to your browser's downloads."}</p>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <span role="status" className="text-xs tabular-nums text-muted" data-testid="export-status">
        {csv.starting && "Asking the server…"}
        {p?.state === "running" && `Exporting… ${p.rows.toLocaleString()} rows, ${sizeText(p.bytes)}`}
        {p?.state === "done" && `Exported ${p.rows.toLocaleString()} rows to ${p.fileName}`}
        {p?.state === "failed" && <span className="text-danger">{p.error}</span>}
        {csv.error && <span className="text-danger">{errorText(csv.error)}</span>}
      </span>
    </div>
  );
}
