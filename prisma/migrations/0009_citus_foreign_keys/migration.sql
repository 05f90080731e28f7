-- 0009_citus_foreign_keys: foreign keys that include tenant_id no longer cascade updates.
-- Citus, which this schema stays ready for (README, "Moving to Citus"), refuses ON UPDATE
-- CASCADE / SET NULL / SET DEFAULT on a foreign key that includes the distribution column:
-- cascading a new tenant_id would move rows between shards. The keys 0001 made from the Prisma
-- schema's default (onUpdate: Cascade) had it; ids never change here, so NO ACTION loses
-- nothing. ON DELETE is kept as it was. tests/server/isolation/citus-ready.test.ts reads the
-- catalog and fails on any key, constraint or reference Citus would refuse.

ALTER TABLE audit_events DROP CONSTRAINT audit_events_tenant_id_fkey, ADD CONSTRAINT audit_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES workspaces(tenant_id) ON DELETE CASCADE;
ALTER TABLE clients DROP CONSTRAINT clients_tenant_id_fkey, ADD CONSTRAINT clients_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES workspaces(tenant_id) ON DELETE CASCADE;
ALTER TABLE invitations DROP CONSTRAINT invitations_tenant_id_fkey, ADD CONSTRAINT invitations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES workspaces(tenant_id) ON DELETE CASCADE;
ALTER TABLE memberships DROP CONSTRAINT memberships_tenant_id_fkey, ADD CONSTRAINT memberships_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES workspaces(tenant_id) ON DELETE CASCADE;
ALTER TABLE project_members DROP CONSTRAINT project_members_tenant_id_fkey, ADD CONSTRAINT project_members_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES workspaces(tenant_id) ON DELETE CASCADE;
ALTER TABLE project_members DROP CONSTRAINT project_members_tenant_id_membership_id_fkey, ADD CONSTRAINT project_members_tenant_id_membership_id_fkey FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships(tenant_id, id) ON DELETE CASCADE;
ALTER TABLE project_members DROP CONSTRAINT project_members_tenant_id_project_id_fkey, ADD CONSTRAINT project_members_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES projects(tenant_id, id) ON DELETE CASCADE;
ALTER TABLE projects DROP CONSTRAINT projects_tenant_id_client_id_fkey, ADD CONSTRAINT projects_tenant_id_client_id_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients(tenant_id, id) ON DELETE RESTRICT;
ALTER TABLE projects DROP CONSTRAINT projects_tenant_id_fkey, ADD CONSTRAINT projects_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES workspaces(tenant_id) ON DELETE CASCADE;
ALTER TABLE tags DROP CONSTRAINT tags_tenant_id_fkey, ADD CONSTRAINT tags_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES workspaces(tenant_id) ON DELETE CASCADE;
ALTER TABLE tasks DROP CONSTRAINT tasks_tenant_id_fkey, ADD CONSTRAINT tasks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES workspaces(tenant_id) ON DELETE CASCADE;
ALTER TABLE tasks DROP CONSTRAINT tasks_tenant_id_project_id_fkey, ADD CONSTRAINT tasks_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES projects(tenant_id, id) ON DELETE CASCADE;
ALTER TABLE time_entries DROP CONSTRAINT time_entries_tenant_id_fkey, ADD CONSTRAINT time_entries_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES workspaces(tenant_id) ON DELETE CASCADE;
ALTER TABLE time_entries DROP CONSTRAINT time_entries_tenant_id_project_id_fkey, ADD CONSTRAINT time_entries_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES projects(tenant_id, id) ON DELETE RESTRICT;
ALTER TABLE time_entries DROP CONSTRAINT time_entries_tenant_id_task_id_fkey, ADD CONSTRAINT time_entries_tenant_id_task_id_fkey FOREIGN KEY (tenant_id, task_id) REFERENCES tasks(tenant_id, id) ON DELETE RESTRICT;
ALTER TABLE time_entry_tags DROP CONSTRAINT time_entry_tags_tenant_id_entry_id_fkey, ADD CONSTRAINT time_entry_tags_tenant_id_entry_id_fkey FOREIGN KEY (tenant_id, entry_id) REFERENCES time_entries(tenant_id, id) ON DELETE CASCADE;
ALTER TABLE time_entry_tags DROP CONSTRAINT time_entry_tags_tenant_id_fkey, ADD CONSTRAINT time_entry_tags_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES workspaces(tenant_id) ON DELETE CASCADE;
ALTER TABLE time_entry_tags DROP CONSTRAINT time_entry_tags_tenant_id_tag_id_fkey, ADD CONSTRAINT time_entry_tags_tenant_id_tag_id_fkey FOREIGN KEY (tenant_id, tag_id) REFERENCES tags(tenant_id, id) ON DELETE CASCADE;
