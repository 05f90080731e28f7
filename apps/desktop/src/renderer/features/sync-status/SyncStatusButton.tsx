import { Popover } from "radix-ui";
import { useEffect, useState } from "react";
import { useSyncStatus } from "../../lib/data";
import { SyncPanel } from "./SyncPanel";
import { summarizeSync, type SyncTone } from "./sync-summary";

const TONE: Record<SyncTone, { dot: string; icon: string }> = {
  ok: { dot: "bg-ok", icon: "✓" },
  busy: { dot: "bg-accent", icon: "↻" },
  offline: { dot: "bg-warn", icon: "⚠" },
  refused: { dot: "bg-danger", icon: "!" },
};

/** The always-visible sync status; opens the panel with details, refused changes and "Sync now". */
export function SyncStatusButton() {
  const status = useSyncStatus();
  // "2 min ago" and "retrying in 40 s" age; re-render twice a minute (no data is fetched).
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setTick((n) => n + 1), 30_000);
    return () => clearInterval(id);
  }, []);
  if (!status.data) return null;
  const summary = summarizeSync(status.data, Date.now());
  const tone = TONE[summary.tone];
  return (
    <Popover.Root>
      <Popover.Trigger
        data-testid="sync-status"
        data-tone={summary.tone}
        className="flex w-full items-center gap-2 rounded-md border border-line bg-canvas px-2 py-1.5 text-left text-sm"
      >
        <span className="sr-only">Sync status: </span>
        <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${tone.dot}`} />
        <span aria-hidden>{tone.icon}</span>
        <span className="flex-1 truncate">{summary.label}</span>
        <span className="text-xs text-muted">{summary.online ? "Online" : ""}</span>
        <span className="sr-only">. {summary.detail}</span>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content aria-label="Sync details" side="right" align="end" sideOffset={8} className="z-50 w-96 rounded-lg border border-line bg-canvas p-4 shadow-xl">
          <SyncPanel status={status.data} summary={summary} />
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
