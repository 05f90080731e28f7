/** Why a call given a deadline was given up: its time ran out, or the caller abandoned it. */
export type GaveUp = "deadline" | "abandoned";

/**
 * Runs `call` with a signal that aborts after `ms`, or as soon as `outer` aborts, and settles by
 * then whatever `call` does with that signal: the abort is sent, but the deadline does not rest on
 * it being honoured. (Node 20's fetch can lose a signal composed with `AbortSignal.any` once the
 * garbage collector has run, and then waits for an answer forever.) The timer and the listener are
 * held strongly and released when the call settles.
 */
export function withDeadline<T>(
  ms: number,
  outer: AbortSignal | null | undefined,
  call: (signal: AbortSignal) => Promise<T>,
  gaveUp: (why: GaveUp) => unknown,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onOuter: (() => void) | undefined;
  const expiry = new Promise<never>((_, reject) => {
    const stop = (why: GaveUp) => {
      const reason = gaveUp(why);
      controller.abort(reason);
      reject(reason);
    };
    if (outer?.aborted) return stop("abandoned");
    timer = setTimeout(() => stop("deadline"), Math.ceil(ms));
    onOuter = () => stop("abandoned");
    outer?.addEventListener("abort", onOuter, { once: true });
  });
  expiry.catch(() => undefined); // the race below reports it
  const settle = () => {
    clearTimeout(timer);
    if (onOuter) outer?.removeEventListener("abort", onOuter);
  };
  const running = controller.signal.aborted ? expiry : Promise.race([(async () => call(controller.signal))(), expiry]);
  return running.finally(settle);
}
