import { useState, type FormEvent } from "react";
import { parseRate } from "../../lib/money";
import { useServerMutation, useServerQuery } from "../../lib/server";
import { Button } from "../../ui/Button";
import { refusalWords } from "./refusals";
import { Refusal, ServerView } from "./ServerView";

/**
 * Who works on a project, each with a rate for it (over their own) and the manager flag (a
 * project manager decides timesheets on it when approvals go by project).
 */
export function ProjectMembers({ projectId, currency }: { projectId: string; currency: string }) {
  const members = useServerQuery((s) => s.projects.members, { projectId });
  const everyone = useServerQuery((s) => s.members.list, undefined);
  const add = useServerMutation((s) => s.projects.addMember);
  const remove = useServerMutation((s) => s.projects.removeMember);
  const [membershipId, setMembershipId] = useState("");
  const [rate, setRate] = useState("");
  const [isManager, setIsManager] = useState(false);
  const [invalid, setInvalid] = useState<string | null>(null);
  const inProject = new Set((members.data ?? []).map((m) => m.membershipId));
  const candidates = (everyone.data ?? []).filter((m) => !inProject.has(m.id));

  function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = parseRate(rate);
    if (!membershipId) return setInvalid("Choose a person to add");
    if ("error" in parsed) return setInvalid(parsed.error);
    setInvalid(null);
    add.mutate(
      { projectId, membershipId, hourlyRateCents: parsed.cents, isManager },
      { onSuccess: () => (setMembershipId(""), setRate(""), setIsManager(false)) },
    );
  }

  const failed = add.error ?? remove.error;
  return (
    <section aria-label="Project members">
      <h3 className="mb-2 text-sm font-semibold">Members</h3>
      <ServerView query={members} what="the project's members">
        {(rows) =>
          rows.length === 0 ? (
            <p className="mb-2 text-sm text-muted">Nobody assigned: everyone may track time on it.</p>
          ) : (
            <ul className="mb-2 divide-y divide-line rounded-md border border-line bg-canvas">
              {rows.map((m) => (
                <li key={m.membershipId} className="flex items-center gap-2 px-3 py-1.5 text-sm">
                  <span className="flex-1">
                    {m.name}
                    {m.isManager && <span className="ml-2 rounded bg-panel px-1.5 text-xs">Manager</span>}
                  </span>
                  <span className="tabular text-muted">{m.hourlyRateCents === null ? "Own rate" : `${(m.hourlyRateCents / 100).toFixed(2)} ${currency}/h`}</span>
                  <Button variant="ghost" aria-label={`Take ${m.name} off the project`} onClick={() => remove.mutate({ projectId, membershipId: m.membershipId })}>
                    Remove
                  </Button>
                </li>
              ))}
            </ul>
          )
        }
      </ServerView>
      <form onSubmit={submit} className="flex flex-wrap items-center gap-2" noValidate aria-label="Add a member to the project">
        <select aria-label="Person" value={membershipId} onChange={(e) => setMembershipId(e.target.value)} className="h-8 rounded-md border border-line bg-canvas px-2 text-sm">
          <option value="">Add a person…</option>
          {candidates.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
        <input aria-label="Rate on this project" placeholder="Their rate" inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value)} className="tabular h-8 w-24 rounded-md border border-line bg-canvas px-2 text-right text-sm" />
        <label className="flex items-center gap-1 text-sm">
          <input type="checkbox" checked={isManager} onChange={(e) => setIsManager(e.target.checked)} /> Manager
        </label>
        <Button type="submit" disabled={add.isPending}>
          Add
        </Button>
      </form>
      <div className="mt-1">
        <Refusal text={invalid ?? (failed ? refusalWords(failed, "project member") : null)} />
      </div>
    </section>
  );
}
