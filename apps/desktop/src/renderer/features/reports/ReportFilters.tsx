import { Popover } from "radix-ui";
import { ProjectDot } from "../../ui/ProjectDot";

export interface ReportFilterValue {
  userIds: string[];
  projectIds: string[];
  clientIds: string[];
  tagIds: string[];
  billable: boolean | undefined;
}

export const NO_FILTER: ReportFilterValue = { userIds: [], projectIds: [], clientIds: [], tagIds: [], billable: undefined };

interface Option {
  id: string;
  label: string;
  color?: string;
}

type ListKey = "userIds" | "projectIds" | "clientIds" | "tagIds";

/** How many filters are set, for the button's label. */
export function filterCount(f: ReportFilterValue): number {
  return f.userIds.length + f.projectIds.length + f.clientIds.length + f.tagIds.length + (f.billable === undefined ? 0 : 1);
}

/**
 * The report's filters in one popover: people (managers and up; an employee's report is their
 * own), projects, clients, tags, billable. Ticked boxes narrow the report; none ticked is all.
 */
export function ReportFilters({
  value,
  onChange,
  people,
  projects,
  clients,
  tags,
}: {
  value: ReportFilterValue;
  onChange: (next: ReportFilterValue) => void;
  people: Option[] | null;
  projects: Option[];
  clients: Option[];
  tags: Option[];
}) {
  const count = filterCount(value);
  const toggle = (key: ListKey, id: string) => {
    const list = value[key];
    onChange({ ...value, [key]: list.includes(id) ? list.filter((x) => x !== id) : [...list, id] });
  };
  const group = (key: ListKey, title: string, options: Option[]) => (
    <fieldset className="min-w-0">
      <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted">{title}</legend>
      {options.length === 0 && <p className="text-xs text-muted">None yet</p>}
      <div className="max-h-40 space-y-0.5 overflow-y-auto pr-1">
        {options.map((o) => (
          <label key={o.id} className="flex cursor-pointer items-center gap-2 rounded px-1 py-0.5 text-sm hover:bg-panel">
            <input type="checkbox" checked={value[key].includes(o.id)} onChange={() => toggle(key, o.id)} />
            {o.color && <ProjectDot color={o.color} size={8} />}
            <span className="truncate">{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
  return (
    <Popover.Root>
      <Popover.Trigger className="inline-flex h-8 items-center gap-1.5 rounded-md border border-line bg-canvas px-3 text-sm font-medium hover:bg-panel" data-testid="report-filters">
        Filters{count > 0 && <span className="rounded-full bg-accent px-1.5 text-xs text-accent-ink">{count}</span>}
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content aria-label="Report filters" align="start" sideOffset={6} className="z-50 w-[34rem] rounded-lg border border-line bg-canvas p-4 shadow-xl">
          <div className="grid grid-cols-2 gap-4">
            {people && group("userIds", "People", people)}
            {group("projectIds", "Projects", projects)}
            {group("clientIds", "Clients", clients)}
            {group("tagIds", "Tags", tags)}
            <fieldset>
              <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted">Billable</legend>
              {(
                [
                  [undefined, "All time"],
                  [true, "Billable only"],
                  [false, "Not billable only"],
                ] as const
              ).map(([b, label]) => (
                <label key={label} className="flex cursor-pointer items-center gap-2 px-1 py-0.5 text-sm">
                  <input type="radio" name="billable" checked={value.billable === b} onChange={() => onChange({ ...value, billable: b })} />
                  {label}
                </label>
              ))}
            </fieldset>
          </div>
          <div className="mt-3 flex justify-end">
            <button type="button" className="text-sm text-accent underline-offset-2 hover:underline disabled:opacity-50" disabled={count === 0} onClick={() => onChange(NO_FILTER)}>
              Clear filters
            </button>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
