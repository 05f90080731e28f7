import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorText } from "../../lib/errors";
import { useServerMutation } from "../../lib/server";
import { api } from "../../lib/trpc";
import { readAfreshForWorkspace } from "../../lib/workspace-change";
import { Button } from "../../ui/Button";
import { refusalWords } from "./refusals";
import { Refusal } from "./ServerView";

/**
 * The owner deletes the workspace, confirmed by typing its name (it cannot be undone). The app
 * then leaves it: its data leaves this device and another workspace (or none) is chosen.
 */
export function DeleteWorkspace({ workspaceId, name }: { workspaceId: string; name: string }) {
  const client = useQueryClient();
  const remove = useServerMutation((s) => s.workspace.delete);
  const [typed, setTyped] = useState("");
  const [leaveError, setLeaveError] = useState<string | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    remove.mutate(
      { confirmName: typed },
      {
        onSuccess: async () => {
          try {
            // Nothing of it can sync any more: what is left of it on this device goes too.
            await api.session.forgetWorkspace.mutate({ workspaceId, discardUnsynced: true });
            await api.session.refreshWorkspaces.mutate();
          } catch (err) {
            setLeaveError(`The workspace is deleted, but leaving it on this device failed: ${errorText(err)}`);
          }
          await readAfreshForWorkspace(client);
        },
      },
    );
  }

  return (
    <section aria-labelledby="danger-title" className="mt-8 max-w-3xl rounded-lg border border-danger/50 p-4">
      <h2 id="danger-title" className="text-sm font-semibold text-danger">
        Delete this workspace
      </h2>
      <p className="mt-1 text-sm text-muted">Everything in it goes for good: members, projects, all tracked time and files. This cannot be undone.</p>
      <form onSubmit={submit} className="mt-3 flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1 text-sm">
          Type <strong className="font-semibold">{name}</strong> to confirm
          <input value={typed} onChange={(e) => setTyped(e.target.value)} className="h-8 w-72 rounded-md border border-line bg-canvas px-2" autoComplete="off" />
        </label>
        <Button type="submit" variant="danger" disabled={typed !== name || remove.isPending}>
          {remove.isPending ? "Deleting…" : "Delete workspace"}
        </Button>
      </form>
      <div className="mt-2">
        <Refusal text={leaveError ?? (remove.error ? refusalWords(remove.error, "workspace") : null)} />
      </div>
    </section>
  );
}
