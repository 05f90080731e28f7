#!/usr/bin/env bash
# Restores a scripts/backup.sh dump into a new, empty database, as that database's owner role,
# then checks the database wall: row-level security enabled and forced, with policies, on every
# table with a tenant_id. The owner role must bypass RLS (BYPASSRLS, or a superuser) as the
# migrations' role must; the app role hoursync_app (a cluster-wide role a dump does not carry)
# is created when missing, as migration 0001 creates it. Restore the attachment files
# (ATTACHMENT_DIR) from the same backup.
#
#   createdb -O hoursync_owner hoursync_restored        # as an admin
#   scripts/restore.sh backup.dump postgresql://hoursync_owner@host/hoursync_restored
set -euo pipefail

file="${1:-}"
url="${2:-}"
if [[ -z "$file" || -z "$url" ]]; then
  echo "restore: scripts/restore.sh <backup.dump> postgresql://owner@host/new_database" >&2
  exit 2
fi

tables="$(psql "$url" -Atqc "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')")"
if [[ "$tables" != "0" ]]; then
  echo "restore: the target database already has ${tables} tables; restore into a new, empty database" >&2
  exit 1
fi
bypasses="$(psql "$url" -Atqc "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")"
if [[ "$bypasses" != "t" ]]; then
  echo "restore: $(psql "$url" -Atqc 'SELECT current_user') does not bypass row-level security; restore as the owner role (BYPASSRLS)" >&2
  exit 1
fi
if [[ "$(psql "$url" -Atqc "SELECT count(*) FROM pg_roles WHERE rolname = 'hoursync_app'")" == "0" ]]; then
  echo "restore: creating the app role hoursync_app (LOGIN NOSUPERUSER NOBYPASSRLS; set its password after)"
  psql "$url" -v ON_ERROR_STOP=1 -qc "CREATE ROLE hoursync_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
fi

# One transaction: a restore that fails leaves the database empty. --no-owner: every object
# belongs to the restoring owner role (the dump's owner may not exist here); grants to
# hoursync_app, the RLS settings and the policies come from the dump as they were.
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$url" "$file"

weak="$(psql "$url" -Atqc "
  SELECT string_agg(c.relname, ', ' ORDER BY c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
    AND (NOT c.relrowsecurity OR NOT c.relforcerowsecurity OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))")"
if [[ -n "$weak" ]]; then
  echo "restore: row-level security is not enabled, forced and with policies on: ${weak}" >&2
  exit 1
fi
walled="$(psql "$url" -Atqc "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relrowsecurity AND c.relforcerowsecurity")"
app="$(psql "$url" -Atqc "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = 'hoursync_app'")"
if [[ "$app" != "f" ]]; then
  echo "restore: hoursync_app is a superuser or bypasses RLS; it must not" >&2
  exit 1
fi
echo "restore: done; row-level security enabled and forced, with policies, on ${walled} tenant tables; hoursync_app neither superuser nor BYPASSRLS"
