import { useMutation, useQuery } from "@tanstack/react-query";
import { Dialog } from "radix-ui";
import { formatTime } from "../../lib/dates";
import { formatDuration } from "../../lib/duration";
import { errorText } from "../../lib/errors";
import { api } from "../../lib/trpc";
import { Button } from "../../ui/Button";

type Answer = "keep" | "discard" | "discard-and-continue";

/** "You were away": keep the idle time, discard it, or discard it and continue in a new entry. */
export function IdlePrompt() {
  const pending = useQuery({ queryKey: ["settings", "idle"], queryFn: () => api.idle.pending.query() });
  const answer = useMutation({ mutationFn: (a: Answer) => api.idle.answer.mutate({ answer: a }) });
  const idle = pending.data;
  if (!idle) return null;
  const away = Date.now() - idle.since;
  return (
    <Dialog.Root open onOpenChange={(open) => !open && answer.mutate("keep")}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[30rem] -translate-x-1/2 -translate-y-1/2 rounded-xl border border-line bg-canvas p-5 shadow-2xl">
          <Dialog.Title className="text-lg font-semibold">You were away</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-muted">
            No activity since <span className="tabular font-medium text-ink">{formatTime(idle.since)}</span> (
            <span className="tabular">{formatDuration(away)}</span>) while the timer kept running. What should happen to that time?
          </Dialog.Description>
          {answer.error && (
            <p role="alert" className="mt-2 text-sm text-danger">
              {errorText(answer.error)}
            </p>
          )}
          <div className="mt-4 flex flex-col gap-2">
            <Button variant="primary" onClick={() => answer.mutate("keep")} autoFocus>
              Keep it (I was working)
            </Button>
            <Button onClick={() => answer.mutate("discard")}>Discard it and stop the timer at {formatTime(idle.since)}</Button>
            <Button onClick={() => answer.mutate("discard-and-continue")}>Discard it and continue in a new entry</Button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
