import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorText } from "../../lib/errors";
import { api } from "../../lib/trpc";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";

/**
 * A new person joining through an invitation: name, e-mail, password; the server mails a code,
 * which signs them in here. Without mail configured the server's log shows the code.
 */
export function SignUpForm({ server, invitationToken }: { server: string; invitationToken: string | null }) {
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const request = useMutation({
    mutationFn: () =>
      api.session.signUp.mutate({ serverUrl: server.trim(), email: email.trim(), password, name: name.trim(), invitationToken: invitationToken ?? undefined }),
  });
  const confirm = useMutation({
    mutationFn: () => api.session.confirmSignUp.mutate({ serverUrl: server.trim(), code: code.trim() }),
    onSuccess: () => client.invalidateQueries(),
  });
  const error = confirm.error ?? request.error;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (request.isSuccess) confirm.mutate();
    else request.mutate();
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Create an account">
      {!invitationToken && <p className="text-sm text-muted">Paste the invitation you were sent above: an account joins the workspace that invited you.</p>}
      {!request.isSuccess ? (
        <>
          <Field label="Your name" required value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
          <Field label="E-mail" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" />
          <Field label="Password" type="password" required minLength={10} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" hint="At least 10 characters." />
        </>
      ) : (
        <Field label="Code from the e-mail" required value={code} onChange={(e) => setCode(e.target.value)} hint={`We sent a code to ${email}. It works for 24 hours.`} autoFocus />
      )}
      {error && (
        <div role="alert" className="rounded-md border border-line bg-panel p-3 text-sm text-danger">
          {errorText(error)}
        </div>
      )}
      <Button type="submit" variant="primary" disabled={!invitationToken || request.isPending || confirm.isPending} className="h-9">
        {request.isSuccess ? (confirm.isPending ? "Creating…" : "Create account and sign in") : request.isPending ? "Sending…" : "Send me a code"}
      </Button>
    </form>
  );
}
