import { useState } from "react";
import { addDays, fromDayKey } from "../../lib/dates";
import { useServerQuery } from "../../lib/server";
import { Button } from "../../ui/Button";
import { ServerView } from "./ServerView";

const PAGE = 50;
const ACTIONS = [
  "workspace.updated",
  "member.invited",
  "member.joined",
  "member.invitation_revoked",
  "member.role_changed",
  "member.rate_changed",
  "member.removed",
  "project.created",
  "project.updated",
  "project.deleted",
  "project.member_added",
  "project.member_removed",
  "client.created",
  "client.updated",
  "client.deleted",
  "task.created",
  "task.updated",
  "task.deleted",
  "tag.created",
  "tag.renamed",
  "tag.deleted",
  "access.denied",
];
const input = "h-8 rounded-md border border-line bg-canvas px-2 text-sm";

/** Who did what and when, newest first; filtered by person, action and days (in local time). */
export function AuditLogPanel() {
  const members = useServerQuery((s) => s.members.list, undefined);
  const [actor, setActor] = useState("");
  const [action, setAction] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [cursor, setCursor] = useState(0);
  const log = useServerQuery((s) => s.workspace.auditLog, {
    actorUserId: actor || undefined,
    action: action || undefined,
    from: from ? new Date(fromDayKey(from)) : undefined,
    // The last day counts whole: up to the start of the next one.
    before: to ? new Date(addDays(fromDayKey(to), 1)) : undefined,
    page: { limit: PAGE, cursor },
  });
  const nameOf = (userId: string | null) => (userId ? (members.data?.find((m) => m.userId === userId)?.name ?? "A former member") : "The system");
  const filter = (f: () => void) => {
    f();
    setCursor(0);
  };

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3" role="group" aria-label="Filter the audit log">
        <label className="flex flex-col gap-1 text-sm">
          Person
          <select className={`${input} w-44`} value={actor} onChange={(e) => filter(() => setActor(e.target.value))}>
            <option value="">Anyone</option>
            {(members.data ?? []).map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Action
          <select className={`${input} w-52`} value={action} onChange={(e) => filter(() => setAction(e.target.value))}>
            <option value="">Any action</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          From
          <input type="date" className={input} value={from} onChange={(e) => filter(() => setFrom(e.target.value))} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          To
          <input type="date" className={input} value={to} onChange={(e) => filter(() => setTo(e.target.value))} />
        </label>
      </div>
      <ServerView query={log} what="the audit log">
        {(page) =>
          page.items.length === 0 ? (
            <p className="text-sm text-muted">Nothing recorded for these filters.</p>
          ) : (
            <>
              <table className="w-full text-sm">
                <thead className="text-left text-xs text-muted">
                  <tr>
                    <th className="py-2 font-medium">When</th>
                    <th className="font-medium">Who</th>
                    <th className="font-medium">What</th>
                    <th className="font-medium">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((e) => (
                    <tr key={e.id} className="border-t border-line align-baseline [&>td]:py-1.5 [&>td]:pr-3">
                      <td className="tabular whitespace-nowrap">{new Date(e.createdAt).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}</td>
                      <td>{nameOf(e.actorUserId)}</td>
                      <td className="font-mono text-xs">{e.action}</td>
                      <td className="max-w-md truncate font-mono text-xs text-muted" title={e.details ? JSON.stringify(e.details) : undefined}>
                        {e.details ? JSON.stringify(e.details) : ""}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="flex gap-2">
                <Button disabled={cursor === 0} onClick={() => setCursor(Math.max(0, cursor - PAGE))}>
                  Newer
                </Button>
                <Button disabled={page.nextCursor === null} onClick={() => page.nextCursor !== null && setCursor(page.nextCursor)}>
                  Older
                </Button>
              </div>
            </>
          )
        }
      </ServerView>
    </div>
  );
}
