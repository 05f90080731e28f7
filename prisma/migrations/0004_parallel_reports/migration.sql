-- The row-level security functions only read session settings, which
-- PostgreSQL hands to parallel workers. Marked PARALLEL SAFE, queries over
-- tenant tables (reports over a year of entries) may use parallel plans;
-- unmarked, every query under RLS ran in one process.
ALTER FUNCTION app_current_tenant() PARALLEL SAFE;
ALTER FUNCTION app_directory_user() PARALLEL SAFE;
