import { useState } from "react";
import { useProjects } from "../../lib/data";
import { formatDuration } from "../../lib/duration";
import { errorText } from "../../lib/errors";
import { useServerQuery } from "../../lib/server";
import { Button } from "../../ui/Button";
import { ProjectDot } from "../../ui/ProjectDot";
import { StatusBadge, type SheetStatus } from "../../ui/StatusBadge";
import { EntryFiles } from "./EntryFiles";
import { useDecide } from "./use-decisions";

const dayName = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "short" });
const clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const hours = (seconds: number) => formatDuration(seconds * 1000);

/** One timesheet: entries by day, totals per day and project, the person's earlier decisions; approve or reject. */
export function ReviewDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const sheet = useServerQuery((s) => s.timesheets.get, { id });
  const projects = useProjects();
  const decide = useDecide();
  const [rejecting, setRejecting] = useState(false);
  const [comment, setComment] = useState("");
  const project = (pid: string | null) => (pid ? projects.data?.find((p) => p.id === pid) : undefined);

  if (sheet.isPending) return <p className="p-5 text-muted">Loading the timesheet…</p>;
  if (!sheet.data) return <p role="alert" className="p-5 text-danger">{errorText(sheet.error)}</p>;
  const s = sheet.data;
  const byDay = Object.keys(s.totals.byDay).sort();
  const decided = (action: "approve" | "reject") =>
    decide.mutate(action === "approve" ? { ids: [id], action } : { ids: [id], action, comment: comment.trim() }, { onSuccess: onClose });

  return (
    <section aria-labelledby="detail-title" className="flex flex-col gap-4 p-5" data-testid="review-detail">
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="ghost" onClick={onClose} aria-label="Back to the queue">
          ←
        </Button>
        <h2 id="detail-title" className="text-base font-semibold">
          {s.person.name} · {s.periodStart} – {s.periodLastDay}
        </h2>
        <StatusBadge status={s.status as SheetStatus} />
        <span className="tabular ml-auto text-base font-semibold">{hours(s.totals.totalSeconds)}</span>
      </div>
      {sheet.stale && <p role="status" className="text-xs text-warn">Offline: not current. Decisions need the server.</p>}
      {decide.isError && (
        <p role="alert" className="rounded-md border border-danger px-3 py-2 text-danger">
          {errorText(decide.error)}
        </p>
      )}

      {s.status === "SUBMITTED" && !rejecting && (
        <div className="flex gap-2">
          <Button variant="primary" disabled={decide.isPending} onClick={() => decided("approve")}>
            Approve
          </Button>
          <Button variant="danger" onClick={() => setRejecting(true)}>
            Reject…
          </Button>
        </div>
      )}
      {rejecting && (
        <form
          className="flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (comment.trim()) decided("reject");
          }}
        >
          <label htmlFor="reject-comment" className="text-sm font-medium">
            What should {s.person.name} fix? (required)
          </label>
          <textarea
            id="reject-comment"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            onKeyDown={(e) => e.key === "Escape" && setRejecting(false)}
            rows={3}
            required
            autoFocus
            className="rounded-md border border-line bg-canvas p-2 text-sm"
          />
          <div className="flex gap-2">
            <Button type="submit" variant="danger" disabled={!comment.trim() || decide.isPending}>
              Reject with this comment
            </Button>
            <Button variant="ghost" onClick={() => setRejecting(false)}>
              Cancel
            </Button>
          </div>
        </form>
      )}

      <div className="grid grid-cols-[2fr_1fr] gap-6">
        <div>
          <h3 className="mb-2 text-sm font-semibold">Entries by day</h3>
          {byDay.length === 0 && <p className="text-muted">No finished entries in this period.</p>}
          {byDay.map((d) => (
            <div key={d} className="mb-3">
              <div className="flex justify-between border-b border-line pb-1 text-sm font-medium">
                <span>{dayName.format(new Date(`${d}T12:00:00`))}</span>
                <span className="tabular">{hours(s.totals.byDay[d] ?? 0)}</span>
              </div>
              <ul className="text-sm">
                {s.entries
                  .filter((e) => e.end && new Date(e.start).toISOString().slice(0, 10) === d)
                  .map((e) => (
                    <li key={e.id} className="py-1">
                      <div className="flex items-center gap-2">
                      <ProjectDot color={project(e.projectId)?.color} />
                      <span className="min-w-0 flex-1 truncate">
                        {e.description || <span className="text-muted">(no description)</span>}
                        <span className="ml-2 text-xs text-muted">{project(e.projectId)?.name ?? "No project"}</span>
                      </span>
                      <span className="tabular text-muted">
                        {clock.format(new Date(e.start))}–{clock.format(new Date(e.end!))}
                      </span>
                      </div>
                      <EntryFiles files={e.attachments} />
                    </li>
                  ))}
              </ul>
            </div>
          ))}
        </div>
        <div className="flex flex-col gap-4">
          <div>
            <h3 className="mb-2 text-sm font-semibold">Per project</h3>
            <ul className="text-sm">
              {Object.entries(s.totals.byProject).map(([pid, secs]) => (
                <li key={pid} className="flex items-center gap-2 py-0.5">
                  <ProjectDot color={project(pid === "none" ? null : pid)?.color} />
                  <span className="flex-1">{pid === "none" ? "No project" : (project(pid)?.name ?? "Unknown project")}</span>
                  <span className="tabular">{hours(secs)}</span>
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h3 className="mb-2 text-sm font-semibold">Earlier decisions</h3>
            {s.earlier.length === 0 && <p className="text-sm text-muted">None yet.</p>}
            <ul className="flex flex-col gap-1 text-sm" data-testid="earlier-decisions">
              {s.earlier.map((e) => (
                <li key={e.id}>
                  <span className="tabular mr-2">{e.periodStart}</span>
                  <StatusBadge status={e.status as SheetStatus} />
                  {e.comment && <span className="ml-2 text-muted">“{e.comment}”</span>}
                </li>
              ))}
            </ul>
          </div>
        </div>
      </div>
    </section>
  );
}
