import type { TenantDb } from "../db/tenant.js";
import type { Grouping, ReportFilter } from "../contract/reports.js";
import { grouping, reportedEntries, type ProjectStack } from "./summary.js";

/**
 * The hours of each group split by project: the same entries, buckets and keys as `summarize`
 * (so a group's parts add up to its hours), without rates, which a chart of hours does not need.
 */
export async function projectStacks(
  db: TenantDb,
  tenantId: string,
  filter: ReportFilter,
  groupBy: Grouping,
  ws: { timezone: string; weekStartsOn: number },
): Promise<ProjectStack[]> {
  const { bucket, key } = grouping(groupBy, ws.timezone, ws.weekStartsOn);
  const rows = await db.$queryRaw<{ key: string | null; project_id: string | null; seconds: number }[]>`
    WITH buckets AS (
      SELECT ${bucket} AS bucket, t.project_id, SUM(date_part('epoch', t.end_at - t.start_at)) AS seconds
      FROM time_entries t
      LEFT JOIN projects p ON p.tenant_id = t.tenant_id AND p.id = t.project_id
      WHERE ${reportedEntries(tenantId, filter)}
      GROUP BY 1, 2
    )
    SELECT ${key} AS key, project_id::text AS project_id, SUM(seconds)::float8 AS seconds
    FROM buckets
    GROUP BY 1, 2
    ORDER BY 1 NULLS LAST, 2 NULLS LAST`;
  return rows.map((r) => ({ key: r.key, projectId: r.project_id, seconds: r.seconds }));
}
