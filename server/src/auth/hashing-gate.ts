import { RateLimitedError } from "../rate-limit/errors.js";

/** A first-come, first-served count of places, with a bounded line. */
class Places {
  private used = 0;
  private readonly line: (() => void)[] = [];

  constructor(private readonly size: number) {}

  get waiting(): number {
    return this.line.length;
  }

  async take(): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      return;
    }
    await new Promise<void>((resolve) => this.line.push(resolve));
  }

  give(): void {
    const next = this.line.shift();
    if (next) next(); // the place passes straight to the next in line
    else this.used--;
  }
}

export interface HashingGateOptions {
  /** Password hashes computed at once (each takes a core and, at the standard cost, 128 MiB). */
  concurrency: number;
  /** Log-ins, and sign-ups, that may each wait for a place; beyond that the caller is told to retry (429). */
  maxWaiting: number;
}

/**
 * Bounds the password hashing one process does at once. scrypt already runs
 * off the event loop (on libuv's thread pool), so what needs bounding is how
 * many run together: unbounded, a burst of sign-ups fills every thread and
 * core and everyone's log-in waits behind it. Log-ins may use every place;
 * new passwords (sign-ups) at most all but one, so a log-in always finds a
 * place free or soon free whatever the sign-ups do. Log-ins and sign-ups
 * wait in lines of their own, each bounded: a full line answers
 * TOO_MANY_REQUESTS at once instead of queueing without end, and a flood
 * of sign-ups never fills the log-ins' line.
 */
export class HashingGate {
  private readonly all: Places;
  private readonly forNewPasswords: Places;

  constructor(private readonly opts: HashingGateOptions) {
    this.all = new Places(opts.concurrency);
    this.forNewPasswords = new Places(Math.max(1, opts.concurrency - 1));
  }

  /** Checks a password (log-in). */
  check<T>(work: () => Promise<T>): Promise<T> {
    return this.through([this.all], work);
  }

  /** Hashes a new password (sign-up). */
  hashNew<T>(work: () => Promise<T>): Promise<T> {
    return this.through([this.forNewPasswords, this.all], work);
  }

  /** Takes `places` in order (the first one is the caller's own line), runs `work`, gives them back. */
  private async through<T>(places: Places[], work: () => Promise<T>): Promise<T> {
    if (places[0]!.waiting >= this.opts.maxWaiting) throw new RateLimitedError("password", 1);
    const taken: Places[] = [];
    try {
      for (const p of places) {
        await p.take();
        taken.push(p);
      }
      return await work();
    } finally {
      for (const p of taken.reverse()) p.give();
    }
  }
}
