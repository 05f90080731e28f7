import { useState } from "react";
import { addDays, dayKey, fromDayKey, startOfWeek } from "../../lib/dates";
import { formatDuration } from "../../lib/duration";
import { errorText } from "../../lib/errors";
import { useServerQuery } from "../../lib/server";
import { Button } from "../../ui/Button";
import { StatusBadge, type SheetStatus } from "../../ui/StatusBadge";

const STANDING: Record<string, { status: SheetStatus; word?: string }> = {
  SUBMITTED: { status: "SUBMITTED" },
  APPROVED: { status: "APPROVED" },
  REJECTED: { status: "REJECTED" },
  NOT_SUBMITTED: { status: "OPEN", word: "Not submitted" },
  NOTHING_TRACKED: { status: "OPEN", word: "Tracked nothing" },
};

/** A week of the team: who submitted, who is late, who tracked nothing, with hours. */
export function TeamOverview() {
  const [week, setWeek] = useState<string | undefined>(undefined);
  const team = useServerQuery((s) => s.timesheets.team, { periodStart: week });
  const start = team.data ? fromDayKey(team.data.periodStart) : startOfWeek(Date.now());
  const move = (days: number) => setWeek(dayKey(addDays(start, days)));

  return (
    <div className="flex flex-col">
      <div className="flex items-center gap-2 px-5 py-3">
        <Button variant="ghost" aria-label="Previous week" onClick={() => move(-7)}>
          ←
        </Button>
        <Button variant="ghost" aria-label="Next week" onClick={() => move(7)}>
          →
        </Button>
        <h2 className="text-sm font-semibold">{team.data ? `${team.data.periodStart} – ${team.data.periodLastDay}` : "This week"}</h2>
        {team.data?.over === false && <span className="text-xs text-muted">(in progress)</span>}
      </div>
      {team.stale && <p role="status" className="px-5 text-xs text-warn">Offline: not current.</p>}
      {team.isError && !team.data && <p role="alert" className="px-5 text-danger">{errorText(team.error)}</p>}
      {team.data && (
        <table className="w-full border-collapse text-sm" data-testid="team-overview">
          <caption className="sr-only">Where each member stands this period</caption>
          <thead>
            <tr className="border-b border-line text-xs text-muted">
              <th scope="col" className="py-2 pl-5 text-left font-medium">Member</th>
              <th scope="col" className="py-2 text-left font-medium">Standing</th>
              <th scope="col" className="py-2 pr-5 text-right font-medium">Hours</th>
            </tr>
          </thead>
          <tbody>
            {team.data.people.map((p) => {
              const look = STANDING[p.standing] ?? STANDING.NOT_SUBMITTED!;
              return (
                <tr key={p.userId} className="border-b border-line" data-standing={p.standing}>
                  <td className="py-2 pl-5">
                    {p.name} <span className="text-xs text-muted">{p.email}</span>
                  </td>
                  <td className="py-2">
                    {look.word ? (
                      <span className={`text-sm ${p.late ? "font-medium text-danger" : "text-muted"}`}>
                        {p.late ? "⚠ " : ""}
                        {look.word}
                        {p.late ? " · late" : ""}
                      </span>
                    ) : (
                      <StatusBadge status={look.status} suffix={p.late ? "late" : undefined} />
                    )}
                  </td>
                  <td className="tabular py-2 pr-5 text-right">{formatDuration(p.totalSeconds * 1000)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
