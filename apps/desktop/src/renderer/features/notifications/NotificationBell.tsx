import { Popover } from "radix-ui";
import { formatAgo } from "../../lib/dates";
import { errorText } from "../../lib/errors";
import { useServerMutation, useServerQuery } from "../../lib/server";
import { Button } from "../../ui/Button";
import { BellIcon } from "../../ui/icons";

/** The person's notifications (weekly summary, decisions on their timesheets) in the frame, each marked read on demand. */
export function NotificationBell() {
  const list = useServerQuery((s) => s.notifications.list, undefined);
  const markRead = useServerMutation((s) => s.notifications.markRead);
  const items = list.data ?? [];
  const unread = items.filter((n) => !n.readAt);
  return (
    <Popover.Root>
      <Popover.Trigger data-testid="notifications" className="flex w-full items-center gap-2 rounded-md border border-line bg-canvas px-2 py-1.5 text-left text-sm">
        <BellIcon />
        <span className="flex-1">Notifications</span>
        {unread.length > 0 && (
          <span className="tabular rounded-full bg-accent px-1.5 text-xs font-semibold text-accent-ink" data-testid="unread-count">
            {unread.length}
            <span className="sr-only"> unread</span>
          </span>
        )}
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content aria-labelledby="notifications-title" side="right" align="end" sideOffset={8} className="z-50 w-96 rounded-lg border border-line bg-canvas p-3 text-sm shadow-lg">
          <h2 id="notifications-title" className="mb-2 font-semibold">
            Notifications
          </h2>
          {list.stale && <p className="mb-2 text-xs text-warn">Offline: not current.</p>}
          {list.isError && !list.data && <p role="alert" className="text-danger">{errorText(list.error)}</p>}
          {list.data && items.length === 0 && <p className="text-muted">Nothing yet.</p>}
          <ul className="flex max-h-80 flex-col gap-2 overflow-auto">
            {items.map((n) => {
              const comment = (n.body as { comment?: string | null } | null)?.comment;
              return (
                <li key={n.id} className={`rounded-md border border-line p-2 ${n.readAt ? "text-muted" : ""}`} data-testid="notification">
                  <p className={n.readAt ? "" : "font-medium"}>{n.title}</p>
                  {comment && <p className="mt-1">“{comment}”</p>}
                  <div className="mt-1 flex items-center justify-between text-xs text-muted">
                    <span>{formatAgo(new Date(n.createdAt).getTime())}</span>
                    {!n.readAt && (
                      <Button variant="ghost" className="h-6 px-2 text-xs" disabled={markRead.isPending} onClick={() => markRead.mutate({ id: n.id })}>
                        Mark read
                      </Button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
          {markRead.isError && <p role="alert" className="mt-2 text-danger">{errorText(markRead.error)}</p>}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
