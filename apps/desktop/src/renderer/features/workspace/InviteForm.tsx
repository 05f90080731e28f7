import { useState, type FormEvent } from "react";
import { useSession } from "../../lib/data";
import { invitationLink } from "../../lib/invitation-link";
import { useServerMutation } from "../../lib/server";
import { Button } from "../../ui/Button";
import { refusalWords } from "./refusals";
import { Refusal } from "./ServerView";
import { ROLE_LABEL, ROLES, type Role } from "./roles";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Invite by e-mail with a role. Mail may not be set up on the server, so the link is shown to
 * copy and send by any means; the new person pastes it on the sign-in screen.
 */
export function InviteForm() {
  const session = useSession();
  const invite = useServerMutation((s) => s.members.invite);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("EMPLOYEE");
  const [invalid, setInvalid] = useState<string | null>(null);
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const [copied, setCopied] = useState(false);

  function submit(e: FormEvent) {
    e.preventDefault();
    const address = email.trim();
    if (!EMAIL.test(address)) return setInvalid("Enter an e-mail address like ana@example.com");
    setInvalid(null);
    invite.mutate(
      { email: address, role },
      {
        onSuccess: (answer) => {
          setLink({ email: address, url: invitationLink(session.data?.serverUrl ?? "", answer.token) });
          setCopied(false);
          setEmail("");
        },
      },
    );
  }

  async function copy() {
    if (!link) return;
    await navigator.clipboard.writeText(link.url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }

  return (
    <section aria-labelledby="invite-title" className="rounded-lg border border-line p-4">
      <h2 id="invite-title" className="mb-3 text-sm font-semibold">
        Invite someone
      </h2>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2" noValidate>
        <label className="flex min-w-56 flex-1 flex-col gap-1 text-sm">
          E-mail
          <input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={invalid ? true : undefined}
            className="h-8 rounded-md border border-line bg-canvas px-2"
            placeholder="ana@example.com"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} className="h-8 rounded-md border border-line bg-canvas px-2">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" variant="primary" disabled={invite.isPending}>
          {invite.isPending ? "Inviting…" : "Invite"}
        </Button>
      </form>
      <div className="mt-2">
        <Refusal text={invalid ?? (invite.error ? refusalWords(invite.error, "member") : null)} />
      </div>
      {link && (
        <div className="mt-3 rounded-md bg-panel p-3 text-sm" role="status">
          <p>
            Invitation for <strong>{link.email}</strong> created. Send them this link (it works for 14 days); they paste it on the sign-in screen.
          </p>
          <div className="mt-2 flex gap-2">
            <input readOnly aria-label="Invitation link" value={link.url} onFocus={(e) => e.target.select()} className="h-8 min-w-0 flex-1 rounded-md border border-line bg-canvas px-2 font-mono text-xs" />
            <Button onClick={() => void copy()}>{copied ? "Copied" : "Copy link"}</Button>
          </div>
        </div>
      )}
    </section>
  );
}
