import { Tabs } from "radix-ui";
import { useState } from "react";
import { ReviewDetail } from "./ReviewDetail";
import { ReviewQueue } from "./ReviewQueue";
import { TeamOverview } from "./TeamOverview";

/** Review (managers and up): the queue of submitted timesheets, one timesheet's detail, and the team's week. */
export function ReviewScreen() {
  const [open, setOpen] = useState<string | null>(null);
  if (open) return <div className="h-full overflow-auto"><ReviewDetail id={open} onClose={() => setOpen(null)} /></div>;
  return (
    <Tabs.Root defaultValue="queue" className="flex h-full flex-col overflow-auto">
      <div className="flex items-center gap-4 border-b border-line px-5 pt-3">
        <h1 className="pb-2 text-base font-semibold">Review</h1>
        <Tabs.List aria-label="Review views" className="flex gap-1">
          {[
            ["queue", "Waiting"],
            ["team", "Team week"],
          ].map(([value, label]) => (
            <Tabs.Trigger
              key={value}
              value={value!}
              className="rounded-t-md px-3 pb-2 text-sm text-muted data-[state=active]:border-b-2 data-[state=active]:border-accent data-[state=active]:font-medium data-[state=active]:text-ink"
            >
              {label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
      </div>
      <Tabs.Content value="queue">
        <ReviewQueue onOpen={setOpen} />
      </Tabs.Content>
      <Tabs.Content value="team">
        <TeamOverview />
      </Tabs.Content>
    </Tabs.Root>
  );
}
