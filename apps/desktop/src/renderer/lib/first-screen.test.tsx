import { afterEach, describe, expect, it, vi } from "vitest";

/** A fresh copy of the module: its signal is once per launch. */
async function freshModule() {
  vi.resetModules();
  return import("./first-screen");
}

/** Whether the promise has settled once the timers due now (and the microtasks) have run. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

afterEach(() => vi.useRealTimers());

describe("the deferred work of the launch waits for the first screen's data", () => {
  it("is held until the first screen says it shows its data, then runs once the browser is idle", async () => {
    vi.useFakeTimers();
    const { afterFirstScreen, firstScreenShown } = await freshModule();
    const waiting = afterFirstScreen();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await settled(waiting)).toBe(false);
    firstScreenShown();
    expect(await settled(waiting)).toBe(true);
    // Later callers do not wait for a signal that has already come.
    expect(await settled(afterFirstScreen())).toBe(true);
  });

  it("still runs when no screen ever says so (another first screen, failed reads): after 3 s", async () => {
    vi.useFakeTimers();
    const { afterFirstScreen } = await freshModule();
    const waiting = afterFirstScreen();
    await vi.advanceTimersByTimeAsync(2_900);
    expect(await settled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(await settled(waiting)).toBe(true);
  });
});
