/**
 * Property: whatever happens at the same time (several devices of one person
 * and of others syncing together, one push delivered twice a few ms apart by a
 * retrying proxy, answers delayed, lost or withheld, people signing out and in
 * on a shared computer, an owner locking and unlocking periods, the server
 * restarting, devices killed mid-sync), once the locks are lifted, everyone is
 * online, refused changes are discarded and nothing waits, the data follows
 * "server order wins, delete wins":
 *
 * - every device shows exactly what the server has for the person signed in;
 * - every entry on the server is one its person's devices created, in the
 *   state of a put the server may have applied last (no applied put of it
 *   was sent after that one's answer);
 * - nothing the server answered as applied is missing, and nothing whose
 *   deletion the server applied is still there;
 * - once a deletion was answered as applied, no later put of that entry is;
 * - no mutation ever received two different answers (every answer of every
 *   copy of every push is recorded by the proxy).
 *
 * Runs on PostgreSQL (project `faults`) and PGlite (project `faults-pglite`).
 * CONCURRENCY_RUNS sets the number of cases (scripts/nightly-faults.sh runs
 * many more), CONCURRENCY_SEED (and CONCURRENCY_PATH) replay one, and
 * CONCURRENCY_SHRINK=1 shrinks a failure instead of stopping at it.
 */
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import fc from "fast-check";
import superjson from "superjson";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LocalError } from "../../apps/desktop/src/core/errors.js";
import type { LocalEntry } from "../../apps/desktop/src/core/store/entries.js";
import type { AppRouter } from "../../server/src/routers/index.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";
import { signUpConfirmed, TEST_PASSWORD } from "../support/people.js";
import { RestartableServer } from "../support/restartable-server.js";

const RUNS = Number(process.env.CONCURRENCY_RUNS ?? 6);
const SEED = process.env.CONCURRENCY_SEED ? Number(process.env.CONCURRENCY_SEED) : Math.floor(Math.random() * 2 ** 31);
const PATH = process.env.CONCURRENCY_PATH;
const SHRINK = process.env.CONCURRENCY_SHRINK === "1";
/** What the devices believe the server's address is; each device's proxy maps it to wherever the server runs now. */
const SERVER = "http://hoursync.test";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Each case works in its own week (Monday to Monday, UTC, the workspace's timesheet period). */
const FIRST_WEEK = Date.UTC(2029, 0, 1);
/** The people: three employees; the owner only administers. Seats 0 and 1 are Ann's two devices, seat 2 Ben's, seat 3 a shared computer. */
const NAMES = ["ann", "ben", "cleo"] as const;
const HOME = [0, 0, 1, 2] as const;
/**
 * The devices' backoff jitter: half the cap, so a failing background sync retries after 0.5 s,
 * 1 s, 2 s... (with 0 every retry would be immediate: a storm of requests while the server is down).
 */
const JITTER = () => 0.5;
/** How long a sync may take once nothing holds it (the product's own request deadline is 30 s). */
const SETTLE_MS = 20_000;

let server: RestartableServer;
let workspaceId: string;
let ownerToken: string;
const people: { email: string; token: string; userId: string }[] = [];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function api(token: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${SERVER}/trpc`,
        transformer: superjson,
        fetch: (input, init) => {
          if (!server.up) throw new TypeError("fetch failed: connection refused");
          return fetch(String(input).replace(SERVER, server.url), init);
        },
        headers: () => ({ authorization: `Bearer ${token}`, "x-hoursync-workspace": workspaceId }),
      }),
    ],
  });
}

beforeAll(async () => {
  server = await RestartableServer.create();
  console.log(`[concurrency] ${server.kind}: ${RUNS} case(s), seed ${SEED}${PATH ? `, path ${PATH}` : ""}`);
  const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc`, transformer: superjson })] });
  const desk = { client: () => anonymous, mailbox: server.mailbox };
  const owner = await signUpConfirmed(desk, {
    email: "owner@concurrency.test",
    password: TEST_PASSWORD,
    name: "Owner",
    workspaceName: "Concurrency",
  });
  workspaceId = owner.workspaceId;
  ownerToken = owner.token;
  await api(ownerToken).workspace.update.mutate({
    rateLimitPerMinute: 100_000,
    userRateLimitPerMinute: 100_000,
    timezone: "UTC",
    weekStartsOn: 1,
    timesheetPeriod: "WEEK",
    lockGraceDays: null,
  });
  for (const name of NAMES) {
    const inv = await api(ownerToken).members.invite.mutate({ email: `${name}@concurrency.test`, role: "EMPLOYEE" });
    const joined = await signUpConfirmed(desk, {
      email: `${name}@concurrency.test`,
      password: TEST_PASSWORD,
      name,
      invitationToken: inv.token,
    });
    people.push({ email: `${name}@concurrency.test`, token: joined.token, userId: joined.user.id });
  }
}, 120_000);

