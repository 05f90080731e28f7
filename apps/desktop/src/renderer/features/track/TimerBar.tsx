import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useRunning } from "../../lib/data";
import { formatElapsed } from "../../lib/duration";
import { errorText } from "../../lib/errors";
import { api } from "../../lib/trpc";
import { Button } from "../../ui/Button";
import { BillableToggle } from "./BillableToggle";
import { DescriptionInput, type DescriptionField } from "./DescriptionInput";
import { ProjectPicker } from "./ProjectPicker";
import { TagPicker } from "./TagPicker";
import { useNow } from "./use-now";

interface Draft {
  description: string;
  projectId: string | null;
  tagIds: string[];
  billable: boolean;
}
type Choice = Omit<Draft, "description">;
const EMPTY: Draft = { description: "", projectId: null, tagIds: [], billable: false };

/**
 * The timer is the app: one line, type what you do, pick a project, Enter. While a timer runs,
 * the same line edits it and Start becomes Stop. The description lives in its field (typing
 * redraws nothing here); the project, tags and billable are this bar's state.
 */
export function TimerBar({ focusRef }: { focusRef?: React.RefObject<DescriptionField | null> }) {
  const running = useRunning();
  const entry = running.data ?? null;
  const [choice, setChoice] = useState<Choice>(EMPTY);
  const now = useNow(entry !== null);
  const localRef = useRef<DescriptionField>(null);
  const field = focusRef ?? localRef;
  const draft = (): Draft => ({ ...choice, description: field.current?.read() ?? "" });
  const fill = useCallback(
    ({ description, ...rest }: Draft) => {
      field.current?.write(description);
      setChoice(rest);
    },
    [field],
  );

  // The running entry fills the bar (also when it was started from the tray or another window).
  useEffect(() => {
    fill(entry ? { description: entry.description, projectId: entry.projectId, tagIds: entry.tagIds, billable: entry.billable } : EMPTY);
  }, [entry?.id, entry?.updatedAt]);

  const start = useMutation({ mutationFn: (d: Draft) => api.timer.start.mutate(d) });
  const stop = useMutation({ mutationFn: () => api.timer.stop.mutate() });
  const update = useMutation({ mutationFn: (changes: Partial<Draft>) => api.entries.update.mutate({ id: entry!.id, changes }) });
  const error = start.error ?? stop.error ?? update.error;

  // The pickers get callbacks that never change, so a change of one redraws the pickers alone.
  const latest = useRef({ entry, update });
  useLayoutEffect(() => {
    latest.current = { entry, update };
  });
  const change = useCallback((patch: Partial<Choice>) => {
    setChoice((c) => ({ ...c, ...patch }));
    const { entry: current, update: save } = latest.current;
    if (current) save.mutate(patch);
  }, []);
  const pickers = useMemo(
    () => (
      <>
        <ProjectPicker value={choice.projectId} onChange={(projectId) => change({ projectId })} />
        <TagPicker value={choice.tagIds} onChange={(tagIds) => change({ tagIds })} />
        <BillableToggle value={choice.billable} onChange={(billable) => change({ billable })} />
      </>
    ),
    [choice.projectId, choice.tagIds, choice.billable, change],
  );
  function saveDescription() {
    const description = field.current?.read() ?? "";
    if (entry && description !== entry.description) update.mutate({ description });
  }
  function toggle() {
    if (entry) {
      saveDescription();
      stop.mutate(undefined, { onSuccess: () => fill(EMPTY) });
    } else start.mutate(draft());
  }

  return (
    <section aria-label="Timer" className="border-b border-line bg-canvas px-5 py-3">
      <div className="flex items-center gap-2">
        <DescriptionInput
          field={field}
          onPick={(s) => {
            const next = { description: s.description, projectId: s.projectId, tagIds: s.tagIds, billable: s.billable };
            fill(next);
            if (entry) update.mutate(next);
          }}
          onEnter={() => (entry ? saveDescription() : start.mutate(draft()))}
        />
        {pickers}
        <span className="tabular w-20 text-right text-lg font-medium" aria-live="off" data-testid="timer-elapsed">
          {entry ? formatElapsed(now - entry.start) : "0:00:00"}
        </span>
        <Button
          variant={entry ? "danger" : "primary"}
          onClick={toggle}
          className="h-10 w-24 text-base"
          aria-keyshortcuts="Control+Enter"
          data-testid="timer-toggle"
        >
          {entry ? "Stop" : "Start"}
        </Button>
      </div>
      {error && (
        <p role="alert" className="mt-2 text-sm text-danger">
          {errorText(error)}
        </p>
      )}
    </section>
  );
}
