import { Prisma } from "../db/generated/client.js";
import type { TenantDb } from "../db/tenant.js";
import type { Grouping, ReportFilter } from "../contract/reports.js";

export interface ReportRow {
  key: string | null;
  label: string;
  seconds: number;
  billableSeconds: number;
  amountCents: number;
}

export interface ProjectStack {
  key: string | null;
  projectId: string | null;
  seconds: number;
}

export interface Summary {
  groups: ReportRow[];
  /** Hours of each group split by project, when asked for (`stackBy: "project"`): what a stacked chart draws. */
  stacks?: ProjectStack[];
  totals: { seconds: number; billableSeconds: number; amountCents: number };
  currency: string;
}

/** Stands for "no project" where a join key cannot be NULL. */
const NO_PROJECT = "00000000-0000-0000-0000-000000000000";

/**
 * Each grouping in two steps: the bucket an entry falls in (cheap per row),
 * then the key shown for a bucket (formatted once per bucket, not per row).
 * Days and weeks are those of the workspace's time zone.
 */
export function grouping(groupBy: Grouping, timezone: string, weekStartsOn: number) {
  switch (groupBy) {
    case "day":
      return {
        bucket: Prisma.sql`date_trunc('day', t.start_at AT TIME ZONE ${timezone})`,
        key: Prisma.sql`to_char(bucket, 'YYYY-MM-DD')`,
      };
    case "week": {
      // date_trunc('week') starts on Monday: shift so weeks start on the workspace's day.
      const shift = (1 - weekStartsOn + 7) % 7;
      return {
        bucket: Prisma.sql`date_trunc('day', t.start_at AT TIME ZONE ${timezone})`,
        key: Prisma.sql`to_char(date_trunc('week', bucket + make_interval(days => ${shift})) - make_interval(days => ${shift}), 'YYYY-MM-DD')`,
      };
    }
    case "project":
      return { bucket: Prisma.sql`t.project_id`, key: Prisma.sql`bucket::text` };
    case "client":
      return { bucket: Prisma.sql`p.client_id`, key: Prisma.sql`bucket::text` };
    case "user":
      return { bucket: Prisma.sql`t.user_id`, key: Prisma.sql`bucket::text` };
  }
}

/** `column IN (...)` for a filter list, or no condition when the list is absent. */
export function oneOf(column: Prisma.Sql, ids: string[] | undefined) {
  if (!ids?.length) return Prisma.empty;
  return Prisma.sql`AND ${column} IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})`;
}

/**
 * The entries `t` a report counts: the tenant's finished entries in the range, with the filter's
 * people, projects, clients (through the project joined as `p`), billable flag and tags.
 */
export function reportedEntries(tenantId: string, filter: ReportFilter) {
  const billable = filter.billable === undefined ? Prisma.empty : Prisma.sql`AND t.billable = ${filter.billable}`;
  const tags = filter.tagIds?.length
    ? Prisma.sql`AND EXISTS (SELECT 1 FROM time_entry_tags tt
        WHERE tt.tenant_id = t.tenant_id AND tt.entry_id = t.id ${oneOf(Prisma.sql`tt.tag_id`, filter.tagIds)})`
    : Prisma.empty;
  return Prisma.sql`t.tenant_id = ${tenantId}::uuid
        AND t.end_at IS NOT NULL
        AND t.start_at >= ${filter.from} AND t.start_at < ${filter.to}
        ${oneOf(Prisma.sql`t.user_id`, filter.userIds)}
        ${oneOf(Prisma.sql`t.project_id`, filter.projectIds)}
        ${oneOf(Prisma.sql`p.client_id`, filter.clientIds)}
        ${billable}
        ${tags}`;
}

/**
 * Totals of finished entries over a range, grouped, with billable hours and
 * amounts. The rate of an entry is the most specific one set: the member's
 * rate on that project, the member's rate, the project's, the workspace's.
 *
 * Rates depend only on (person, project), so they are resolved once into two
 * small tables (projects with their fallback rate and client; members' own
 * rates per project) that each entry meets in a hash join, instead of four
 * joins per entry. People no longer members keep the project's rate. The
 * rate tables are inlined (NOT MATERIALIZED): a materialized CTE would keep
 * the scan of the entries out of parallel workers.
 */
