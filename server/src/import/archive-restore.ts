import { randomUUID } from "node:crypto";
import { recordAudit } from "../audit/record.js";
import { newInvitationToken } from "../auth/invitations.js";
import type { PrismaClient } from "../db/generated/client.js";
import { withTenant, type TenantDb } from "../db/tenant.js";
import { databaseTimeZone } from "../db/time-zones.js";
import type { HeldCount } from "../domain/held-rows.js";
import { malformed } from "./archive-errors.js";
import { IdMap } from "./archive-ids.js";
import type { RestoredFile } from "./archive-files.js";
import { heldRowsOf } from "./archive-held.js";
import type { HeldFor, PeoplePlan } from "./archive-people.js";
import type { SectionRows } from "./archive-records.js";

/** Invitations made by an import last as long as those made by hand (members.invite). */
const INVITATION_TTL_DAYS = 14;
/** Rows per insert statement. */
const CHUNK = 1000;
/** A large workspace is many statements: the one transaction may take this long. */
export const RESTORE_TIMEOUT_MS = 120_000;

export interface RestoreCounts {
  members: number;
  invitations: number;
  clients: number;
  projects: number;
  tasks: number;
  tags: number;
  entries: number;
  timesheets: number;
  attachments: number;
  auditEvents: number;
}

export interface RestoreInput {
  tenantId: string;
  importerId: string;
  rows: SectionRows;
  /** The rows of people who come back (archive-people.ts decides). */
  kept: Pick<SectionRows, "entries" | "timesheets" | "attachments">;
  /** Invited people's own rows, held under their invitations. */
  held: HeldFor[];
  people: PeoplePlan;
  /** The stored files of kept and held attachments. */
  files: RestoredFile[];
}

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

/**
 * Writes the new workspace in one transaction of its own tenant: settings,
 * the importer as owner, members and invitations, then each section with
 * new ids, what is pointed at before what points. A failure rolls all of
 * it back. Answers the pending invitations' tokens (as members.invite does:
 * the inviter passes them on) and what is held for each invited person.
 */
