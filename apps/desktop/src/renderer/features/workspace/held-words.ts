/** What an imported archive holds for an invited person until they accept. */
export interface Held {
  entries: number;
  timesheets: number;
  attachments: number;
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** "12 entries, 1 timesheet and 2 files", or null when nothing is held. */
export function heldWords(held: Held): string | null {
  const parts = [
    held.entries ? count(held.entries, "entry", "entries") : null,
    held.timesheets ? count(held.timesheets, "timesheet", "timesheets") : null,
    held.attachments ? count(held.attachments, "file", "files") : null,
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}
