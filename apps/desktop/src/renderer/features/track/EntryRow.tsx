import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { Entry, Project, Tag } from "../../lib/data";
import { errorText } from "../../lib/errors";
import { api } from "../../lib/trpc";
import { LockBadge } from "../../ui/LockBadge";
import { useUndo } from "../../ui/UndoToast";
import { AttachmentsPanel } from "./AttachmentsPanel";
import { BillableToggle } from "./BillableToggle";
import { EntryMenu } from "./EntryMenu";
import { ProjectPickerOf } from "./ProjectPicker";
import { TagPickerOf } from "./TagPicker";
import { TimeFields } from "./TimeFields";

type Changes = Parameters<typeof api.entries.update.mutate>[0]["changes"];

/**
 * One entry, editable where it stands: description, project, tags, billable, times; actions in a
 * menu. In a locked period (`locked`: why, in words) it is read-only: the server would refuse any
 * change, so none can be typed; continuing it (a new entry now) still works.
 */
export function EntryRow({
  entry,
  refused,
  locked = null,
  lockShownAbove = false,
  projects,
  tags,
}: {
  entry: Entry;
  refused: boolean;
  /** The workspace's projects and tags, read once by the list for all its rows (undefined while they load). */
  projects: Project[] | undefined;
  tags: Tag[] | undefined;
  locked?: string | null;
  /** The day's header already says Locked: the row leaves the badge out (its description needs the room). */
  lockShownAbove?: boolean;
}) {
  const offerUndo = useUndo();
  const [description, setDescription] = useState(entry.description);
  const [showFiles, setShowFiles] = useState(false);
  useEffect(() => setDescription(entry.description), [entry.description]);
  const update = useMutation({ mutationFn: (changes: Changes) => api.entries.update.mutate({ id: entry.id, changes }) });
  const act = useMutation({
    mutationFn: async (action: "continue" | "duplicate" | "delete") => {
      const details = { description: entry.description, projectId: entry.projectId, taskId: entry.taskId, tagIds: entry.tagIds, billable: entry.billable };
      if (action === "continue") {
        const running = await api.timer.running.query();
        return running ? api.timer.switch.mutate(details) : api.timer.start.mutate(details);
      }
      if (action === "duplicate") return api.entries.duplicate.mutate({ id: entry.id });
      await api.entries.delete.mutate({ id: entry.id });
      // Undo brings back this very entry (same id, tags and files), not a copy.
      offerUndo("Entry deleted", () => api.entries.restore.mutate({ id: entry.id }));
      return null;
    },
  });
  const error = update.error ?? act.error;
  const running = entry.end === null;

  const readOnly = locked !== null;

  function saveDescription() {
    if (readOnly) return;
    if (description !== entry.description) update.mutate({ description });
  }

  return (
    <div className="border-b border-line" data-testid="entry-row" data-entry-id={entry.id}>
      <div className="flex items-center gap-2 px-3 py-1.5">
        <input
          aria-label="Description"
          value={description}
          placeholder="(no description)"
          readOnly={readOnly}
          title={locked ?? undefined}
          onChange={(e) => setDescription(e.target.value)}
          onBlur={saveDescription}
          onKeyDown={(e) => {
            if (e.key === "Enter") e.currentTarget.blur();
            if (e.key === "Escape") setDescription(entry.description);
          }}
          className="h-8 min-w-0 flex-1 rounded-md border border-transparent bg-transparent px-2 text-sm placeholder:text-muted hover:border-line focus:border-line"
        />
        {refused && (
          <span className="rounded bg-danger px-1.5 text-xs font-medium text-canvas" title="The server refused the last change: see the sync status">
            ! Refused
          </span>
        )}
        {locked && !lockShownAbove && <LockBadge message={locked} />}
        {running && <span className="rounded bg-accent px-1.5 text-xs font-medium text-accent-ink">Running</span>}
        <ProjectPickerOf projects={projects} value={entry.projectId} onChange={(projectId) => update.mutate({ projectId, taskId: null })} disabled={readOnly} />
        <TagPickerOf tags={tags} value={entry.tagIds} onChange={(tagIds) => update.mutate({ tagIds })} disabled={readOnly} />
        <BillableToggle value={entry.billable} onChange={(billable) => update.mutate({ billable })} disabled={readOnly} />
        <TimeFields start={entry.start} end={entry.end} onSave={(c) => update.mutate(c)} disabled={readOnly} />
        <button
          type="button"
          aria-label="Continue this entry"
          title="Continue"
          onClick={() => act.mutate("continue")}
          className="h-8 w-8 rounded-md text-muted hover:bg-panel hover:text-ink"
        >
          ▶
        </button>
        <EntryMenu
          actions={[
            { label: "Duplicate", run: () => act.mutate("duplicate"), disabled: readOnly },
            { label: showFiles ? "Hide attachments" : "Attachments", run: () => setShowFiles((s) => !s), disabled: false },
            { label: "Delete", run: () => act.mutate("delete"), disabled: readOnly },
          ]}
        />
      </div>
      {error && (
        <p role="alert" className="px-5 pb-2 text-sm text-danger">
          {errorText(error)}
        </p>
      )}
      {showFiles && <AttachmentsPanel entryId={entry.id} readOnly={readOnly} />}
    </div>
  );
}
