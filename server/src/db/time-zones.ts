import type { TenantDb } from "./tenant.js";

/**
 * The time zones this database can compute with. Node's ICU and PostgreSQL's
 * tz data differ (US/Pacific-New is still a name in one and gone from the
 * other; PGlite and a system PostgreSQL list different sets), and a zone the
 * database does not know makes every day report and export of that
 * workspace fail. So the list comes from the database itself, once per
 * process: lower-cased name -> the spelling PostgreSQL lists.
 */
const known = new WeakMap<object, Promise<Map<string, string>>>();

function load(db: TenantDb): Promise<Map<string, string>> {
  return db.$queryRaw<{ name: string }[]>`SELECT name FROM pg_timezone_names`.then(
    (rows) => new Map(rows.map((r) => [r.name.toLowerCase(), r.name])),
  );
}

/**
 * The database's own spelling of `zone`, or null when it does not know the
 * zone. `owner` identifies the database (one list per database a process
 * talks to); `db` is any open handle to it.
 */
export async function databaseTimeZone(owner: object, db: TenantDb, zone: string): Promise<string | null> {
  let list = known.get(owner);
  if (!list) {
    list = load(db);
    known.set(owner, list);
    // A failed read is not remembered: the next call asks again.
    list.catch(() => known.delete(owner));
  }
  return (await list).get(zone.toLowerCase()) ?? null;
}
