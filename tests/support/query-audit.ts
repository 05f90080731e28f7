/**
 * The query audit: every statement that touches a tenant table must filter
 * (or, for inserts, write) by tenant_id. The one sanctioned exception is the
 * directory lookup ("which workspaces am I in?"), marked in its SQL.
 */
export const TENANT_TABLES = [
  "workspaces",
  "memberships",
  "invitations",
  "clients",
  "projects",
  "project_members",
  "tasks",
  "tags",
  "time_entries",
  "time_entry_tags",
  "audit_events",
  "change_counters",
  "deletions",
  "sync_clients",
  "sync_mutations",
  "timesheets",
  "notifications",
  "attachments",
  "storage_deletions",
  "held_rows",
] as const;

const TABLE_REF = new RegExp(
  `(?:FROM|JOIN|INTO|UPDATE)\\s+(?:"public"\\.)?"?(${TENANT_TABLES.join("|")})"?(?![\\w"])`,
  "gi",
);

export function tenantTablesIn(sql: string): string[] {
  return [...new Set([...sql.matchAll(TABLE_REF)].map((m) => m[1]!.toLowerCase()))];
}

const SCOPED_PREDICATE = /"?tenant_id"?\s*(?:=\s*\$\d+|IN\s*\()/i;
const INSERT_COLUMNS = /^\s*INSERT\s+INTO\s+\S+\s*\(([^)]*)\)/i;

export interface AuditViolation {
  sql: string;
  tables: string[];
}

export function auditStatement(sql: string): AuditViolation | null {
  const tables = tenantTablesIn(sql);
  if (tables.length === 0) return null;
  if (sql.includes("/* directory */")) return null;
  const insert = INSERT_COLUMNS.exec(sql);
  if (insert) return /"?tenant_id"?/.test(insert[1]!) ? null : { sql, tables };
  return SCOPED_PREDICATE.test(sql) ? null : { sql, tables };
}

export function auditStatements(statements: Iterable<string>): AuditViolation[] {
  const out: AuditViolation[] = [];
  for (const sql of statements) {
    const v = auditStatement(sql);
    if (v) out.push(v);
  }
  return out;
}
