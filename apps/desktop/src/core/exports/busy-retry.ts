/** How long the core keeps asking a busy server for an export before it gives the refusal to the person. */
export interface BusyRetry {
  attempts: number;
  /** The longest single wait; a Retry-After beyond it is not waited for. */
  maxWaitMs: number;
}

export const EXPORT_BUSY_RETRY: BusyRetry = { attempts: 4, maxWaitMs: 5_000 };

/**
 * Fetches, and while the server answers "busy" (429: the workspace's heavy reads are all in use;
 * 503: no database connection free) waits its Retry-After and asks again, a few times. A person
 * who clicked Export while their report was still loading gets the file a second later instead
 * of an error. The last answer, busy or not, is returned as it came.
 */
export async function fetchWhileBusy(
  doFetch: () => Promise<Response>,
  retry: BusyRetry = EXPORT_BUSY_RETRY,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const res = await doFetch();
    if ((res.status !== 429 && res.status !== 503) || attempt >= retry.attempts) return res;
    const wait = retryAfterMs(res.headers.get("retry-after"));
    if (wait > retry.maxWaitMs) return res;
    await res.body?.cancel();
    await sleep(wait);
  }
}

/** Retry-After in seconds (the only form our server sends); one second when absent or unreadable. */
function retryAfterMs(header: string | null): number {
  const seconds = header === null || header.trim() === "" ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
}
