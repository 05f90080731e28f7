import { useState } from "react";
import { useSession } from "../../lib/data";
import { useServerMutation, useServerQuery } from "../../lib/server";
import { Button } from "../../ui/Button";
import { InviteForm } from "./InviteForm";
import { PendingInvitations } from "./PendingInvitations";
import { RateInput } from "./RateInput";
import { refusalWords } from "./refusals";
import { Refusal, ServerView } from "./ServerView";
import { ROLE_LABEL, ROLES, type Role } from "./roles";

/** Members with their roles and rates; invitations (sent and pending). */
export function MembersPanel({ currency }: { currency: string }) {
  const members = useServerQuery((s) => s.members.list, undefined);
  const me = useSession().data?.user?.id;
  const changeRole = useServerMutation((s) => s.members.changeRole);
  const setRate = useServerMutation((s) => s.members.setRate);
  const remove = useServerMutation((s) => s.members.remove);
  const [confirming, setConfirming] = useState<string | null>(null);
  const failed = changeRole.error ?? setRate.error ?? remove.error;

  return (
    <div className="flex flex-col gap-6">
      <InviteForm />
      <section aria-labelledby="members-title">
        <h2 id="members-title" className="mb-2 text-sm font-semibold">
          Members
        </h2>
        <Refusal text={failed ? refusalWords(failed, "member") : null} />
        <ServerView query={members} what="members">
          {(rows) => (
            <table className="w-full text-sm">
              <thead className="text-left text-xs text-muted">
                <tr>
                  <th className="py-2 font-medium">Person</th>
                  <th className="font-medium">Role</th>
                  <th className="text-right font-medium">Hourly rate ({currency})</th>
                  <th className="sr-only">Actions</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((m) => (
                  <tr key={m.id} className="border-t border-line">
                    <td className="py-2">
                      <div className="font-medium">
                        {m.name}
                        {m.userId === me && <span className="ml-1 text-xs text-muted">(you)</span>}
                      </div>
                      <div className="text-xs text-muted">{m.email}</div>
                    </td>
                    <td>
                      <select
                        aria-label={`Role of ${m.name}`}
                        value={m.role}
                        disabled={changeRole.isPending}
                        onChange={(e) => changeRole.mutate({ membershipId: m.id, role: e.target.value as Role })}
                        className="h-8 rounded-md border border-line bg-canvas px-2"
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABEL[r]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="text-right">
                      <RateInput label={`Hourly rate of ${m.name}`} cents={m.hourlyRateCents} onSave={(cents) => setRate.mutate({ membershipId: m.id, hourlyRateCents: cents })} />
                    </td>
                    <td className="w-40 text-right">
                      {confirming === m.id ? (
                        <span className="inline-flex gap-1">
                          <Button variant="danger" onClick={() => remove.mutate({ membershipId: m.id }, { onSettled: () => setConfirming(null) })}>
                            Remove
                          </Button>
                          <Button variant="ghost" onClick={() => setConfirming(null)}>
                            Keep
                          </Button>
                        </span>
                      ) : (
                        <Button variant="ghost" aria-label={`Remove ${m.name}`} onClick={() => setConfirming(m.id)}>
                          Remove…
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </ServerView>
        <p className="mt-2 text-xs text-muted">
          A member's rate applies where the project sets none for them; an empty rate falls back to the project's, then the workspace's.
        </p>
      </section>
      <PendingInvitations />
    </div>
  );
}
