import { randomUUID } from "node:crypto";
import type { Role } from "../contract/common.js";
import type { PendingPerson } from "./archive-held-section.js";
import type { SectionRows } from "./archive-records.js";

/** Who the importing person is. */
export interface Importer {
  userId: string;
  email: string;
}

/** How the archive's people land on this server. */
export interface PeoplePlan {
  /** Archived user id -> the account here whose rows they become: the importer's own. */
  userOf: Map<string, string>;
  /** Archived membership id -> new membership id, for those who become members. */
  membershipOf: Map<string, string>;
  memberships: { id: string; userId: string; role: Role; hourlyRateCents: number | null }[];
  /** Everyone else: invited with their role; their own rows are held for them (archive-held.ts). */
  invitations: { email: string; role: Role }[];
}

/** Nobody but the importer owns what they import: an archived owner comes back as an admin. */
const restoredRole = (role: Role): Role => (role === "OWNER" ? "ADMIN" : role);

/**
 * The importer becomes the owner (and takes the place of their own
 * archived membership, if any). Every other archived member gets a pending
 * invitation with their role, even one with an account on this server: an
 * import must not make anyone a member of a workspace, under entries they
 * never wrote, without their say. Their own rows wait for them, held.
 * People the archive held rows for (`pending`) come back the same way: the
 * importer's own, or invited with their held role unless a member row
 * already invited them.
 */
export function planPeople(members: SectionRows["members"], importer: Importer, pending: PendingPerson[] = []): PeoplePlan {
  const accountOf = new Map([[importer.email.toLowerCase(), importer.userId]]);

  const plan: PeoplePlan = { userOf: new Map(), membershipOf: new Map(), memberships: [], invitations: [] };
  const owner = { id: randomUUID(), userId: importer.userId, role: "OWNER" as Role, hourlyRateCents: null as number | null };
  plan.memberships.push(owner);
  const placed = new Map<string, string>([[importer.userId, owner.id]]);
  for (const m of members) {
    const email = m.email.toLowerCase();
    const account = accountOf.get(email);
    if (!account) {
      if (!plan.invitations.some((i) => i.email === email)) plan.invitations.push({ email, role: restoredRole(m.role) });
      continue;
    }
    plan.userOf.set(m.user_id, account);
    let membershipId = placed.get(account);
    if (!membershipId) {
      membershipId = randomUUID();
      placed.set(account, membershipId);
      plan.memberships.push({ id: membershipId, userId: account, role: restoredRole(m.role), hourlyRateCents: m.hourly_rate_cents });
    } else if (account === importer.userId) {
      owner.hourlyRateCents = m.hourly_rate_cents;
    }
    plan.membershipOf.set(m.id, membershipId);
  }
  for (const p of pending) {
    const account = accountOf.get(p.email);
    if (account) plan.userOf.set(p.userId, account);
    else if (!plan.invitations.some((i) => i.email === p.email)) plan.invitations.push({ email: p.email, role: restoredRole(p.role) });
  }
  return plan;
}

/** Rows of people no longer members when the archive was made: nobody to hold them for. */
export interface LeftOut {
  /** Always null: the rows' person is in no member row of the archive. */
  email: string | null;
  entries: number;
  timesheets: number;
  attachments: number;
}

/** An invited person's own rows, to be held for them until they accept (archive-held.ts). */
export interface HeldFor {
  email: string;
  entries: SectionRows["entries"];
  timesheets: SectionRows["timesheets"];
  attachments: SectionRows["attachments"];
}

type PersonalRows = Pick<SectionRows, "entries" | "timesheets" | "attachments">;

/**
 * Sorts each person's rows: the importer's are kept (restored as theirs),
 * an invited member's are held for them, and those of someone who is no
 * longer a member are left out and counted. Entries (and their
 * attachments) and timesheets belong to one person and cannot be moved onto
 * another: entries of one person never overlap, which two people's days
 * would.
 */
export function splitByPerson(
  rows: SectionRows,
  people: PeoplePlan,
  pending: PendingPerson[] = [],
): { kept: PersonalRows; held: HeldFor[]; leftOut: LeftOut[] } {
  const emailOf = new Map([...rows.members.map((m) => [m.user_id, m.email.toLowerCase()] as const), ...pending.map((p) => [p.userId, p.email] as const)]);
  const kept: PersonalRows = { entries: [], timesheets: [], attachments: [] };
  const held = new Map<string, HeldFor>();
  const gone: LeftOut = { email: null, entries: 0, timesheets: 0, attachments: 0 };
  const place = <K extends keyof PersonalRows>(userId: string, field: K, row: PersonalRows[K][number]) => {
    if (people.userOf.has(userId)) return void (kept[field] as PersonalRows[K][number][]).push(row);
    const email = emailOf.get(userId);
    if (email === undefined) return void gone[field]++;
    const theirs = held.get(email) ?? { email, entries: [], timesheets: [], attachments: [] };
    (theirs[field] as PersonalRows[K][number][]).push(row);
    held.set(email, theirs);
  };
  for (const e of rows.entries) place(e.user_id, "entries", e);
  for (const t of rows.timesheets) place(t.user_id, "timesheets", t);
  const entryUser = new Map(rows.entries.map((e) => [e.id, e.user_id]));
  for (const a of rows.attachments) place(entryUser.get(a.entry_id)!, "attachments", a);
  const leftOut = gone.entries + gone.timesheets + gone.attachments > 0 ? [gone] : [];
  return { kept, held: [...held.values()], leftOut };
}
