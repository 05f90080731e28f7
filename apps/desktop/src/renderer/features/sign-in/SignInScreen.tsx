import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorText, reasonOf } from "../../lib/errors";
import { api } from "../../lib/trpc";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { signInMessage } from "./sign-in-errors";

/** Sign in: server address (prefilled), e-mail, password, and errors a person can act on. */
export function SignInScreen({ serverUrl }: { serverUrl: string }) {
  const client = useQueryClient();
  const [server, setServer] = useState(serverUrl);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [discard, setDiscard] = useState(false);
  const logIn = useMutation({
    mutationFn: () => api.session.logIn.mutate({ serverUrl: server.trim(), email: email.trim(), password, discardUnsynced: discard || undefined }),
    onSuccess: () => client.invalidateQueries(),
  });
  const unsynced = reasonOf(logIn.error) === "UNSYNCED_CHANGES";

  function submit(e: FormEvent) {
    e.preventDefault();
    logIn.mutate();
  }

  return (
    <main className="flex min-h-full items-center justify-center bg-panel p-6">
      <form onSubmit={submit} className="flex w-full max-w-sm flex-col gap-4 rounded-xl border border-line bg-canvas p-6 shadow-sm" aria-labelledby="sign-in-title">
        <div>
          <h1 id="sign-in-title" className="text-xl font-semibold">
            Sign in to Hoursync
          </h1>
          <p className="mt-1 text-sm text-muted">Your time is kept on this device and synced to your company's server.</p>
        </div>
        <Field label="Server" type="url" required value={server} onChange={(e) => setServer(e.target.value)} autoComplete="url" />
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
          {logIn.isPending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </main>
  );
}
