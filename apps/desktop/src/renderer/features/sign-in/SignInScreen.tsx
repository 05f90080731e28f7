import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorText, reasonOf } from "../../lib/errors";
import type { ParsedInvitation } from "../../lib/invitation-link";
import { api } from "../../lib/trpc";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { InvitationField } from "./InvitationField";
import { signInMessage } from "./sign-in-errors";
import { SignUpForm } from "./SignUpForm";

/**
 * Sign in: server address (prefilled), e-mail, password, and errors a person can act on. An
 * invitation link pasted here joins its workspace on the way in, or creates an account for it.
 */
export function SignInScreen({ serverUrl }: { serverUrl: string }) {
  const client = useQueryClient();
  const [server, setServer] = useState(serverUrl);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [discard, setDiscard] = useState(false);
  const [inviteText, setInviteText] = useState("");
  const [invitation, setInvitation] = useState<ParsedInvitation | null>(null);
  const [mode, setMode] = useState<"sign-in" | "sign-up">("sign-in");
  // Most sign-ins have no invitation: its field shows when asked for (and always for a new account).
  const [showInvite, setShowInvite] = useState(false);
  const logIn = useMutation({
    mutationFn: () =>
      api.session.logIn.mutate({
        serverUrl: server.trim(),
        email: email.trim(),
        password,
        discardUnsynced: discard || undefined,
        invitationToken: invitation?.token,
      }),
    onSuccess: () => client.invalidateQueries(),
  });
  const unsynced = reasonOf(logIn.error) === "UNSYNCED_CHANGES";

  function submit(e: FormEvent) {
    e.preventDefault();
    logIn.mutate();
  }

  function pasteInvitation(text: string, parsed: ParsedInvitation | null) {
    setInviteText(text);
    setInvitation(parsed);
    if (parsed?.serverUrl) setServer(parsed.serverUrl);
  }

  return (
    <main className="flex min-h-full items-center justify-center bg-panel p-6">
      <div className="flex w-full max-w-sm flex-col gap-4 rounded-xl border border-line bg-canvas p-6 shadow-sm">
        <div>
          <h1 className="text-xl font-semibold">{mode === "sign-in" ? "Sign in to Hoursync" : "Create your account"}</h1>
          <p className="mt-1 text-sm text-muted">Your time is kept on this device and synced to your company's server.</p>
        </div>
        <Field label="Server" type="url" required value={server} onChange={(e) => setServer(e.target.value)} autoComplete="url" />
        {(mode === "sign-up" || showInvite) && <InvitationField value={inviteText} onChange={pasteInvitation} />}
        {mode === "sign-up" ? (
          <SignUpForm server={server} invitationToken={invitation?.token ?? null} />
        ) : (
          <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Sign in">
            <Field label="E-mail" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" autoFocus />
            <Field label="Password" type="password" required value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
            {logIn.error && (
              <div role="alert" className="rounded-md border border-line bg-panel p-3 text-sm text-danger">
                {unsynced ? errorText(logIn.error) : signInMessage(logIn.error)}
              </div>
            )}
            {unsynced && (
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={discard} onChange={(e) => setDiscard(e.target.checked)} /> Discard their unsynced changes and sign in
              </label>
            )}
            <Button type="submit" variant="primary" disabled={logIn.isPending} className="h-9">
              {logIn.isPending ? "Signing in…" : invitation ? "Sign in and join" : "Sign in"}
            </Button>
            {!showInvite && (
              <button type="button" className="self-start text-sm text-accent underline" onClick={() => setShowInvite(true)}>
                I have an invitation link
              </button>
            )}
          </form>
        )}
        <button type="button" className="self-start text-sm text-accent underline" onClick={() => setMode(mode === "sign-in" ? "sign-up" : "sign-in")}>
          {mode === "sign-in" ? "New here with an invitation? Create an account" : "I already have an account: sign in"}
        </button>
      </div>
    </main>
  );
}