afterAll(async () => {
  await server?.dispose();
});

// ---------------------------------------------------------------------------
// The ledger: every mutation the proxies forwarded and every answer the server gave to it.

interface Snapshot {
  start: number;
  end: number | null;
  description: string;
  billable: boolean;
}

interface SentMutation {
  key: string;
  name: string;
  entityId: string;
  /** The state an entry.put carries. */
  put: Snapshot | null;
  /** When a request carrying it first left a proxy. */
  firstSent: number;
}

interface Answer {
  status: "applied" | "rejected";
  reason: string | null;
  at: number;
}

class Ledger {
  readonly sent = new Map<string, SentMutation>();
  readonly answers = new Map<string, Answer[]>();

  private static parse(body: string): { clientId: string; mutations: { mutationId: number; name: string; args: Record<string, unknown> }[] } | null {
    try {
      return superjson.deserialize(JSON.parse(body));
    } catch {
      return null;
    }
  }

  sending(body: string): void {
    const push = Ledger.parse(body);
    if (!push) return;
    for (const m of push.mutations) {
      const key = `${push.clientId}:${m.mutationId}`;
      if (this.sent.has(key)) continue;
      const a = m.args;
      const put =
        m.name === "entry.put"
          ? {
              start: Date.parse(String(a.start)),
              end: a.end === null || a.end === undefined ? null : Date.parse(String(a.end)),
              description: String(a.description ?? ""),
              billable: Boolean(a.billable),
            }
          : null;
      this.sent.set(key, { key, name: m.name, entityId: String(a.id), put, firstSent: performance.now() });
    }
  }

  answered(body: string, status: number, text: string): void {
    const push = Ledger.parse(body);
    if (!push || status !== 200) return;
    const data = (JSON.parse(text) as { result?: { data?: unknown } }).result?.data;
    if (!data) return;
    const { results } = superjson.deserialize<{ results: { mutationId: number; status: "applied" | "rejected"; reason?: string }[] }>(
      data as Parameters<typeof superjson.deserialize>[0],
    );
    const at = performance.now();
    for (const r of results) {
      const key = `${push.clientId}:${r.mutationId}`;
      const list = this.answers.get(key) ?? [];
      list.push({ status: r.status, reason: r.status === "rejected" ? (r.reason ?? null) : null, at });
      count(r.status === "applied" ? "answers: applied" : `answers: ${r.reason}`);
      this.answers.set(key, list);
    }
  }

  /** When the server is known to have applied it (its first "applied" answer), or null. */
  appliedAt(key: string): number | null {
    const a = this.answers.get(key)?.find((x) => x.status === "applied");
    return a ? a.at : null;
  }

  /** Answered, and only ever as refused: never applied. */
  refused(key: string): boolean {
    const list = this.answers.get(key) ?? [];
    return list.length > 0 && list.every((x) => x.status === "rejected");
  }

  of(entityId: string): SentMutation[] {
    return [...this.sent.values()].filter((m) => m.entityId === entityId);
  }
}

// ---------------------------------------------------------------------------
// Each device's network: a proxy that can duplicate, delay, lose or withhold.

type FaultKind = "none" | "duplicate" | "lose" | "delay" | "hang";

