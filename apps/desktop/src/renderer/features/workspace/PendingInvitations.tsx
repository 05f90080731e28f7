import { useState } from "react";
import { useServerMutation, useServerQuery } from "../../lib/server";
import { Button } from "../../ui/Button";
import { heldWords } from "./held-words";
import { refusalWords } from "./refusals";
import { ROLE_LABEL } from "./roles";
import { Refusal, ServerView } from "./ServerView";

/**
 * Invitations not accepted yet. One made by an archive import may hold the person's time until
 * they accept: the list says so, and revoking it asks first, because that time goes with it.
 */
export function PendingInvitations() {
  const invitations = useServerQuery((s) => s.members.invitations, undefined);
  const revoke = useServerMutation((s) => s.members.revokeInvitation);
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <section aria-labelledby="pending-title">
      <h2 id="pending-title" className="mb-2 text-sm font-semibold">
        Pending invitations
      </h2>
      <Refusal text={revoke.error ? refusalWords(revoke.error, "invitation") : null} />
      <ServerView query={invitations} what="invitations">
        {(rows) =>
          rows.length === 0 ? (
            <p className="text-sm text-muted">No invitations waiting.</p>
          ) : (
            <ul className="divide-y divide-line rounded-md border border-line">
              {rows.map((i) => {
                const held = heldWords(i.held);
                const revokeNow = () => revoke.mutate({ id: i.id }, { onSettled: () => setConfirming(null) });
                return (
                  <li key={i.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                    <span>
                      {i.email} <span className="text-muted">· {ROLE_LABEL[i.role]}</span>
                      <span className="block text-xs text-muted">
                        {new Date(i.expiresAt).getTime() < Date.now() ? "Expired" : `Expires ${new Date(i.expiresAt).toLocaleDateString()}`}
                      </span>
                      {held && <span className="block text-xs text-muted">Holds {held} from an imported archive, theirs once they accept</span>}
                    </span>
                    {confirming === i.id ? (
                      <span className="inline-flex items-center gap-1">
                        <span className="text-xs text-danger">Their {held} will be deleted.</span>
                        <Button variant="danger" className="shrink-0 whitespace-nowrap" onClick={revokeNow}>
                          Revoke and delete
                        </Button>
                        <Button variant="ghost" className="shrink-0" onClick={() => setConfirming(null)}>
                          Keep
                        </Button>
                      </span>
                    ) : (
                      <Button
                        variant="ghost"
                        aria-label={`Revoke the invitation for ${i.email}`}
                        onClick={() => (held ? setConfirming(i.id) : revokeNow())}
                      >
                        {held ? "Revoke…" : "Revoke"}
                      </Button>
                    )}
                  </li>
                );
              })}
            </ul>
          )
        }
      </ServerView>
    </section>
  );
}
