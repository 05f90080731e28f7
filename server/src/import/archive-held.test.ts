import { describe, expect, it } from "vitest";
import { checkHeldRows } from "./archive-held.js";
import { planPeople, splitByPerson, type HeldFor } from "./archive-people.js";
import type { SectionRows } from "./archive-records.js";

const t = (hour: number) => new Date(Date.UTC(2026, 2, 2, hour));
const day = (d: number) => new Date(Date.UTC(2026, 2, d));

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;

function entry(userId: string, start: number, end: number | null): SectionRows["entries"][number] {
  return { id: uuid(), user_id: userId, project_id: null, task_id: null, description: "", start_at: t(start), end_at: end === null ? null : t(end), billable: false, created_at: t(0), updated_at: t(0), tag_ids: [] };
}

function timesheet(userId: string, start: number, end: number): SectionRows["timesheets"][number] {
  return { id: uuid(), user_id: userId, period_start: day(start), period_end: day(end), status: "SUBMITTED", comment: null, submitted_at: t(0), decided_at: null, decided_by: null, created_at: t(0), updated_at: t(0) };
}

const held = (rows: Partial<HeldFor>): HeldFor[] => [{ email: "someone@example.test", entries: [], timesheets: [], attachments: [], ...rows }];
const refusal = (rows: Partial<HeldFor>) => {
  try {
    checkHeldRows(held(rows));
    return null;
  } catch (err) {
    return (err as Error).message;
  }
};

describe("held rows, checked at import as the database would check them at hand-over", () => {
  it("takes back-to-back entries, a running entry after the others, and one timesheet per period", () => {
    const u = uuid();
    expect(refusal({ entries: [entry(u, 10, 11), entry(u, 9, 10), entry(u, 12, null)], timesheets: [timesheet(u, 2, 9), timesheet(u, 9, 16)] })).toBeNull();
  });

  it("refuses overlapping entries, also with a running entry, an entry ending before it starts, and two timesheets of one period", () => {
    const u = uuid();
    expect(refusal({ entries: [entry(u, 9, 11), entry(u, 10, 12)] })).toMatch(/time_entries_no_overlap/);
    expect(refusal({ entries: [entry(u, 9, null), entry(u, 14, 15)] })).toMatch(/time_entries_no_overlap/);
    expect(refusal({ entries: [entry(u, 11, 10)] })).toMatch(/time_entries_end_after_start/);
    expect(refusal({ timesheets: [timesheet(u, 2, 9), timesheet(u, 2, 9)] })).toMatch(/period_start/);
    expect(refusal({ timesheets: [timesheet(u, 9, 2)] })).toMatch(/timesheets_check/);
  });
});

describe("splitByPerson", () => {
  it("keeps the importer's rows, holds each invited member's, and counts those of people no longer members", () => {
    const [importer, invited, gone] = [uuid(), uuid(), uuid()];
    const member = (userId: string, email: string) => ({ id: uuid(), user_id: userId, role: "EMPLOYEE" as const, hourly_rate_cents: null, created_at: t(0), email, name: email });
    const members = [member(importer, "me@example.test"), member(invited, "Them@Example.test")];
    const entries = [entry(importer, 9, 10), entry(invited, 9, 10), entry(invited, 11, 12), entry(gone, 9, 10)];
    const attachment = (entryId: string) => ({ id: uuid(), entry_id: entryId, user_id: invited, uploaded_by: invited, original_name: "a.png", size_bytes: 1, content_type: "image/png", sha256: "a".repeat(64), created_at: t(0) });
    const rows = { members, entries, timesheets: [timesheet(invited, 2, 9)], attachments: [attachment(entries[1]!.id), attachment(entries[3]!.id)] } as unknown as SectionRows;
    const people = planPeople(members, { userId: "10000000-0000-4000-8000-000000000000", email: "me@example.test" });
    const { kept, held, leftOut } = splitByPerson(rows, people);
    expect(kept.entries.map((e) => e.id)).toEqual([entries[0]!.id]);
    expect(held.map((h) => [h.email, h.entries.length, h.timesheets.length, h.attachments.length])).toEqual([["them@example.test", 2, 1, 1]]);
    expect(leftOut).toEqual([{ email: null, entries: 1, timesheets: 0, attachments: 1 }]);
  });
});

describe("held rows of an archive (held.json), placed like an archived member's own", () => {
  it("keeps the importer's, holds the others' by e-mail address with the member's invitation if there is one, else one with the held role (an owner as admin)", () => {
    const [me, member, held1, held2, held3] = [uuid(), uuid(), uuid(), uuid(), uuid()];
    const members = [{ id: uuid(), user_id: member, role: "MANAGER" as const, hourly_rate_cents: null, created_at: t(0), email: "member@example.test", name: "m" }];
    const pending = [
      { email: "me@example.test", role: "EMPLOYEE" as const, userId: held1 },
      { email: "member@example.test", role: "EMPLOYEE" as const, userId: held2 },
      { email: "boss@example.test", role: "OWNER" as const, userId: held3 },
    ];
    const people = planPeople(members, { userId: me, email: "Me@Example.test" }, pending);
    expect(people.invitations).toEqual([
      { email: "member@example.test", role: "MANAGER" },
      { email: "boss@example.test", role: "ADMIN" },
    ]);
    expect(people.userOf.get(held1)).toBe(me);
    const entries = [entry(held1, 9, 10), entry(member, 9, 10), entry(held2, 11, 12), entry(held3, 9, 10)];
    const rows = { members, entries, timesheets: [timesheet(held2, 2, 9)], attachments: [] } as unknown as SectionRows;
    const { kept, held, leftOut } = splitByPerson(rows, people, pending);
    expect(kept.entries.map((e) => e.id)).toEqual([entries[0]!.id]);
    expect(held.map((h) => [h.email, h.entries.length, h.timesheets.length])).toEqual([
      ["member@example.test", 2, 1],
      ["boss@example.test", 1, 0],
    ]);
    expect(leftOut).toEqual([]);
  });
});
