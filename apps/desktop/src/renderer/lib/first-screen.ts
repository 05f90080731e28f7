/**
 * A one-time signal of the launch: the first screen shows its data (Track: the week). Work that can
 * wait (the lock checker's code) waits for it, so as not to delay that paint: waiting only for the
 * browser's first idle moment let it run while the week's reads were on their way, just before
 * the week was drawn.
 */
let markShown: () => void = () => {};
const shown = new Promise<void>((resolve) => (markShown = resolve));

/** The longest wait: a launch on another screen, or one whose reads fail, still gets the deferred work. */
const LATEST_MS = 3_000;

export function firstScreenShown(): void {
  markShown();
}

/** Resolves when the browser is idle after the first screen has shown its data (or LATEST_MS after this call, whichever comes first). */
export function afterFirstScreen(): Promise<void> {
  return Promise.race([shown, new Promise<void>((resolve) => setTimeout(resolve, LATEST_MS))]).then(
    () =>
      new Promise<void>((resolve) => {
        if (typeof requestIdleCallback === "function") requestIdleCallback(() => resolve(), { timeout: 1000 });
        else setTimeout(resolve, 0);
      }),
  );
}
