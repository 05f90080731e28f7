import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef } from "react";
import { useProjects, useTags, type Entry } from "../../lib/data";
import { addDays, formatDay, startOfDay } from "../../lib/dates";
import { formatDuration, type DurationFormat } from "../../lib/duration";
import { lockMessage, type PeriodLocks } from "../../lib/lock-words";
import { LockBadge } from "../../ui/LockBadge";
import { EntryRow } from "./EntryRow";
import { groupByDay, type DayGroup } from "./grouping";

type Row = { kind: "day"; group: DayGroup<Entry> } | { kind: "entry"; entry: Entry };

/**
 * The week's entries by day with day totals. Virtualized (TanStack Virtual): only the rows on
 * screen are in the DOM, so a week of hundreds of entries scrolls as lightly as a short one.
 */
export function EntryList({
  entries,
  now,
  refusedIds,
  format,
  locks,
}: {
  entries: Entry[];
  now: number;
  refusedIds: Set<string>;
  format: DurationFormat;
  locks: PeriodLocks;
}) {
  const { days } = useMemo(() => groupByDay(entries, now), [entries, now]);
  const projects = useProjects();
  const tags = useTags();
  const rows = useMemo<Row[]>(() => days.flatMap((group) => [{ kind: "day", group } as Row, ...group.entries.map((entry) => ({ kind: "entry", entry }) as Row)]), [days]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    // The rows' own heights at the default font size: the measurement after the first render then
    // finds nothing to move, so the week is laid out once, not twice.
    estimateSize: (i) => (rows[i]!.kind === "day" ? 37 : 45),
    // Four rows past each edge: enough for a wheel step, and the first paint draws no more rows than it shows plus these.
    overscan: 4,
    getItemKey: (i) => {
      const r = rows[i]!;
      return r.kind === "day" ? `day-${r.group.key}` : r.entry.id;
    },
  });

  return (
    <div ref={scroller} className="min-h-0 flex-1 overflow-auto" data-testid="entry-list">
      <div role="list" className="relative w-full" style={{ height: virtual.getTotalSize() }} aria-label="Entries of the week">
        {virtual.getVirtualItems().map((item) => {
          const row = rows[item.index]!;
          return (
            <div role="listitem" key={item.key} data-index={item.index} ref={virtual.measureElement} className="absolute left-0 top-0 w-full" style={{ transform: `translateY(${item.start}px)` }}>
              {row.kind === "day" ? (
                <h3 className="flex items-center justify-between border-b border-line bg-panel px-5 py-2 text-sm font-semibold" data-testid="day-header">
                  <span className="flex items-center gap-2">
                    {formatDay(row.group.start, now)}
                    <DayLock locks={locks} start={row.group.start} />
                  </span>
                  <span className="tabular" data-testid="day-total">
                    {formatDuration(row.group.totalMs, format)}
                  </span>
                </h3>
              ) : (
                <div className="px-2">
                  <EntryRow
                    entry={row.entry}
                    refused={refusedIds.has(row.entry.id)}
                    locked={entryLock(locks, row.entry.start)}
                    lockShownAbove={dayLocked(locks, row.entry.start)}
                    projects={projects.data}
                    tags={tags.data}
                  />
                </div>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function entryLock(locks: PeriodLocks, start: number): string | null {
  const reason = locks.reasonAt(start);
  return reason ? lockMessage(reason, "entry") : null;
}

function dayLocked(locks: PeriodLocks, t: number): boolean {
  const day = startOfDay(t);
  return locks.reasonFor(day, addDays(day, 1)) !== null;
}

function DayLock({ locks, start }: { locks: PeriodLocks; start: number }) {
  const reason = locks.reasonFor(start, addDays(start, 1));
  return reason ? <LockBadge message={lockMessage(reason, "day")} /> : null;
}