interface FaultSpec {
  fault: FaultKind;
  /** delay: before each sync request; duplicate: between the two copies. */
  ms: number;
  /** duplicate: which copy's answer the device gets. */
  answerWith: 0 | 1;
}

const NO_FAULT: FaultSpec = { fault: "none", ms: 0, answerWith: 0 };

function waitForAbort(signal: AbortSignal | null | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return; // never answered: only a deadline of the caller ends this
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

class Network {
  private spec: FaultSpec = NO_FAULT;
  private spent = false;
  private hung: () => void = () => undefined;
  /** Settles when a request armed to hang has been sent (its answer is being withheld). */
  hanging: Promise<void> = Promise.resolve();

  constructor(private readonly ledger: Ledger) {}

  arm(spec: FaultSpec) {
    this.spec = spec;
    this.spent = false;
    this.hanging = new Promise((resolve) => (this.hung = resolve));
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const target = () => {
      if (!server.up) throw new TypeError("fetch failed: connection refused");
      return url.replace(SERVER, server.url);
    };
    const { fault, ms, answerWith } = this.spec;
    const isSync = url.includes("/trpc/sync.");
    const isPush = url.includes("/trpc/sync.push");
    if (fault === "delay" && isSync) await sleep(ms);
    const body = typeof init?.body === "string" ? init.body : "";
    if (isPush) this.ledger.sending(body);
    const forward = async (signal: AbortSignal | null | undefined) => {
      const res = await fetch(target(), { ...init, signal });
      if (!isPush) return res;
      const text = await res.text();
      this.ledger.answered(body, res.status, text);
      return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
    if (fault === "hang" && isSync && !this.spent) {
      // Delivered, but the answer never comes back: only the device giving up ends the wait.
      this.spent = true;
      count("requests: hang");
      void forward(null)
        .then((res) => res.arrayBuffer())
        .catch(() => undefined);
      this.hung();
      return waitForAbort(init?.signal);
    }
    if (!isPush) return forward(init?.signal);
    if (fault !== "none" && fault !== "hang") count(`pushes: ${fault}`);
    if (fault === "duplicate") {
      // A retrying proxy: the same request again a few ms later, whatever the device does meanwhile.
      const first = forward(init?.signal);
      // Settled below; until then a rejection (the device gave up) must not count as unhandled.
      first.catch(() => undefined);
      await sleep(ms);
      const second = forward(null);
      const settled = await Promise.allSettled([first, second]);
      const pick = settled[answerWith]!;
      if (pick.status === "fulfilled") return pick.value;
      throw pick.reason;
    }
    const res = await forward(init?.signal);
    if (fault === "lose" && !this.spent) {
      this.spent = true;
      throw new TypeError("fetch failed: the answer was lost");
    }
    return res;
  };
}

// ---------------------------------------------------------------------------
// What a case does.

type AdminOp =
  | { k: "lockBefore"; day: number | null }
  | { k: "approve"; person: number }
  | { k: "reopen"; person: number };

interface SyncSpec extends FaultSpec {
  seat: number;
}

type Step =
  | { k: "create"; seat: number; day: number; hour: number; text: string }
  | { k: "edit"; seat: number; pick: number; text: string; billable: boolean; move: { day: number; hour: number } | null }
  | { k: "delete"; seat: number; pick: number }
  | {
      k: "burst";
      syncs: SyncSpec[];
      admin: { op: AdminOp; afterMs: number } | null;
      restart: { afterMs: number; downMs: number } | null;
      kill: { seat: number; afterMs: number } | null;
    }
  | { k: "admin"; op: AdminOp }
  | { k: "switch"; seat: number; to: number; viaLogOut: boolean; force: boolean };

const seatArb = fc.integer({ min: 0, max: 3 });
const personArb = fc.integer({ min: 0, max: 2 });
const POISON = ["nul\u0000byte", "lone \uD83D high", "\uDC00lone low"];
const textArb = fc.oneof(
  { weight: 10, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 6, unit: "grapheme" }) },
  { weight: 1, arbitrary: fc.constantFrom(...POISON) },
);
const dayArb = fc.integer({ min: 0, max: 3 });
const hourArb = fc.integer({ min: 0, max: 2 });
const faultArb: fc.Arbitrary<FaultSpec> = fc.record({
  fault: fc.constantFrom<FaultKind>("none", "none", "duplicate", "duplicate", "lose", "delay", "hang"),
  ms: fc.integer({ min: 0, max: 25 }),
  answerWith: fc.constantFrom<0 | 1>(0, 1),
});
const adminArb: fc.Arbitrary<AdminOp> = fc.oneof(
  fc.record({ k: fc.constant("lockBefore" as const), day: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }) }),
  fc.record({ k: fc.constant("approve" as const), person: personArb }),
  fc.record({ k: fc.constant("reopen" as const), person: personArb }),
);
/** `arb` in about `percent` of the cases, else null. */
const sometimes = <T>(arb: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 100 - percent, arbitrary: fc.constant(null) }, { weight: percent, arbitrary: arb });
const burstArb = fc.record({
  k: fc.constant("burst" as const),
  syncs: fc.uniqueArray(fc.record({ seat: seatArb }).chain(({ seat }) => faultArb.map((f) => ({ ...f, seat }))), {
    minLength: 2,
    maxLength: 4,
    selector: (s) => s.seat,
  }),
  admin: sometimes(fc.record({ op: adminArb, afterMs: fc.integer({ min: 0, max: 30 }) }), 40),
  restart: sometimes(fc.record({ afterMs: fc.integer({ min: 0, max: 40 }), downMs: fc.integer({ min: 0, max: 50 }) }), 12),
  kill: sometimes(fc.record({ seat: seatArb, afterMs: fc.integer({ min: 0, max: 30 }) }), 12),
});
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant("create" as const), seat: seatArb, day: dayArb, hour: hourArb, text: textArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant("edit" as const),
      seat: seatArb,
      pick: fc.nat(),
      text: textArb,
      billable: fc.boolean(),
      move: sometimes(fc.record({ day: dayArb, hour: hourArb }), 30),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("delete" as const), seat: seatArb, pick: fc.nat() }) },
  { weight: 5, arbitrary: burstArb },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("admin" as const), op: adminArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant("switch" as const),
      seat: fc.constantFrom(2, 3),
      to: personArb,
      viaLogOut: fc.boolean(),
      force: fc.boolean(),
    }),
  },
);

