import { useState } from "react";
import { useProjects } from "../../lib/data";
import { formatAgo } from "../../lib/dates";
import { formatDuration } from "../../lib/duration";
import { errorText } from "../../lib/errors";
import { useServerQuery } from "../../lib/server";
import { Button } from "../../ui/Button";
import { useDecide } from "./use-decisions";

const day = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const submitted = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOf = (iso: string) => new Date(`${iso}T12:00:00`);

/** Pending timesheets, oldest submission first, filtered by person and project; approve several at once. */
export function ReviewQueue({ onOpen }: { onOpen: (id: string) => void }) {
  const [userId, setUserId] = useState("");
  const [projectId, setProjectId] = useState("");
  const queue = useServerQuery((s) => s.timesheets.pending, { userId: userId || undefined, projectId: projectId || undefined }, { refetchInterval: 30_000 });
  const everyone = useServerQuery((s) => s.timesheets.pending, undefined);
  const projects = useProjects();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const decide = useDecide();
  const people = [...new Map((everyone.data ?? []).map((s) => [s.userId, s.person])).entries()];
  const rows = queue.data ?? [];
  const chosen = rows.filter((s) => picked.has(s.id)).map((s) => s.id);

  return (
    <div className="flex flex-col">
      <div className="flex flex-wrap items-center gap-3 px-5 py-3">
        <label className="flex items-center gap-2 text-sm">
          Person
          <select value={userId} onChange={(e) => setUserId(e.target.value)} className="h-8 rounded-md border border-line bg-canvas px-2">
            <option value="">Everyone</option>
            {people.map(([id, p]) => (
              <option key={id} value={id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2 text-sm">
          Project
          <select value={projectId} onChange={(e) => setProjectId(e.target.value)} className="h-8 rounded-md border border-line bg-canvas px-2">
            <option value="">All projects</option>
            {(projects.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <Button variant="primary" className="ml-auto" disabled={chosen.length === 0 || decide.isPending} onClick={() => decide.mutate({ ids: chosen, action: "approve" }, { onSuccess: () => setPicked(new Set()) })}>
          Approve {chosen.length || ""} selected
        </Button>
      </div>
      {queue.stale && queue.fetchedAt && (
        <p role="status" className="px-5 pb-2 text-xs text-warn">
          Offline: not current, last loaded {formatAgo(queue.fetchedAt)}. Decisions need the server.
        </p>
      )}
      {decide.isError && (
        <p role="alert" className="mx-5 mb-2 rounded-md border border-danger px-3 py-2 text-danger">
          {errorText(decide.error)}
        </p>
      )}
      {queue.isError && !queue.data && (
        <p role="alert" className="px-5 py-4 text-danger">
          {errorText(queue.error)}
        </p>
      )}
      {queue.isPending && <p className="px-5 py-4 text-muted">Loading the queue…</p>}
      {queue.data && rows.length === 0 && <p className="px-5 py-8 text-center text-muted">Nothing waiting for your review.</p>}
      {rows.length > 0 && (
        <table className="w-full border-collapse text-sm" data-testid="review-queue">
          <caption className="sr-only">Timesheets waiting for a decision, oldest first</caption>
          <thead>
            <tr className="border-b border-line text-xs text-muted">
              <th scope="col" className="w-10 py-2 pl-5">
                <span className="sr-only">Select</span>
              </th>
              <th scope="col" className="py-2 text-left font-medium">Person</th>
              <th scope="col" className="px-3 py-2 text-left font-medium">Period</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Hours</th>
              <th scope="col" className="py-2 pr-5 text-right font-medium">Submitted</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={s.id} className="border-b border-line hover:bg-panel" data-testid="queue-row">
                <td className="py-2 pl-5">
                  <input
                    type="checkbox"
                    aria-label={`Select ${s.person.name}, ${s.periodStart}`}
                    checked={picked.has(s.id)}
                    onChange={(e) => setPicked((p) => (e.target.checked ? new Set([...p, s.id]) : new Set([...p].filter((x) => x !== s.id))))}
                  />
                </td>
                <td className="py-2">
                  <button type="button" className="text-left font-medium underline-offset-2 hover:underline" onClick={() => onOpen(s.id)}>
                    {s.person.name}
                  </button>
                  <span className="ml-2 inline-block max-w-56 truncate align-bottom text-xs text-muted">{s.person.email}</span>
                </td>
                <td className="tabular px-3 py-2 whitespace-nowrap">
                  {day.format(dateOf(s.periodStart))} – {day.format(dateOf(s.periodLastDay))}
                </td>
                <td className="tabular px-3 py-2 text-right font-medium">{formatDuration(s.totalSeconds * 1000)}</td>
                <td className="tabular py-2 pr-5 text-right whitespace-nowrap text-muted">{submitted.format(new Date(s.submittedAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
