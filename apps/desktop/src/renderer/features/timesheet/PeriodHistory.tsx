import { useServerQuery } from "../../lib/server";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

const WORDS: Record<string, string> = {
  "timesheet.submitted": "Submitted",
  "timesheet.withdrawn": "Withdrawn",
  "timesheet.approved": "Approved",
  "timesheet.rejected": "Rejected",
  "timesheet.reopened": "Reopened by an admin",
};

/** Every step of the period's timesheet, oldest first, with a rejection's comment. */
export function PeriodHistory({ sheetId }: { sheetId: string }) {
  const history = useServerQuery((s) => s.timesheets.history, { id: sheetId });
  if (!history.data?.length) return null;
  return (
    <section aria-labelledby="history-title" className="px-5 py-4">
      <h2 id="history-title" className="mb-2 text-sm font-semibold">
        History
      </h2>
      <ol className="flex flex-col gap-1 text-sm" data-testid="period-history">
        {history.data.map((h, i) => {
          const comment = (h.details as { comment?: string | null } | null)?.comment;
          return (
            <li key={i} className="flex gap-3">
              <span className="tabular w-44 shrink-0 text-muted">{when.format(new Date(h.createdAt))}</span>
              <span>
                {WORDS[h.action] ?? h.action}
                {comment ? ` — “${comment}”` : ""}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
