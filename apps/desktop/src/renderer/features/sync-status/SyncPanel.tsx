import { useMutation } from "@tanstack/react-query";
import type { SyncStatus } from "../../lib/data";
import { formatDay, formatTime } from "../../lib/dates";
import { errorText, refusalText } from "../../lib/errors";
import { api } from "../../lib/trpc";
import { Button } from "../../ui/Button";
import type { SyncSummary } from "./sync-summary";

/** Details of sync: online or not, last sync, waiting changes, and each refused change with its reason and a way out. */
export function SyncPanel({ status, summary }: { status: SyncStatus; summary: SyncSummary }) {
  const syncNow = useMutation({ mutationFn: () => api.sync.now.mutate() });
  const discard = useMutation({ mutationFn: (mutationId: number) => api.sync.discard.mutate({ mutationId }) });
  return (
    <section aria-label="Sync" className="flex flex-col gap-3 text-sm">
      <div className="flex items-center justify-between">
        <h2 className="font-semibold">{summary.online ? "Online" : "Offline"}</h2>
        <Button onClick={() => syncNow.mutate()} disabled={syncNow.isPending}>
          {syncNow.isPending ? "Syncing…" : "Sync now"}
        </Button>
      </div>
      <p className="text-muted" data-testid="sync-detail">
        {summary.detail}
      </p>
      <p>
        <span className="tabular font-medium" data-testid="sync-pending">
          {status.pending}
        </span>{" "}
        {status.pending === 1 ? "change" : "changes"} waiting to sync
      </p>
      {syncNow.error && (
        <p role="alert" className="text-danger">
          {errorText(syncNow.error)}
        </p>
      )}
      {status.rejected.length > 0 && (
        <div className="flex flex-col gap-2">
          <h3 className="font-semibold text-danger">Refused by the server</h3>
          <ul className="flex max-h-64 flex-col gap-2 overflow-auto">
            {status.rejected.map((r) => (
              <li key={r.mutationId} className="rounded-md border border-line p-2" data-testid="refused-change">
                <p className="font-medium">
                  {r.attachment ? `File "${r.attachment.name}"` : r.entry ? r.entry.description || "(no description)" : "An entry"}
                  {r.entry && (
                    <span className="tabular font-normal text-muted">
                      {" "}
                      · {formatDay(r.entry.start)} {formatTime(r.entry.start)}
                    </span>
                  )}
                </p>
                <p className="text-danger">{refusalText(r.reason ?? "", r.message ?? "")}</p>
                <div className="mt-1 flex gap-2">
                  <Button variant="danger" onClick={() => discard.mutate(r.mutationId)} disabled={discard.isPending}>
                    Discard my change
                  </Button>
                </div>
              </li>
            ))}
          </ul>
          <p className="text-xs text-muted">To fix one instead, edit the entry in Track (it is marked there) and sync again.</p>
        </div>
      )}
    </section>
  );
}
