import type { SqlSession } from "./raw-database.js";

/**
 * How each table without tenant_id would live on Citus. Tenant tables (those with tenant_id) are
 * distributed by tenant_id, all colocated with `workspaces`.
 * - reference: copied to every node, so distributed tables may hold foreign keys to it.
 * - local: stays on the coordinator only; nothing distributed may point at it.
 */
export const GLOBAL_TABLE_PLAN = {
  // Members, entries, timesheets, notifications, devices and attachments point at their person.
  users: "reference",
  // Points at users; read on every request, written at log-in: small and replicated is fine.
  sessions: "reference",
  sign_up_requests: "local",
  job_runs: "local",
  hoursync_migrations: "local",
  // The record a deleted workspace leaves: written once, read by operators only.
  workspace_deletions: "local",
} as const satisfies Record<string, "reference" | "local">;

const DISTRIBUTION_COLUMN = "tenant_id";

interface Constraint {
  table: string;
  name: string;
  kind: "p" | "u" | "x" | "f";
  columns: string[];
  /** Exclusion constraints: the operator of each column. */
  operators: string[];
  references: string | null;
  referencedColumns: string[];
  onUpdate: string;
  onDelete: string;
}

const list = (v: string | null) => (v ? v.split(",") : []);

/**
 * What Citus would refuse (or need a reference table for) in the migrated schema, read from the
 * catalog: one line per problem; empty when the schema can be distributed by tenant_id as
 * planned above. The rules are Citus' own: every primary key, unique constraint or index and
 * exclusion constraint of a distributed table includes the distribution column (an exclusion
 * with `=`); a foreign key between distributed tables includes it on both sides, and does not
 * cascade or null it on update or delete; a distributed table may point at a reference table only;
 * a reference or local table may not point at a distributed table.
 */
export async function citusProblems(sql: SqlSession): Promise<string[]> {
  const tables = await sql.query<{ table: string; tenant: boolean }>(`
    SELECT c.relname::text AS "table",
           EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = '${DISTRIBUTION_COLUMN}' AND NOT a.attisdropped) AS tenant
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`);
  const tenant = new Set(tables.filter((t) => t.tenant).map((t) => t.table));
  const plan: Record<string, string> = GLOBAL_TABLE_PLAN;
  const problems: string[] = [];

  for (const t of tables.filter((t) => !t.tenant)) {
    if (!plan[t.table]) problems.push(`${t.table}: a table without tenant_id that is in no plan (reference or local)`);
  }

  const constraints = (
    await sql.query<{
      table: string;
      name: string;
      kind: Constraint["kind"];
      columns: string | null;
      operators: string | null;
      references: string | null;
      referenced_columns: string | null;
      on_update: string;
      on_delete: string;
    }>(`
    SELECT c.relname::text AS "table", con.conname::text AS name, con.contype::text AS kind,
           (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
           (SELECT string_agg(o.oprname::text, ',' ORDER BY k.ord) FROM unnest(con.conexclop) WITH ORDINALITY k(op, ord)
              JOIN pg_operator o ON o.oid = k.op) AS operators,
           r.relname::text AS "references",
           (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS referenced_columns,
           con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class r ON r.oid = con.confrelid
    WHERE n.nspname = 'public' AND con.contype IN ('p', 'u', 'x', 'f')`)
  ).map(
    (r): Constraint => ({
      table: r.table,
      name: r.name,
      kind: r.kind,
      columns: list(r.columns),
      operators: list(r.operators),
      references: r.references,
      referencedColumns: list(r.referenced_columns),
      onUpdate: r.on_update,
      onDelete: r.on_delete,
    }),
  );

  for (const c of constraints.filter((c) => tenant.has(c.table))) {
    const at = c.columns.indexOf(DISTRIBUTION_COLUMN);
    if (c.kind === "p" || c.kind === "u") {
      if (at < 0) problems.push(`${c.table}.${c.name}: ${c.kind === "p" ? "primary key" : "unique constraint"} (${c.columns}) without tenant_id`);
    } else if (c.kind === "x") {
      if (at < 0 || c.operators[at] !== "=") problems.push(`${c.table}.${c.name}: exclusion constraint without "tenant_id WITH ="`);
    } else if (c.kind === "f") {
      const target = c.references!;
      if (tenant.has(target)) {
        const paired = at >= 0 && c.referencedColumns[at] === DISTRIBUTION_COLUMN;
        if (!paired) problems.push(`${c.table}.${c.name}: foreign key to ${target} not matched on tenant_id`);
        // a = no action, r = restrict, c = cascade, n = set null, d = set default.
        if (at >= 0 && "cnd".includes(c.onUpdate)) problems.push(`${c.table}.${c.name}: ON UPDATE ${c.onUpdate} on a key with tenant_id`);
        if (at >= 0 && "nd".includes(c.onDelete)) problems.push(`${c.table}.${c.name}: ON DELETE SET NULL/DEFAULT on a key with tenant_id`);
      } else if (plan[target] !== "reference") {
        problems.push(`${c.table}.${c.name}: a tenant table points at ${target}, which is not planned as a reference table`);
      }
    }
  }

  // Unique indexes that are not constraints (CREATE UNIQUE INDEX) bind Citus the same way.
  const uniqueIndexes = await sql.query<{ table: string; index: string; columns: string | null }>(`
    SELECT c.relname::text AS "table", i.relname::text AS index,
           (SELECT string_agg(a.attname::text, ',') FROM unnest(x.indkey) k(attnum)
              JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum) AS columns
    FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND x.indisunique
      AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid)`);
  for (const ix of uniqueIndexes.filter((ix) => tenant.has(ix.table))) {
    if (!list(ix.columns).includes(DISTRIBUTION_COLUMN)) problems.push(`${ix.table}.${ix.index}: unique index without tenant_id`);
  }

  for (const c of constraints.filter((c) => c.kind === "f" && !tenant.has(c.table))) {
    const target = c.references!;
    if (tenant.has(target)) problems.push(`${c.table}.${c.name}: a table without tenant_id points at the tenant table ${target}`);
    else if (plan[c.table] === "local") problems.push(`${c.table}.${c.name}: a coordinator-local table holds a foreign key (plan it as a reference table)`);
    else if (plan[target] !== "reference") problems.push(`${c.table}.${c.name}: a reference table points at ${target}, which is not a reference table`);
  }
  return problems.sort();
}
