import type { ReactNode } from "react";
import { errorText } from "../../lib/errors";

interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  stale: boolean;
  fetchedAt: number | null;
}

/**
 * One read of the server shown with its states: loading, refused or unreachable (in words), and
 * a last answer shown offline, clearly marked as not current.
 */
export function ServerView<T>({ query, what, children }: { query: Loaded<T>; what: string; children: (data: T) => ReactNode }) {
  if (query.data === undefined) {
    if (query.error) {
      return (
        <p role="alert" className="rounded-md border border-line bg-panel p-3 text-sm text-danger">
          Could not load {what}. {errorText(query.error)}
        </p>
      );
    }
    return <p className="p-3 text-sm text-muted">Loading {what}…</p>;
  }
  return (
    <>
      {query.stale && <StaleNote fetchedAt={query.fetchedAt} />}
      {children(query.data)}
    </>
  );
}

export function StaleNote({ fetchedAt }: { fetchedAt: number | null }) {
  const when = fetchedAt ? new Date(fetchedAt).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "earlier";
  return (
    <p role="status" className="mb-3 rounded-md border border-warn/40 bg-panel px-3 py-2 text-sm text-warn">
      Offline: not current, last loaded {when}. Changes need the server.
    </p>
  );
}

/** A refusal or failure under a form, read out when it appears. */
export function Refusal({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p role="alert" className="text-sm text-danger">
      {text}
    </p>
  );
}
