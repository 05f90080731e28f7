#!/usr/bin/env bash
# Backs up the whole Hoursync database with pg_dump (custom format: compressed, restored with
# scripts/restore.sh). Run it as the owner role of the database (the role migrations run as):
# tables FORCE row-level security, so pg_dump reads every workspace's rows only as a role that
# bypasses RLS (BYPASSRLS, or a superuser). Attachment files are not in the database: copy the
# storage root (ATTACHMENT_DIR) alongside.
#
#   scripts/backup.sh [postgresql://owner@host/db] [out.dump]
#   (defaults: $BACKUP_DATABASE_URL, else $MIGRATION_DATABASE_URL; hoursync-<UTC time>.dump)
set -euo pipefail

url="${1:-${BACKUP_DATABASE_URL:-${MIGRATION_DATABASE_URL:-}}}"
out="${2:-hoursync-$(date -u +%Y%m%dT%H%M%SZ).dump}"
if [[ -z "$url" ]]; then
  echo "backup: name the database: scripts/backup.sh postgresql://owner@host/db [out.dump]" >&2
  exit 2
fi

# pg_dump must be at least as new as the server (an older one refuses, or misses what it does not know).
server_num="$(psql "$url" -Atqc 'SHOW server_version_num')"
server_major=$((server_num / 10000))
dump_major="$(pg_dump --version | sed -E 's/^pg_dump \(PostgreSQL\) ([0-9]+).*/\1/')"
echo "backup: server PostgreSQL ${server_major}, pg_dump ${dump_major}"
if ((dump_major < server_major)); then
  echo "backup: pg_dump ${dump_major} is older than the server (${server_major}); install pg_dump ${server_major} or newer" >&2
  exit 1
fi

bypasses="$(psql "$url" -Atqc "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")"
if [[ "$bypasses" != "t" ]]; then
  echo "backup: $(psql "$url" -Atqc 'SELECT current_user') does not bypass row-level security, so it would not see every workspace's rows; use the owner role (BYPASSRLS)" >&2
  exit 1
fi

# Written aside and moved into place, so a failed dump never looks like a finished one.
pg_dump --format=custom --file="${out}.partial" "$url"
mv "${out}.partial" "$out"
echo "backup: wrote ${out} ($(wc -c <"$out") bytes, $(pg_restore --list "$out" | grep -c ' TABLE DATA ') tables with data)"