interface Seat {
  no: number;
  device: Device;
  net: Network;
  /** Who is signed in (null: nobody). */
  person: number | null;
}

function localDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function snapshotOf(e: { start: number; end: number | null; description: string; billable: boolean }): Snapshot {
  return { start: e.start, end: e.end, description: e.description, billable: e.billable };
}

function comparable(entries: (Snapshot & { id: string })[]) {
  return Object.fromEntries([...entries].sort((a, b) => a.id.localeCompare(b.id)).map((e) => [e.id, snapshotOf(e)]));
}

/** A promise that must settle within `ms`, or the case fails saying `what`. */
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} (still waiting after ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function isLocal(err: unknown, ...codes: string[]): boolean {
  return err instanceof LocalError && codes.includes(err.code);
}

/**
 * A local change: poison text (that no database can store) must be refused on the device, before
 * it is queued; anything else may only be refused for overlapping another entry of the device or
 * for a lock the device knows of.
 */
function locally(text: string, change: () => void): void {
  let refusal: unknown = null;
  try {
    change();
  } catch (err) {
    refusal = err;
  }
  if (POISON.includes(text)) {
    expect(isLocal(refusal, "VALIDATION"), `the desktop accepted a description the server cannot store (${JSON.stringify(text)})`).toBe(true);
  } else if (refusal && !isLocal(refusal, "OVERLAP", "LOCKED_PERIOD")) {
    throw refusal;
  }
}

const TRACE = process.env.CONCURRENCY_TRACE === "1";
const trace = (what: string) => {
  if (TRACE) console.log(`[concurrency] ${performance.now().toFixed(0)} ${what}`);
};

let caseNo = 0;
/** What the cases exercised, printed at the end (a property that never meets a fault proves little). */
const seen: Record<string, number> = {};
const count = (what: string, n = 1) => {
  seen[what] = (seen[what] ?? 0) + n;
};

it(`converges under concurrent syncs, duplicated pushes, identity changes, locks and restarts (${RUNS} cases)`, async () => {
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { minLength: 4, maxLength: 18 }), async (steps) => {
      const week = FIRST_WEEK + caseNo++ * 7 * DAY;
      const window = { from: week, to: week + 7 * DAY };
      const ledger = new Ledger();
      /** Who created each entry (its id). */
      const ownerOf = new Map<string, number>();
      const seats: Seat[] = [];
      const owner = api(ownerToken);
      if (!server.up) await server.start();

      const signIn = async (s: Seat, person: number, discardUnsynced: boolean) => {
        await s.device.core.logIn({ serverUrl: SERVER, email: people[person]!.email, password: TEST_PASSWORD, discardUnsynced });
        s.person = person;
        s.device.core.selectWorkspace(workspaceId);
        s.device.core.startBackgroundSync();
      };
      const mine = (s: Seat) =>
        s.person === null ? [] : s.device.core.tracker.list(s.device.core.scope(), window).sort((a, b) => a.id.localeCompare(b.id));
      /** An admin's action; refused (already approved, nothing to reopen) or unanswered (the server is down) is fine. */
      const administer = async (op: AdminOp) => {
        try {
          count(`admin: ${op.k}`);
          if (op.k === "lockBefore") {
            await owner.workspace.update.mutate({ lockBefore: op.day === null ? null : localDay(week + op.day * DAY) });
          } else if (op.k === "approve") {
            const sheet = await api(people[op.person]!.token).timesheets.submit.mutate({ periodStart: localDay(week) });
            await owner.timesheets.approve.mutate({ id: sheet.id });
          } else {
            const sheets = await api(people[op.person]!.token).timesheets.mine.query();
            const sheet = sheets.find((t) => t.periodStart === localDay(week) && t.status === "APPROVED");
            if (sheet) await owner.timesheets.reopen.mutate({ id: sheet.id });
          }
        } catch (err) {
          if (!(err instanceof TRPCClientError)) throw err;
        }
      };
      const restartDevice = (s: Seat) => {
        // Killed after its last local commit, whatever it was doing: the outbox must survive.
        count("devices killed");
        s.device = s.device.restart();
        if (s.person !== null) s.device.core.startBackgroundSync();
      };
      /** One device syncing through its proxy with a fault armed. */
      const syncWith = async (spec: SyncSpec) => {
        const s = seats[spec.seat]!;
        s.net.arm(spec);
        try {
          if (spec.fault === "hang") {
            let over = false;
            const stuck = s.device.core
              .syncNow()
              .catch(() => undefined)
              .finally(() => (over = true));
            await Promise.race([s.net.hanging, stuck]);
            if (over) return; // it had nothing to ask (or failed first)
            await sleep(5);
            // The connection changed: the stuck run is abandoned, and a sync asked for now must not join it.
            s.device.core.engine.nudge();
            await within(SETTLE_MS, `seat ${spec.seat}: a sync after nudge() waited for a request that never got an answer`, s.device.core.syncNow().catch(() => undefined));
            await within(SETTLE_MS, `seat ${spec.seat}: an abandoned sync run never ended`, stuck);
          } else {
            await within(SETTLE_MS, `seat ${spec.seat}: a sync never ended`, s.device.core.syncNow().catch(() => undefined));
          }
        } finally {
          s.net.arm(NO_FAULT);
        }
      };

      try {
        for (let no = 0; no < HOME.length; no++) {
          const net = new Network(ledger);
          const s: Seat = { no, device: createDevice({ serverUrl: SERVER, fetch: net.fetch, random: JITTER }), net, person: null };
          seats.push(s);
          await signIn(s, HOME[no]!, false);
        }

        for (const step of steps) {
          trace(JSON.stringify(step));
          switch (step.k) {
            case "create": {
              const s = seats[step.seat]!;
              if (s.person === null) break;
              const start = week + step.day * DAY + step.hour * 4 * HOUR;
              const person = s.person;
              locally(step.text, () => {
                const e = s.device.core.tracker.createManual(s.device.core.scope(), { start, end: start + 2 * HOUR, description: step.text });
                ownerOf.set(e.id, person);
              });
              break;
            }
            case "edit": {
              const s = seats[step.seat]!;
              const list = mine(s);
              if (!list.length) break;
              const target = list[step.pick % list.length]!;
              const move = step.move ? { start: week + step.move.day * DAY + step.move.hour * 4 * HOUR } : null;
              locally(step.text, () =>
                s.device.core.tracker.update(s.device.core.scope(), target.id, {
                  description: step.text,
                  billable: step.billable,
                  ...(move ? { start: move.start, end: move.start + 2 * HOUR } : {}),
                }),
              );
              break;
            }
            case "delete": {
              const s = seats[step.seat]!;
              const list = mine(s);
              if (list.length) locally("", () => s.device.core.tracker.remove(s.device.core.scope(), list[step.pick % list.length]!.id));
              break;
            }
            case "burst": {
              const work: Promise<unknown>[] = step.syncs.map((spec) => syncWith(spec));
              if (step.admin) {
                const { op, afterMs } = step.admin;
                work.push(sleep(afterMs).then(() => administer(op)));
              }
              if (step.restart) {
                const { afterMs, downMs } = step.restart;
                work.push(
                  sleep(afterMs).then(async () => {
                    count("server restarts");
                    await server.stop();
                    await sleep(downMs);
                    await server.start();
                  }),
                );
              }
              if (step.kill) {
                const { seat, afterMs } = step.kill;
                work.push(sleep(afterMs).then(() => restartDevice(seats[seat]!)));
              }
              await Promise.all(work);
              break;
            }
            case "admin":
              await administer(step.op);
              break;
            case "switch": {
              const s = seats[step.seat]!;
              if (s.person === step.to) break;
              if (step.viaLogOut && s.person !== null) {
                try {
                  await s.device.core.logOut(step.force);
                  s.person = null;
                  count("logged out");
                } catch (err) {
                  if (!isLocal(err, "UNSYNCED_CHANGES")) throw err;
                }
              }
              try {
                await signIn(s, step.to, step.force);
                count("another person signed in");
              } catch (err) {
                count("sign-in refused: unsynced changes");
                // The previous person still has unsynced changes and nobody said to discard them.
                if (!isLocal(err, "UNSYNCED_CHANGES") || step.force) throw err;
              }
              break;
            }
          }
        }

        trace("healing");
        // Healing: the server is up, locks are lifted, every seat has someone signed in and syncs
        // (all at once) until nothing waits; refused changes are discarded.
        if (!server.up) await server.start();
        await owner.workspace.update.mutate({ lockBefore: null });
        for (const p of people) {
          for (const sheet of await api(p.token).timesheets.mine.query()) {
            if (sheet.periodStart === localDay(week) && sheet.status === "APPROVED") await owner.timesheets.reopen.mutate({ id: sheet.id });
          }
        }
        for (const s of seats) if (s.person === null) await signIn(s, HOME[s.no]!, true);
        const syncAll = () => Promise.all(seats.map((s) => syncWith({ ...NO_FAULT, seat: s.no })));
        let settled = false;
        for (let round = 0; round < 8 && !settled; round++) {
          await syncAll();
          let waiting = 0;
          for (const s of seats) {
            const status = () => s.device.core.syncStatus(workspaceId);
            // Discarding drops every queued change of that entry, so re-read after each one.
            for (let r = status().rejected[0]; r; r = status().rejected[0]) {
              expect(["CONFLICT", "LOCKED_PERIOD"], `seat ${s.no}: refused ${r.name} (${r.message})`).toContain(r.reason);
              s.device.core.discardRejected(workspaceId, r.mutationId);
              const mutationId = r.mutationId;
              expect(status().rejected.map((x) => x.mutationId), `seat ${s.no}: discardRejected(${mutationId}) left the refusal in place`).not.toContain(mutationId);
              count(`discarded: ${r.reason}`);
              waiting++;
            }
            waiting += status().pending;
          }
          settled = waiting === 0;
        }
        for (const s of seats) s.device.core.engine.stop();
        await syncAll();

        trace("checking");
        // The model.
        for (const [key, list] of ledger.answers) {
          const first = list[0]!;
          for (const a of list) {
            expect({ key, status: a.status, reason: a.reason }, `mutation ${key} got two different answers`).toEqual({
              key,
              status: first.status,
              reason: first.reason,
            });
          }
        }
        const onServer = new Map<number, Map<string, Snapshot>>();
        for (let p = 0; p < people.length; p++) {
          const res = await api(people[p]!.token).entries.list.query({
            from: new Date(window.from),
            to: new Date(window.to),
            page: { limit: 500, cursor: 0 },
          });
          onServer.set(
            p,
            new Map(res.items.map((e) => [e.id, snapshotOf({ ...e, start: e.start.getTime(), end: e.end ? e.end.getTime() : null })])),
          );
        }
        for (const [p, entries] of onServer) {
          for (const [id, state] of entries) {
            expect(ownerOf.get(id), `entry ${id} of ${NAMES[p]} on the server was created by someone else (or by no device)`).toBe(p);
            const puts = ledger.of(id).filter((m) => m.put);
            // Server order wins: the state is that of a put that was not followed by an applied put sent after its answer.
            const candidates = puts.filter((m) => {
              if (ledger.refused(m.key)) return false;
              const done = ledger.appliedAt(m.key) ?? Infinity;
              return !puts.some((q) => q !== m && q.firstSent > done && ledger.appliedAt(q.key) !== null);
            });
            expect(
              candidates.map((m) => m.put),
              `entry ${id} of ${NAMES[p]} is on the server in a state no put that may have been applied last carries`,
            ).toContainEqual(state);
          }
        }
        const everywhere = new Map([...onServer.values()].flatMap((m) => [...m]));
        for (const id of new Set([...ledger.sent.values()].map((m) => m.entityId))) {
          const mutations = ledger.of(id);
          const deletes = mutations.filter((m) => m.name === "entry.delete");
          const appliedDelete = deletes.map((d) => ledger.appliedAt(d.key)).filter((t): t is number => t !== null);
          if (appliedDelete.length) {
            // Delete wins: gone, and no put sent after the deletion was answered was applied.
            expect(everywhere.has(id), `entry ${id}: its deletion was applied, yet the server still has it`).toBe(false);
            const firstDelete = Math.min(...appliedDelete);
            for (const m of mutations.filter((x) => x.put && x.firstSent > firstDelete)) {
              expect(ledger.appliedAt(m.key), `entry ${id}: put ${m.key} applied after its deletion`).toBeNull();
            }
          } else if (mutations.some((m) => m.put && ledger.appliedAt(m.key) !== null) && deletes.every((d) => ledger.refused(d.key))) {
            expect(everywhere.has(id), `entry ${id}: a put of it was answered as applied, but the server does not have it`).toBe(true);
          }
        }
        for (const s of seats) {
          const p = s.person!;
          const expected = Object.fromEntries([...onServer.get(p)!].sort(([a], [b]) => a.localeCompare(b)));
          const local: LocalEntry[] = mine(s);
          expect(comparable(local), `seat ${s.no} (${NAMES[p]}) differs from the server`).toEqual(expected);
          expect(s.device.core.syncStatus(workspaceId), `seat ${s.no} still has changes waiting`).toMatchObject({ pending: 0, rejected: [] });
        }
      } finally {
        for (const s of seats) {
          s.device.close();
          removeDeviceFiles(s.device);
        }
      }
    }),
    {
      numRuns: RUNS,
      seed: SEED,
      ...(PATH ? { path: PATH } : {}),
      endOnFailure: !SHRINK,
      verbose: 2,
    },
  );
  console.log(`[concurrency] ${server.kind}: ${RUNS} case(s) passed in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED})`);
  console.log(`[concurrency] exercised: ${JSON.stringify(seen, Object.keys(seen).sort())}`);
}, 3_600_000);
