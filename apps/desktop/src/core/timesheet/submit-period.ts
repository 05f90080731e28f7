import { periodRules, periodStarting, type Period } from "@hoursync/contract";
import type { DesktopCore } from "../desktop-core.js";
import { LocalError } from "../errors.js";
import type { OutboxItem } from "../store/outbox.js";

/** When the change's entry starts (what decides its period), from the change itself or what the device holds. */
function startOf(core: DesktopCore, item: OutboxItem): number | null {
  const entryId = item.name.startsWith("attachment.") ? core.attachmentStore.get(item.workspaceId, item.entityId)?.entryId : item.entityId;
  const put = item.name === "entry.put" ? (item.args as { start?: string | number }).start : undefined;
  if (put !== undefined) return new Date(put).getTime();
  if (!entryId) return null;
  const entry = core.entries.get(item.workspaceId, entryId) ?? core.entries.serverVersion(item.workspaceId, entryId);
  return entry?.start ?? null;
}

/** The device's changes not on the server yet (waiting or refused) that fall in `period`. */
export function unsyncedIn(core: DesktopCore, workspaceId: string, period: Period): OutboxItem[] {
  const items = [...core.outbox.pending(workspaceId, 100_000), ...core.outbox.rejected(workspaceId)];
  return items.filter((item) => {
    const start = startOf(core, item);
    // A change whose time cannot be told might be in the period: count it rather than submit without it.
    return start === null || (start >= period.startsAt.getTime() && start < period.endsAt.getTime());
  });
}

/**
 * Submits the person's period starting on `periodStart`. Changes of that period still on the
 * device go first (one sync); if some cannot (offline, or refused by the server), nothing is
 * submitted and the error says why, so a manager never reviews a week without them.
 */
export async function submitPeriod(core: DesktopCore, periodStart: string): Promise<unknown> {
  const { workspaceId } = core.scope();
  const rules = core.catalog.lockState(workspaceId);
  if (!rules) throw new LocalError("OFFLINE", "This workspace has not synced yet: connect once, then submit.");
  const period = periodStarting(periodStart, periodRules(rules));
  if (!period) throw new LocalError("VALIDATION", `No timesheet period starts on ${periodStart}`);

  if (unsyncedIn(core, workspaceId, period).length > 0) {
    await core.syncNow().catch(() => undefined);
    const left = unsyncedIn(core, workspaceId, period);
    const refused = left.filter((i) => i.status === "rejected").length;
    if (refused > 0) {
      throw new LocalError(
        "UNSYNCED_CHANGES",
        `Not submitted: the server refused ${refused} change(s) in this period. Fix or discard them (Sync), then submit.`,
      );
    }
    if (left.length > 0) {
      throw new LocalError(
        "OFFLINE",
        `Not submitted: ${left.length} change(s) in this period are not synced yet and the server cannot be reached. Try again when you are online.`,
      );
    }
  }
  return core.online.mutate(workspaceId, "timesheets.submit", { periodStart });
}
