import { useServerQuery } from "../../lib/server";

/** The number of timesheets waiting, beside "Review" in the navigation. */
export function ReviewCount() {
  const queue = useServerQuery((s) => s.timesheets.pending, undefined, { refetchInterval: 60_000 });
  const n = queue.data?.length ?? 0;
  if (n === 0) return null;
  return (
    <span data-testid="review-count" className="tabular rounded-full bg-accent px-1.5 text-xs font-semibold text-accent-ink">
      {n}
      <span className="sr-only"> waiting</span>
    </span>
  );
}
