/** Export files shaped as Toggl Track and Clockify write their detailed reports, for the import tests. */

export const TOGGL_HEADER = "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)";

export const CLOCKIFY_HEADER =
  '"Project","Client","Description","Task","User","Group","Email","Tags","Type","Billable","Invoiced","Invoice ID",' +
  '"Start Date","Start Time","End Date","End Time","Duration (h)","Duration (decimal)","Billable Rate (EUR)","Billable Amount (EUR)"';

/** One CSV cell, quoted where the exports quote it. */
export const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export interface TogglRow {
  email: string;
  client?: string;
  project?: string;
  task?: string;
  description?: string;
  billable?: boolean;
  start: Date;
  end: Date;
  tags?: string[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const time = (d: Date) => d.toISOString().slice(11, 19);

/** A Toggl Track detailed report of `rows`, times written in UTC. */
export function togglCsv(rows: TogglRow[]): string {
  const lines = rows.map((r) => {
    const seconds = (r.end.getTime() - r.start.getTime()) / 1000;
    const duration = new Date(seconds * 1000).toISOString().slice(11, 19);
    return [
      "Someone",
      r.email,
      r.client ?? "",
      r.project ?? "",
      r.task ?? "",
      r.description ?? "",
      r.billable ? "Yes" : "No",
      day(r.start),
      time(r.start),
      day(r.end),
      time(r.end),
      duration,
      (r.tags ?? []).join(", "),
      "",
    ].map(cell).join(",");
  });
  return [TOGGL_HEADER, ...lines].join("\n") + "\n";
}
