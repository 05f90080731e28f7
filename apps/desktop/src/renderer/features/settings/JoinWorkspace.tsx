import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorText } from "../../lib/errors";
import { parseInvitation } from "../../lib/invitation-link";
import { api } from "../../lib/trpc";
import { readAfreshForWorkspace } from "../../lib/workspace-change";
import { Button } from "../../ui/Button";

/** Signed in already and invited to another workspace: paste the link, join, and work in it. */
export function JoinWorkspace() {
  const client = useQueryClient();
  const [text, setText] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const join = useMutation({
    mutationFn: (invitationToken: string) => api.session.acceptInvitation.mutate({ invitationToken }),
    onSuccess: () => {
      setText("");
      return readAfreshForWorkspace(client);
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = parseInvitation(text);
    if (!parsed) return setInvalid("This is not an invitation link. Copy the whole link from the invitation.");
    setInvalid(null);
    join.mutate(parsed.token);
  }

  const problem = invalid ?? (join.error ? errorText(join.error) : null);
  return (
    <form onSubmit={submit} className="flex flex-col gap-1 border-b border-line py-3" aria-label="Join a workspace" noValidate>
      <label htmlFor="join-invitation">
        Join another workspace
        <span className="block text-xs text-muted">Paste the invitation link you were sent.</span>
      </label>
      <div className="flex gap-2">
        <input id="join-invitation" value={text} onChange={(e) => setText(e.target.value)} placeholder="hoursync://invite?…" className="h-8 flex-1 rounded-md border border-line bg-canvas px-2 text-sm" />
        <Button type="submit" disabled={join.isPending || !text.trim()}>
          {join.isPending ? "Joining…" : "Join"}
        </Button>
      </div>
      {problem && (
        <p role="alert" className="text-sm text-danger">
          {problem}
        </p>
      )}
    </form>
  );
}
