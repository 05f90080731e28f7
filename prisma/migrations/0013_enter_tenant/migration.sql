-- 0013_enter_tenant: the first statement of every tenant request in one round trip. It names
-- the transaction's tenant (as `set_config` did alone before) and then, under that tenant's
-- row-level security, reads the caller's membership with the workspace's request budgets.
-- A function of plain SQL statements run in order: the membership read cannot run before
-- the tenant is set, as it could in one statement whose join order the planner chooses.
-- SECURITY INVOKER (the default): it runs as the app role, behind the same walls.
CREATE FUNCTION app_enter_tenant(t uuid, u uuid)
  RETURNS TABLE (membership_id uuid, role text, tenant_per_minute integer, user_per_minute integer)
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  PERFORM set_config('app.tenant_id', t::text, true);
  RETURN QUERY
    SELECT m.id, m.role::text, w.rate_limit_per_minute, w.user_rate_limit_per_minute
    FROM memberships m JOIN workspaces w ON w.tenant_id = m.tenant_id
    WHERE m.tenant_id = t AND m.user_id = u;
END
$$;

GRANT EXECUTE ON FUNCTION app_enter_tenant(uuid, uuid) TO hoursync_app;
