import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef } from "react";
import { useUiState } from "../../app/ui-state";
import { useLocks, usePreferences, useSyncStatus } from "../../lib/data";
import { lockMessage } from "../../lib/lock-words";
import { addDays } from "../../lib/dates";
import { firstScreenShown } from "../../lib/first-screen";
import { keys } from "../../lib/query-keys";
import { api } from "../../lib/trpc";
import { Button } from "../../ui/Button";
import { EntryList } from "./EntryList";
import { groupByDay } from "./grouping";
import { ManualEntryDialog } from "./ManualEntryDialog";
import type { DescriptionField } from "./DescriptionInput";
import { TimerBar } from "./TimerBar";
import { useNow } from "./use-now";
import { WeekNav } from "./WeekNav";

/** Track: the timer bar on top, the week's entries by day below. */
export function TrackScreen() {
  const { weekStart, setWeekStart, manualEntryOpen, setManualEntryOpen } = useUiState();
  const weekEnd = addDays(weekStart, 7);
  const entries = useQuery({ queryKey: keys.entries(weekStart, weekEnd), queryFn: () => api.entries.list.query({ from: weekStart, to: weekEnd }) });
  const sync = useSyncStatus();
  const prefs = usePreferences();
  const locks = useLocks();
  const weekLock = locks.reasonFor(weekStart, weekEnd);
  const format = prefs.data?.durationFormat ?? "clock";
  const hasRunning = entries.data?.some((e) => e.end === null) ?? false;
  // Totals tick once a minute with a running timer (the timer bar itself ticks every second).
  const now = useNow(hasRunning, 60_000);
  const totalMs = useMemo(() => groupByDay(entries.data ?? [], now).totalMs, [entries.data, now]);
  const refusedIds = useMemo(() => new Set((sync.data?.rejected ?? []).map((r) => r.entityId)), [sync.data]);
  const description = useRef<DescriptionField>(null);
  const weekShown = entries.data !== undefined;
  useEffect(() => {
    if (weekShown) firstScreenShown();
  }, [weekShown]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
        e.preventDefault();
        document.querySelector<HTMLButtonElement>("[data-testid=timer-toggle]")?.click();
      } else if (!typing && e.key === "n" && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        setManualEntryOpen(true);
      } else if (!typing && e.key === "/") {
        e.preventDefault();
        description.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [setManualEntryOpen]);

  return (
    <div className="flex h-full flex-col">
      <TimerBar focusRef={description} />
      <div className="flex items-center border-b border-line">
        <div className="flex-1">
          <WeekNav weekStart={weekStart} onChange={setWeekStart} totalMs={totalMs} format={format} locks={locks} />
        </div>
        <Button className="mr-5 whitespace-nowrap" onClick={() => setManualEntryOpen(true)} aria-keyshortcuts="n">
          + Add time <kbd className="text-xs text-muted">N</kbd>
        </Button>
      </div>
      {weekLock && (
        <p role="note" className="border-b border-line bg-panel px-5 py-2 text-sm" data-testid="week-lock">
          {lockMessage(weekLock, "week")}
        </p>
      )}
      {entries.isError && (
        <p role="alert" className="p-5 text-danger">
          The entries cannot be read. Restart the app.
        </p>
      )}
      {entries.data?.length === 0 && (
        <div className="flex flex-1 flex-col items-center justify-center gap-2 text-center text-muted">
          <p className="text-base text-ink">No time tracked this week.</p>
          <p>
            Type what you are working on and press Enter, or press <kbd>N</kbd> to add time you did earlier.
          </p>
        </div>
      )}
      {entries.data && entries.data.length > 0 && <EntryList entries={entries.data} now={now} refusedIds={refusedIds} format={format} locks={locks} />}
      {/* Mounted only while open: a closed dialog's form and hooks were a cost of every first render. */}
      {manualEntryOpen && <ManualEntryDialog onOpenChange={setManualEntryOpen} day={Math.min(Date.now(), addDays(weekStart, 6))} />}
    </div>
  );
}
