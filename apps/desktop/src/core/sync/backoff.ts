/**
 * Exponential backoff with full jitter: attempt n waits a random time in
 * [0, min(max, base * 2^n)), so many devices coming back online at once
 * spread their retries instead of arriving together.
 */
export function backoffDelay(attempt: number, opts: { baseMs: number; maxMs: number; random?: () => number }): number {
  const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor((opts.random ?? Math.random)() * cap);
}