export async function summarize(
  db: TenantDb,
  tenantId: string,
  filter: ReportFilter,
  groupBy: Grouping,
  ws: { timezone: string; weekStartsOn: number; currency: string },
): Promise<Summary> {
  const { bucket, key } = grouping(groupBy, ws.timezone, ws.weekStartsOn);
  const rows = await db.$queryRaw<{ key: string | null; seconds: number; billable_seconds: number; amount_cents: number }[]>`
    WITH project_rates AS NOT MATERIALIZED (
      SELECT p.id AS project_key, p.client_id, COALESCE(p.hourly_rate_cents, w.hourly_rate_cents, 0) AS rate
      FROM projects p JOIN workspaces w ON w.tenant_id = p.tenant_id
      WHERE p.tenant_id = ${tenantId}::uuid
      UNION ALL
      SELECT ${NO_PROJECT}::uuid, NULL, COALESCE(w.hourly_rate_cents, 0) FROM workspaces w WHERE w.tenant_id = ${tenantId}::uuid
    ),
    member_rates AS NOT MATERIALIZED (
      SELECT m.user_id, p.project_key, COALESCE(pm.hourly_rate_cents, m.hourly_rate_cents) AS rate
      FROM memberships m CROSS JOIN project_rates p
      LEFT JOIN project_members pm
        ON pm.tenant_id = m.tenant_id AND pm.membership_id = m.id AND pm.project_id = p.project_key
      WHERE m.tenant_id = ${tenantId}::uuid AND (pm.hourly_rate_cents IS NOT NULL OR m.hourly_rate_cents IS NOT NULL)
    ),
    buckets AS (
      SELECT ${bucket} AS bucket,
             SUM(date_part('epoch', t.end_at - t.start_at)) AS seconds,
             SUM(date_part('epoch', t.end_at - t.start_at)) FILTER (WHERE t.billable) AS billable_seconds,
             SUM(date_part('epoch', t.end_at - t.start_at) * COALESCE(mr.rate, p.rate, 0) / 3600.0) FILTER (WHERE t.billable) AS amount
      FROM time_entries t
      LEFT JOIN project_rates p ON p.project_key = COALESCE(t.project_id, ${NO_PROJECT}::uuid)
      LEFT JOIN member_rates mr ON mr.user_id = t.user_id AND mr.project_key = COALESCE(t.project_id, ${NO_PROJECT}::uuid)
      WHERE ${reportedEntries(tenantId, filter)}
      GROUP BY 1
    )
    SELECT ${key} AS key,
           SUM(seconds)::float8 AS seconds,
           COALESCE(SUM(billable_seconds), 0)::float8 AS billable_seconds,
           COALESCE(ROUND(SUM(amount)), 0)::float8 AS amount_cents
    FROM buckets
    GROUP BY 1
    ORDER BY 1 NULLS LAST`;
  const labels = await labelsFor(db, tenantId, groupBy, rows.map((r) => r.key));
  const groups = rows.map((r) => ({
    key: r.key,
    label: labels.get(r.key) ?? r.key ?? "(none)",
    seconds: r.seconds,
    billableSeconds: r.billable_seconds,
    amountCents: r.amount_cents,
  }));
  const totals = groups.reduce(
    (t, g) => ({ seconds: t.seconds + g.seconds, billableSeconds: t.billableSeconds + g.billableSeconds, amountCents: t.amountCents + g.amountCents }),
    { seconds: 0, billableSeconds: 0, amountCents: 0 },
  );
  return { groups, totals, currency: ws.currency };
}

async function labelsFor(db: TenantDb, tenantId: string, groupBy: Grouping, keys: (string | null)[]) {
  const ids = keys.filter((k): k is string => k !== null);
  const labels = new Map<string | null, string>();
  if (groupBy === "project") {
    labels.set(null, "No project");
    for (const p of await db.project.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, name: true } })) labels.set(p.id, p.name);
  } else if (groupBy === "client") {
    labels.set(null, "No client");
    for (const c of await db.client.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, name: true } })) labels.set(c.id, c.name);
  } else if (groupBy === "user") {
    const members = await db.membership.findMany({
      where: { tenantId, userId: { in: ids } },
      select: { userId: true, user: { select: { name: true } } },
    });
    for (const m of members) labels.set(m.userId, m.user.name);
  }
  return labels;
}
