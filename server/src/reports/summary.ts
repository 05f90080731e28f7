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

export interface Summary {
  groups: ReportRow[];
  totals: { seconds: number; billableSeconds: number; amountCents: number };
  currency: string;
}

/** The grouping key of each entry; days and weeks are those of the workspace's time zone. */
function keyOf(groupBy: Grouping, timezone: string, weekStartsOn: number) {
  const local = Prisma.sql`(e.start_at AT TIME ZONE ${timezone})`;
  // date_trunc('week') starts on Monday: shift so weeks start on the workspace's day.
  const shift = (1 - weekStartsOn + 7) % 7;
  switch (groupBy) {
    case "day":
      return Prisma.sql`to_char(date_trunc('day', ${local}), 'YYYY-MM-DD')`;
    case "week":
      return Prisma.sql`to_char(date_trunc('week', ${local} + make_interval(days => ${shift})) - make_interval(days => ${shift}), 'YYYY-MM-DD')`;
    case "project":
      return Prisma.sql`e.project_id::text`;
    case "client":
      return Prisma.sql`e.client_id::text`;
    case "user":
      return Prisma.sql`e.user_id::text`;
  }
}

const uuidList = (ids: string[] | undefined) => (ids && ids.length ? JSON.stringify(ids) : null);

/**
 * Totals of finished entries over a range, grouped, with billable hours and
 * amounts. The rate of an entry is the most specific one set: the member's
 * rate on that project, the member's rate, the project's, the workspace's.
 */
export async function summarize(
  db: TenantDb,
  tenantId: string,
  filter: ReportFilter,
  groupBy: Grouping,
  ws: { timezone: string; weekStartsOn: number; currency: string },
): Promise<Summary> {
  const users = uuidList(filter.userIds);
  const projects = uuidList(filter.projectIds);
  const clients = uuidList(filter.clientIds);
  const tags = uuidList(filter.tagIds);
  const billable = filter.billable ?? null;
  const rows = await db.$queryRaw<{ key: string | null; seconds: number; billable_seconds: number; amount_cents: number }[]>`
    WITH e AS (
      SELECT t.user_id, t.project_id, p.client_id, t.start_at, t.billable,
             EXTRACT(EPOCH FROM (t.end_at - t.start_at))::float8 AS secs,
             COALESCE(pm.hourly_rate_cents, m.hourly_rate_cents, p.hourly_rate_cents, w.hourly_rate_cents, 0) AS rate
      FROM time_entries t
      JOIN workspaces w ON w.tenant_id = t.tenant_id
      LEFT JOIN projects p ON p.tenant_id = t.tenant_id AND p.id = t.project_id
      LEFT JOIN memberships m ON m.tenant_id = t.tenant_id AND m.user_id = t.user_id
      LEFT JOIN project_members pm
        ON pm.tenant_id = t.tenant_id AND pm.project_id = t.project_id AND pm.membership_id = m.id
      WHERE t.tenant_id = ${tenantId}::uuid
        AND t.end_at IS NOT NULL
        AND t.start_at >= ${filter.from} AND t.start_at < ${filter.to}
        AND (${users}::jsonb IS NULL OR ${users}::jsonb @> to_jsonb(t.user_id::text))
        AND (${projects}::jsonb IS NULL OR ${projects}::jsonb @> to_jsonb(t.project_id::text))
        AND (${clients}::jsonb IS NULL OR ${clients}::jsonb @> to_jsonb(p.client_id::text))
        AND (${billable}::boolean IS NULL OR t.billable = ${billable}::boolean)
        AND (${tags}::jsonb IS NULL OR EXISTS (
              SELECT 1 FROM time_entry_tags tt
              WHERE tt.tenant_id = t.tenant_id AND tt.entry_id = t.id AND ${tags}::jsonb @> to_jsonb(tt.tag_id::text)))
    )
    SELECT ${keyOf(groupBy, ws.timezone, ws.weekStartsOn)} AS key,
           SUM(e.secs)::float8 AS seconds,
           COALESCE(SUM(e.secs) FILTER (WHERE e.billable), 0)::float8 AS billable_seconds,
           COALESCE(ROUND(SUM(e.secs * e.rate / 3600.0) FILTER (WHERE e.billable)), 0)::float8 AS amount_cents
    FROM e
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
