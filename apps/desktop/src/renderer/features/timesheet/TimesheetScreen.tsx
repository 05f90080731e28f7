import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useProjects, usePreferences } from "../../lib/data";
import { formatAgo } from "../../lib/dates";
import { errorText } from "../../lib/errors";
import { keys } from "../../lib/query-keys";
import { updateServerAnswer, useServerMutation, useServerQuery } from "../../lib/server";
import { api } from "../../lib/trpc";
import { Button } from "../../ui/Button";
import { LockIcon } from "../../ui/icons";
import { StatusBadge, type SheetStatus } from "../../ui/StatusBadge";
import { buildGrid } from "./grid";
import { closedByLockDate, periodAt, periodDates, periodLabel, recut, rulesOf, shiftPeriod, type Period } from "./period";
import { PeriodHistory } from "./PeriodHistory";
import { TimesheetGrid } from "./TimesheetGrid";

/**
 * The person's timesheet: the period's grid from the device's entries (offline too), its status and
 * its actions. Periods and days are cut in the workspace's time zone, as the server cuts them.
 */
export function TimesheetScreen() {
  const locks = useQuery({ queryKey: keys.lockState(), queryFn: () => api.catalog.locks.query() });
  const rules = rulesOf(locks.data ?? undefined);
  const [chosen, setChosen] = useState<Period | null>(null);
  // A period picked under other rules (the zone or week start changed with a sync) is cut again.
  const period = chosen ? recut(chosen, rules) : periodAt(Date.now(), rules);
  const start = period.startsAt.getTime();
  const end = period.endsAt.getTime();
  const { start: firstDate, end: endDate } = period;
  const days = useMemo(() => periodDates({ start: firstDate, end: endDate }), [firstDate, endDate]);

  const entries = useQuery({ queryKey: keys.entries(start, end), queryFn: () => api.entries.list.query({ from: start, to: end }) });
  const projects = useProjects();
  const format = usePreferences().data?.durationFormat ?? "clock";
  const projectMap = useMemo(() => new Map((projects.data ?? []).map((p) => [p.id, p])), [projects.data]);
  const grid = useMemo(
    () => buildGrid(entries.data ?? [], days, rules.timezone, Date.now(), (projects.data ?? []).map((p) => p.id)),
    [entries.data, days, rules.timezone, projects.data],
  );

  const mine = useServerQuery((s) => s.timesheets.mine, undefined);
  type Sheet = NonNullable<typeof mine.data>[number];
  const sheet = mine.data?.find((s) => s.periodStart === period.start);
  const approvedHere = locks.data?.approved.some((p) => p.start === period.start) ?? false;
  const locked = approvedHere || closedByLockDate(period, locks.data?.lockBefore ?? null, rules.timezone);
  const status: SheetStatus = approvedHere ? "APPROVED" : ((sheet?.status as SheetStatus | undefined) ?? (locked ? "LOCKED" : "OPEN"));

  const client = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const submit = useMutation({
    mutationFn: () => api.timesheet.submit.mutate({ periodStart: period.start }),
    onMutate: () => setProblem(null),
    onSuccess: (answer) => {
      // The server's answer is the submitted sheet: shown at once, whatever the refresh after it meets.
      const submitted = answer as Sheet;
      updateServerAnswer(client, (s) => s.timesheets.mine, undefined, (sheets) => [
        submitted,
        ...(sheets ?? []).filter((s) => s.periodStart !== submitted.periodStart),
      ]);
      return client.invalidateQueries({ queryKey: ["online"] });
    },
    onError: (err) => setProblem(errorText(err)),
  });
  const withdraw = useServerMutation((s) => s.timesheets.withdraw);
  const busy = submit.isPending || withdraw.isPending;
  const label = periodLabel(period, rules);

  return (
    <div className="flex h-full flex-col overflow-auto">
      <header className="flex flex-wrap items-center gap-2 border-b border-line px-5 py-3">
        <Button variant="ghost" aria-label="Previous period" onClick={() => setChosen(shiftPeriod(period, rules, -1))}>
          ←
        </Button>
        <Button variant="ghost" aria-label="Next period" onClick={() => setChosen(shiftPeriod(period, rules, 1))}>
          →
        </Button>
        <h1 className="text-base font-semibold" data-testid="period-label">
          {label}
        </h1>
        <StatusBadge status={status} />
        {locked && status !== "LOCKED" && <StatusBadge status="LOCKED" />}
        <div className="ml-auto flex items-center gap-2">
          {(status === "OPEN" || status === "WITHDRAWN" || status === "REOPENED") && !locked && (
            <Button variant="primary" disabled={busy || grid.grandTotal === 0} onClick={() => submit.mutate()}>
              Submit for approval
            </Button>
          )}
          {status === "REJECTED" && (
            <Button variant="primary" disabled={busy} onClick={() => submit.mutate()}>
              Resubmit
            </Button>
          )}
          {status === "SUBMITTED" && sheet && (
            <Button
              disabled={busy}
              onClick={() => {
                setProblem(null);
                withdraw.mutate({ id: sheet.id }, { onError: (err) => setProblem(errorText(err)) });
              }}
            >
              Withdraw
            </Button>
          )}
        </div>
      </header>

      {problem && (
        <p role="alert" className="mx-5 mt-3 rounded-md border border-danger px-3 py-2 text-danger">
          {problem}
        </p>
      )}
      {status === "REJECTED" && sheet?.comment && (
        <div role="status" className="mx-5 mt-3 rounded-md border border-danger px-3 py-2" data-testid="rejection-comment">
          <p className="text-xs font-medium text-danger">Sent back by your manager</p>
          <p className="mt-1">{sheet.comment}</p>
          <p className="mt-1 text-xs text-muted">Fix the entries in Track, then resubmit.</p>
        </div>
      )}
      {locked && (
        <p className="mx-5 mt-3 flex items-center gap-1.5 text-sm text-muted" data-testid="locked-note">
          <LockIcon /> This period is locked: its entries can no longer be changed. Ask an admin to reopen it.
        </p>
      )}
      {mine.stale && mine.fetchedAt && (
        <p className="mx-5 mt-3 text-xs text-warn" role="status">
          Offline: the status is not current, last loaded {formatAgo(mine.fetchedAt)}. The hours below are this device's.
        </p>
      )}

      <div className="mt-2">
        {grid.rows.length === 0 ? (
          <p className="px-5 py-8 text-center text-muted">No time tracked in this period. Track time, and it appears here.</p>
        ) : (
          <TimesheetGrid grid={grid} projects={projectMap} format={format} />
        )}
      </div>
      {sheet && <PeriodHistory sheetId={sheet.id} />}
    </div>
  );
}
