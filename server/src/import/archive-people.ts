import { randomUUID } from "node:crypto";
import type { Role } from "../contract/common.js";
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
  /** Everyone else: invited with their role; their own rows are left out. */
  invitations: { email: string; role: Role }[];
}

/** Nobody but the importer owns what they import: an archived owner comes back as an admin. */
const restoredRole = (role: Role): Role => (role === "OWNER" ? "ADMIN" : role);

/**
 * The importer becomes the owner (and takes the place of their own
 * archived membership, if any). Every other archived member gets a pending
 * invitation with their role, even one with an account on this server: an
 * import must not make anyone a member of a workspace, under entries they
 * never wrote, without their say. Their own rows stay out.
 */
export function planPeople(members: SectionRows["members"], importer: Importer): PeoplePlan {
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
  return plan;
}

/** Someone whose own rows stay out of the import (anyone but the importer), and how many. */
export interface LeftOut {
  /** Their e-mail address, or null for rows of someone no longer a member when the archive was made. */
  email: string | null;
  entries: number;
  timesheets: number;
  attachments: number;
}

/**
 * The rows of people who come back, and a count of those left out. Entries
 * (and their attachments) and timesheets belong to one person and cannot be
 * moved onto another: entries of one person never overlap, which two
 * people's days would.
 */
export function splitByPerson(rows: SectionRows, people: PeoplePlan): { kept: Pick<SectionRows, "entries" | "timesheets" | "attachments">; leftOut: LeftOut[] } {
  const emailOf = new Map(rows.members.map((m) => [m.user_id, m.email.toLowerCase()]));
  const out = new Map<string, LeftOut>();
  const tally = (userId: string, field: "entries" | "timesheets" | "attachments") => {
    const email = emailOf.get(userId) ?? null;
    const key = email ?? "";
    const row = out.get(key) ?? { email, entries: 0, timesheets: 0, attachments: 0 };
    row[field]++;
    out.set(key, row);
  };
  const restored = (userId: string) => people.userOf.has(userId);
  const entries = rows.entries.filter((e) => restored(e.user_id) || (tally(e.user_id, "entries"), false));
  const timesheets = rows.timesheets.filter((t) => restored(t.user_id) || (tally(t.user_id, "timesheets"), false));
  const entryUser = new Map(rows.entries.map((e) => [e.id, e.user_id]));
  const attachments = rows.attachments.filter((a) => restored(entryUser.get(a.entry_id)!) || (tally(entryUser.get(a.entry_id)!, "attachments"), false));
  return { kept: { entries, timesheets, attachments }, leftOut: [...out.values()] };
}