export async function restoreRows(
  prisma: PrismaClient,
  input: RestoreInput,
): Promise<{ counts: RestoreCounts; invitations: { email: string; role: string; token: string }[]; held: HeldCount[] }> {
  const { tenantId, rows, kept, people } = input;
  const ids = new IdMap();
  const held = input.held;
  for (const section of [
    rows.clients,
    rows.projects,
    rows.tasks,
    rows.tags,
    kept.entries,
    kept.timesheets,
    ...held.flatMap((h) => [h.entries, h.timesheets, h.attachments]),
    rows["audit-log"],
    kept.attachments,
  ]) {
    ids.add(section.map((r) => r.id));
  }
  const userOf = (archived: string | null) => (archived === null ? null : (people.userOf.get(archived) ?? null));

  return withTenant(
    prisma,
    tenantId,
    async (db) => {
      const ws = rows.workspace[0]!;
      // Reports compute in the workspace's zone inside the database: it must know it, in its own spelling.
      const timezone = await databaseTimeZone(prisma, db, ws.timezone);
      if (!timezone) throw malformed(`The workspace's time zone ${ws.timezone} is not known here`, "workspace.json");
      await db.workspace.create({
        data: {
          id: tenantId,
          name: ws.name,
          timezone,
          weekStartsOn: ws.week_starts_on,
          currency: ws.currency,
          hourlyRateCents: ws.hourly_rate_cents,
          rateLimitPerMinute: ws.rate_limit_per_minute,
          userRateLimitPerMinute: ws.user_rate_limit_per_minute,
          timesheetPeriod: ws.timesheet_period,
          lockBefore: ws.lock_before,
          lockGraceDays: ws.lock_grace_days,
          approvalMode: ws.approval_mode,
        },
      });
      await db.membership.createMany({ data: people.memberships.map((m) => ({ tenantId, ...m })) });
      const { invitations, invitationOf } = await invite(db, tenantId, input.importerId, people.invitations);

      await inChunks(rows.clients, (c) =>
        db.client.createMany({
          data: c.map((r) => ({ tenantId, id: ids.of(r.id), name: r.name, archived: r.archived, createdAt: r.created_at, updatedAt: r.updated_at })),
        }),
      );
      await inChunks(rows.projects, (c) =>
        db.project.createMany({
          data: c.map((r) => ({
            tenantId,
            id: ids.of(r.id),
            clientId: ids.ofNullable(r.client_id),
            name: r.name,
            color: r.color,
            billable: r.billable,
            hourlyRateCents: r.hourly_rate_cents,
            archived: r.archived,
            createdAt: r.created_at,
            updatedAt: r.updated_at,
          })),
        }),
      );
      const projectMembers = rows.projects.flatMap((p) =>
        p.member_ids.flatMap((m) => {
          const membershipId = people.membershipOf.get(m);
          return membershipId ? [{ tenantId, projectId: ids.of(p.id), membershipId }] : [];
        }),
      );
      await inChunks(projectMembers, (c) => db.projectMember.createMany({ data: c, skipDuplicates: true }));
      await inChunks(rows.tasks, (c) =>
        db.task.createMany({
          data: c.map((r) => ({ tenantId, id: ids.of(r.id), projectId: ids.of(r.project_id), name: r.name, done: r.done, createdAt: r.created_at, updatedAt: r.updated_at })),
        }),
      );
      await inChunks(rows.tags, (c) =>
        db.tag.createMany({ data: c.map((r) => ({ tenantId, id: ids.of(r.id), name: r.name, createdAt: r.created_at, updatedAt: r.updated_at })) }),
      );
      await inChunks(kept.entries, (c) =>
        db.timeEntry.createMany({
          data: c.map((r) => ({
            tenantId,
            id: ids.of(r.id),
            userId: userOf(r.user_id)!,
            projectId: ids.ofNullable(r.project_id),
            taskId: ids.ofNullable(r.task_id),
            description: r.description,
            start: r.start_at,
            end: r.end_at,
            billable: r.billable,
            createdAt: r.created_at,
            updatedAt: r.updated_at,
          })),
        }),
      );
      const entryTags = kept.entries.flatMap((e) => e.tag_ids.map((t) => ({ tenantId, entryId: ids.of(e.id), tagId: ids.of(t) })));
      await inChunks(entryTags, (c) => db.timeEntryTag.createMany({ data: c, skipDuplicates: true }));
      await inChunks(kept.timesheets, (c) =>
        db.timesheet.createMany({
          data: c.map((r) => ({
            tenantId,
            id: ids.of(r.id),
            userId: userOf(r.user_id)!,
            periodStart: r.period_start,
            periodEnd: r.period_end,
            status: r.status,
            comment: r.comment,
            submittedAt: r.submitted_at,
            decidedAt: r.decided_at,
            decidedBy: userOf(r.decided_by),
            createdAt: r.created_at,
            updatedAt: r.updated_at,
          })),
        }),
      );
      const attachmentRows = new Map(kept.attachments.map((a) => [a.id, a]));
      const entryUser = new Map(kept.entries.map((e) => [e.id, userOf(e.user_id)!]));
      const keptFiles = input.files.filter((f) => attachmentRows.has(f.archivedId));
      await inChunks(keptFiles, (c) =>
        db.attachment.createMany({
          data: c.map((f) => {
            const a = attachmentRows.get(f.archivedId)!;
            return {
              tenantId,
              id: ids.of(a.id),
              entryId: ids.of(a.entry_id),
              userId: entryUser.get(a.entry_id)!,
              uploadedBy: userOf(a.uploaded_by) ?? input.importerId,
              originalName: a.original_name,
              sizeBytes: BigInt(f.stored.sizeBytes),
              contentType: f.contentType,
              sha256: f.stored.sha256,
              storageKey: f.stored.key,
              createdAt: a.created_at,
            };
          }),
        }),
      );
      const heldRows = heldRowsOf({ held, ids, invitationOf, userOf, importerId: input.importerId, files: input.files });
      await inChunks(heldRows.rows, (c) => db.heldRow.createMany({ data: c.map((r) => ({ tenantId, ...r })) }));
      await inChunks(rows["audit-log"], (c) =>
        db.auditEvent.createMany({
          data: c.map((r) => ({
            tenantId,
            id: ids.of(r.id),
            actorUserId: userOf(r.actor_user_id),
            action: r.action,
            targetType: r.target_type,
            // History keeps its shape: a target the archive defines gets its new id, any other text stays as written.
            targetId: ids.tryOf(r.target_id) ?? people.userOf.get(r.target_id ?? "") ?? r.target_id,
            details: r.details as object,
            createdAt: r.created_at,
          })),
        }),
      );
      const counts: RestoreCounts = {
        members: people.memberships.length,
        invitations: invitations.length,
        clients: rows.clients.length,
        projects: rows.projects.length,
        tasks: rows.tasks.length,
        tags: rows.tags.length,
        entries: kept.entries.length,
        timesheets: kept.timesheets.length,
        attachments: keptFiles.length,
        auditEvents: rows["audit-log"].length,
      };
      await recordAudit(db, tenantId, { actorUserId: input.importerId, action: "workspace.imported", targetType: "workspace", targetId: tenantId, details: { ...counts, heldFor: heldRows.counts.length } });
      return { counts, invitations, held: heldRows.counts };
    },
    { timeout: RESTORE_TIMEOUT_MS },
  );
}

async function invite(db: TenantDb, tenantId: string, invitedBy: string, wanted: PeoplePlan["invitations"]) {
  const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000);
  const made = wanted.map((w) => ({ ...w, id: randomUUID(), ...newInvitationToken(tenantId) }));
  await db.invitation.createMany({
    data: made.map((m) => ({ tenantId, id: m.id, email: m.email, role: m.role, tokenHash: m.tokenHash, invitedBy, expiresAt })),
  });
  return {
    invitations: made.map((m) => ({ email: m.email, role: m.role, token: m.token })),
    invitationOf: new Map(made.map((m) => [m.email, m.id])),
  };
}
