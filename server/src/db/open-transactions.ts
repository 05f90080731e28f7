import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";

/**
 * Counts the transactions a driver adapter has open, so closing the database
 * can wait for them. A request cut off by shutdown keeps running on the
 * server; disconnecting Prisma under its open transaction strands the
 * connection, and the pool then waits for it forever.
 */
export class OpenTransactions {
  private open = 0;
  private waiters: (() => void)[] = [];

  wrap<F extends SqlDriverAdapterFactory>(factory: F): F {
    return new Proxy(factory, {
      get: (obj, prop, receiver) => {
        const value = Reflect.get(obj, prop, receiver) as unknown;
        if (prop === "connect") return async () => this.wrapAdapter(await obj.connect());
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
      },
    });
  }

  /** How many are open now (a metrics gauge reads it). */
  get count(): number {
    return this.open;
  }

  /** Resolves once no transaction is open, or with false when `ms` pass first. */
  async settled(ms: number): Promise<boolean> {
    if (this.open === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      new Promise<true>((resolve) => this.waiters.push(() => resolve(true))),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
    clearTimeout(timer);
    return done;
  }

  private wrapAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
    return new Proxy(adapter, {
      get: (obj, prop, receiver) => {
        const value = Reflect.get(obj, prop, receiver) as unknown;
        if (prop === "startTransaction") {
          return async (...args: unknown[]) => {
            this.open++;
            try {
              return this.wrapTransaction(await (value as (...a: unknown[]) => Promise<Transaction>).apply(obj, args));
            } catch (err) {
              this.finished();
              throw err;
            }
          };
        }
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
      },
    });
  }

  private wrapTransaction(tx: Transaction): Transaction {
    let ended = false;
    const end = (fn: () => Promise<void>) => async () => {
      try {
        await fn();
      } finally {
        if (!ended) {
          ended = true;
          this.finished();
        }
      }
    };
    return new Proxy(tx, {
      get: (obj, prop, receiver) => {
        const value = Reflect.get(obj, prop, receiver) as unknown;
        if (prop === "commit" || prop === "rollback") return end(() => (value as () => Promise<void>).call(obj));
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
      },
    });
  }

  private finished() {
    this.open--;
    if (this.open === 0) for (const w of this.waiters.splice(0)) w();
  }
}
