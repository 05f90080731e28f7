/**
 * Property: whatever devices do offline and whatever goes wrong on the way
 * (server restarts, lost responses, duplicated pushes, devices killed after a
 * local write), once everyone syncs, every device shows exactly what the
 * server has: nothing lost, nothing duplicated, deletions respected.
 *
 * Two devices of one user and one of another, against a real server on
 * PostgreSQL and real SQLite files. FAULT_RUNS sets the number of cases
 * (scripts/nightly-faults.sh runs thousands).
 */
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { LocalEntry } from "../../apps/desktop/src/core/store/entries.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";
import { signUpConfirmed, TEST_PASSWORD } from "../support/people.js";
import { RestartableServer } from "../support/restartable-server.js";
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../../server/src/routers/index.js";

const RUNS = Number(process.env.FAULT_RUNS ?? 60);
/** What the devices believe the server's address is; the network maps it to wherever the server runs now. */
const SERVER = "http://hoursync.test";
const HOUR = 3_600_000;

let server: RestartableServer;
let workspaceId: string;
const people: { email: string; token: string; userId: string }[] = [];

function api(token: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${SERVER}/trpc`,
        transformer: superjson,
        fetch: (input, init) => fetch(String(input).replace(SERVER, server.url), init),
        headers: () => ({ authorization: `Bearer ${token}`, "x-hoursync-workspace": workspaceId }),
      }),
    ],
  });
}

beforeAll(async () => {
  server = await RestartableServer.create();
  const anonymous = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${server.url}/trpc`, transformer: superjson })],
  });
  const desk = { client: () => anonymous, mailbox: server.mailbox };
  const owner = await signUpConfirmed(desk, {
    email: "owner@faults.test",
    password: TEST_PASSWORD,
    name: "Owner",
    workspaceName: "Faults",
  });
  workspaceId = owner.workspaceId;
  const ownerApi = api(owner.token);
  await ownerApi.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
  for (const name of ["ursula", "victor"]) {
    const inv = await ownerApi.members.invite.mutate({ email: `${name}@faults.test`, role: "EMPLOYEE" });
    const joined = await signUpConfirmed(desk, {
      email: `${name}@faults.test`,
      password: TEST_PASSWORD,
      name,
      invitationToken: inv.token,
    });
    people.push({ email: `${name}@faults.test`, token: joined.token, userId: joined.user.id });
  }
}, 60_000);

afterAll(async () => {
  await server.dispose();
});

/** A device's view of the network: the server when it is up, plus the faults a case injects. */
class Network {
  dropNextPushResponse = false;
  duplicateNextPush = false;

  readonly fetch: typeof fetch = async (input, init) => {
    if (!server.up) throw new TypeError("fetch failed: connection refused");
    const url = String(input).replace(SERVER, server.url);
    const isPush = url.includes("sync.push");
    if (isPush && this.duplicateNextPush) {
      this.duplicateNextPush = false;
      await fetch(url, init);
    }
    const res = await fetch(url, init);
    if (isPush && this.dropNextPushResponse) {
      this.dropNextPushResponse = false;
      await res.arrayBuffer();
      throw new TypeError("fetch failed: the response was lost");
    }
    return res;
  };
}

interface Seat {
  person: number;
  device: Device;
  net: Network;
}

type Op =
  | { k: "create"; seat: number; slot: number; text: string }
  | { k: "edit"; seat: number; pick: number; text: string; billable: boolean }
  | { k: "delete"; seat: number; pick: number }
  | { k: "sync"; seat: number }
  | { k: "lostResponse"; seat: number }
  | { k: "duplicatePush"; seat: number }
  | { k: "kill"; seat: number }
  | { k: "serverRestart"; seat: number };

const seat = fc.integer({ min: 0, max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ k: fc.constant("create" as const), seat, slot: fc.integer({ min: 0, max: 11 }), text: fc.string({ maxLength: 12 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("edit" as const), seat, pick: fc.nat(), text: fc.string({ maxLength: 12 }), billable: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("delete" as const), seat, pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("sync" as const), seat }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("lostResponse" as const), seat }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("duplicatePush" as const), seat }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("kill" as const), seat }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("serverRestart" as const), seat }) },
);

let caseNo = 0;

function comparable(entries: { id: string; start: number; end: number | null; description: string; billable: boolean }[]) {
  return Object.fromEntries(
    [...entries].sort((a, b) => a.id.localeCompare(b.id)).map((e) => [e.id, [e.start, e.end, e.description, e.billable]]),
  );
}

