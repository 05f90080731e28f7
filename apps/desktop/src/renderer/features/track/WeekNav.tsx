import { addDays, dayKey, formatWeek, fromDayKey, startOfWeek } from "../../lib/dates";
import { formatDuration, type DurationFormat } from "../../lib/duration";
import { lockMessage, type PeriodLocks } from "../../lib/lock-words";
import { Button } from "../../ui/Button";
import { LockBadge } from "../../ui/LockBadge";

/**
 * Which week is shown (weeks start on the workspace's day), its total, whether it is locked, and
 * ways to move: previous, next, this week, or any date.
 */
export function WeekNav({
  weekStart,
  onChange,
  totalMs,
  format,
  locks,
}: {
  weekStart: number;
  onChange: (start: number) => void;
  totalMs: number;
  format: DurationFormat;
  locks: PeriodLocks;
}) {
  const thisWeek = startOfWeek(Date.now(), locks.weekStartsOn);
  const locked = locks.reasonFor(weekStart, addDays(weekStart, 7));
  return (
    <div className="flex items-center gap-2 px-5 py-2">
      <Button variant="ghost" aria-label="Previous week" onClick={() => onChange(addDays(weekStart, -7))}>
        ←
      </Button>
      <Button variant="ghost" aria-label="Next week" onClick={() => onChange(addDays(weekStart, 7))}>
        →
      </Button>
      <h2 className="whitespace-nowrap text-sm font-semibold" data-testid="week-label">
        {weekStart === thisWeek ? "This week" : formatWeek(weekStart)}
      </h2>
      {locked && <LockBadge message={lockMessage(locked, "week")} />}
      {weekStart !== thisWeek && (
        <Button variant="ghost" className="whitespace-nowrap" onClick={() => onChange(thisWeek)}>
          Back to this week
        </Button>
      )}
      <label className="ml-2 flex items-center gap-1 text-sm text-muted">
        <span className="sr-only">Go to the week of</span>
        <input
          type="date"
          aria-label="Go to the week of"
          value={dayKey(weekStart)}
          onChange={(e) => e.target.value && onChange(fromDayKey(e.target.value))}
          className="h-8 rounded-md border border-line bg-canvas px-2 text-sm"
        />
      </label>
      <span className="ml-auto whitespace-nowrap text-sm text-muted">
        {/* On narrow windows the label is for screen readers only: the figure and "+ Add time" must fit. */}
        <span className="sr-only xl:not-sr-only">Week total </span>
        <span className="tabular text-base font-semibold text-ink" data-testid="week-total">
          {formatDuration(totalMs, format)}
        </span>
      </span>
    </div>
  );
}
