import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";

/** Receives every SQL statement Prisma sends (used by the query-audit tests). */
export type QueryListener = (sql: string) => void;

function tapQueryable<T extends SqlDriverAdapter | Transaction>(target: T, listen: QueryListener): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (prop === "queryRaw" || prop === "executeRaw") {
        return (query: SqlQuery) => {
          listen(query.sql);
          return (value as (q: SqlQuery) => unknown).call(obj, query);
        };
      }
      if (prop === "startTransaction") {
        return async (...args: unknown[]) => {
          const tx = await (value as (...a: unknown[]) => Promise<Transaction>).apply(obj, args);
          return tapQueryable(tx, listen);
        };
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
    },
  });
}

/** Wraps a driver adapter factory so every statement is reported to `listen` before it runs. */
export function withQueryLog<F extends SqlDriverAdapterFactory>(factory: F, listen: QueryListener): F {
  return new Proxy(factory, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (prop === "connect") {
        return async () => tapQueryable(await obj.connect(), listen);
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
    },
  });
}