it(`converges after random offline work and faults (${RUNS} cases)`, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 24 }), async (ops) => {
      // Each case works in its own window of time, so cases never collide.
      const windowStart = Date.UTC(2028, 0, 1) + caseNo++ * 100 * HOUR;
      const window = { from: windowStart, to: windowStart + 100 * HOUR };
      const seats: Seat[] = [];
      const created = [new Set<string>(), new Set<string>()];
      const deleted = [new Set<string>(), new Set<string>()];
      if (!server.up) await server.start();
      try {
        for (const person of [0, 0, 1]) {
          const net = new Network();
          const device = createDevice({ serverUrl: SERVER, fetch: net.fetch, random: () => 0 });
          await device.core.logIn({ serverUrl: SERVER, email: people[person]!.email, password: TEST_PASSWORD });
          device.core.selectWorkspace(workspaceId);
          seats.push({ person, device, net });
        }
        const mine = (s: Seat) => s.device.core.tracker.list(s.device.core.scope(), window).sort((a, b) => a.id.localeCompare(b.id));
        const trySync = (s: Seat) => s.device.core.syncNow().catch(() => undefined);

        for (const o of ops) {
          const s = seats[o.seat]!;
          const scope = () => s.device.core.scope();
          switch (o.k) {
            case "create": {
              // Seats get disjoint hours, so only a device's own entries can collide (and those it refuses itself).
              const start = windowStart + (o.seat * 30 + o.slot * 2) * HOUR;
              try {
                const e = s.device.core.tracker.createManual(scope(), { start, end: start + HOUR, description: o.text });
                created[s.person]!.add(e.id);
              } catch {
                // the slot is taken on this device: refused locally, nothing written
              }
              break;
            }
            case "edit": {
              const list = mine(s);
              if (list.length) s.device.core.tracker.update(scope(), list[o.pick % list.length]!.id, { description: o.text, billable: o.billable });
              break;
            }
            case "delete": {
              const list = mine(s);
              if (list.length) {
                const id = list[o.pick % list.length]!.id;
                s.device.core.tracker.remove(scope(), id);
                deleted[s.person]!.add(id);
              }
              break;
            }
            case "sync":
              await trySync(s);
              break;
            case "lostResponse":
              s.net.dropNextPushResponse = true;
              await trySync(s);
              s.net.dropNextPushResponse = false;
              break;
            case "duplicatePush":
              s.net.duplicateNextPush = true;
              await trySync(s);
              s.net.duplicateNextPush = false;
              break;
            case "kill":
              // Killed after its last local commit: whatever is in the outbox must survive.
              s.device = s.device.restart();
              break;
            case "serverRestart":
              await server.stop();
              await trySync(s); // offline: must fail without losing anything
              await server.start();
              break;
          }
        }

        // Everyone comes online and syncs until nothing waits; refused changes are discarded.
        for (let round = 0; round < 6; round++) {
          for (const s of seats) await s.device.core.syncNow();
          let waiting = 0;
          for (const s of seats) {
            // Discarding drops every queued change of that entry, so re-read the list after each one.
            for (let r = s.device.core.syncStatus(workspaceId).rejected[0]; r; r = s.device.core.syncStatus(workspaceId).rejected[0]) {
              expect(r.reason).toBe("CONFLICT"); // only edits of entries deleted elsewhere may be refused
              s.device.core.discardRejected(workspaceId, r.mutationId);
              waiting++;
            }
            waiting += s.device.core.syncStatus(workspaceId).pending;
          }
          if (waiting === 0) break;
        }
        for (const s of seats) await s.device.core.syncNow();

        for (const person of [0, 1]) {
          const onServer = await api(people[person]!.token).entries.list.query({
            from: new Date(window.from),
            to: new Date(window.to),
            page: { limit: 500, cursor: 0 },
          });
          const serverView = comparable(
            onServer.items.map((e) => ({ ...e, start: e.start.getTime(), end: e.end ? e.end.getTime() : null })),
          );
          const expected = [...created[person]!].filter((id) => !deleted[person]!.has(id)).sort();
          expect(Object.keys(serverView)).toEqual(expected);
          for (const s of seats.filter((x) => x.person === person)) {
            const local: LocalEntry[] = mine(s);
            expect(comparable(local)).toEqual(serverView);
            expect(s.device.core.syncStatus(workspaceId)).toMatchObject({ pending: 0, rejected: [] });
          }
        }
      } finally {
        for (const s of seats) {
          s.device.close();
          removeDeviceFiles(s.device);
        }
      }
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
}, 900_000);
