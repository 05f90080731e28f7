import { useMutation } from "@tanstack/react-query";
import { Dialog } from "radix-ui";
import { useState, type FormEvent } from "react";
import { atTime, exampleTime, dayKey, formatTime, fromDayKey } from "../../lib/dates";
import { useLocks } from "../../lib/data";
import { parseDuration } from "../../lib/duration";
import { lockMessage } from "../../lib/lock-words";
import { errorText } from "../../lib/errors";
import { api } from "../../lib/trpc";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { BillableToggle } from "./BillableToggle";
import { ProjectPicker } from "./ProjectPicker";


/**
 * Time worked without the timer: a day, a start, and an end or a duration ("1:30", "90m", "1.5h").
 * Open while mounted (its screen mounts it only while open); `onOpenChange(false)` closes it.
 */
export function ManualEntryDialog({ onOpenChange, day }: { onOpenChange: (o: boolean) => void; day: number }) {
  const [description, setDescription] = useState("");
  const [projectId, setProjectId] = useState<string | null>(null);
  const [billable, setBillable] = useState(false);
  const [date, setDate] = useState(dayKey(day));
  const [from, setFrom] = useState(() => formatTime(atTime(day, "09:00")!));
  const [to, setTo] = useState("");
  const [length, setLength] = useState("1:00");
  const [problem, setProblem] = useState<string | null>(null);
  // Said as soon as a locked day is chosen, not after the person has filled the form in.
  const locks = useLocks();
  const chosenStart = atTime(fromDayKey(date), from);
  const lockedReason = chosenStart === null ? null : locks.reasonAt(chosenStart);
  const locked = lockedReason ? lockMessage(lockedReason, "day") : null;
  const create = useMutation({
    mutationFn: (input: { start: number; end: number }) => api.entries.create.mutate({ description, projectId, billable, ...input }),
    onSuccess: () => {
      onOpenChange(false);
      setDescription("");
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const start = atTime(fromDayKey(date), from);
    if (start === null) return setProblem(`Start must be a time like ${exampleTime()}`);
    let end: number | null;
    if (to.trim()) {
      end = atTime(fromDayKey(date), to);
      if (end === null) return setProblem(`End must be a time like ${formatTime(new Date(2000, 0, 1, 17).getTime())}`);
    } else {
      const ms = parseDuration(length);
      if (ms === null || ms <= 0) return setProblem('Type a duration like "1:30", "90m" or "1.5h", or an end time');
      end = start + ms;
    }
    setProblem(null);
    create.mutate({ start, end });
  }

  return (
    <Dialog.Root open onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[28rem] -translate-x-1/2 -translate-y-1/2 rounded-xl border border-line bg-canvas p-5 shadow-2xl">
          <Dialog.Title className="text-lg font-semibold">Add time</Dialog.Title>
          <Dialog.Description className="mb-4 text-sm text-muted">For work you did without the timer.</Dialog.Description>
          <form onSubmit={submit} className="flex flex-col gap-3">
            <Field label="Description" value={description} onChange={(e) => setDescription(e.target.value)} autoFocus />
            <div className="flex items-center gap-2">
              <ProjectPicker value={projectId} onChange={setProjectId} />
              <BillableToggle value={billable} onChange={setBillable} />
            </div>
            <div className="grid grid-cols-2 gap-3">
              <Field label="Date" type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
              <Field label="Start" value={from} onChange={(e) => setFrom(e.target.value)} placeholder={exampleTime()} className="tabular h-9 rounded-md border border-line bg-canvas px-2.5 text-sm" />
              <Field label="Duration" value={length} onChange={(e) => setLength(e.target.value)} hint='"1:30", "90m" or "1.5h"' />
              <Field label="or End" value={to} onChange={(e) => setTo(e.target.value)} placeholder={formatTime(new Date(2000, 0, 1, 17).getTime())} />
            </div>
            {(locked ?? problem ?? create.error) && (
              <p role="alert" className="text-sm text-danger">
                {locked ?? problem ?? errorText(create.error)}
              </p>
            )}
            <div className="mt-2 flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button>Cancel</Button>
              </Dialog.Close>
              <Button type="submit" variant="primary" disabled={create.isPending || locked !== null}>
                Add entry
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
