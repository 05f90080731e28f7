import { useQueryClient } from "@tanstack/react-query";
import { Tabs } from "radix-ui";
import { useCallback, useEffect } from "react";
import { useSession } from "../../lib/data";
import { useServerQuery } from "../../lib/server";
import { Button } from "../../ui/Button";
import { AuditLogPanel } from "./AuditLogPanel";
import { ClientsTagsPanel } from "./ClientsTagsPanel";
import { CsvImportPanel } from "./CsvImportPanel";
import { DeleteWorkspace } from "./DeleteWorkspace";
import { MembersPanel } from "./MembersPanel";
import { ProjectsPanel } from "./ProjectsPanel";
import { ServerView } from "./ServerView";
import { SettingsPanel } from "./SettingsPanel";

const TABS = [
  { id: "members", label: "Members" },
  { id: "projects", label: "Projects & tasks" },
  { id: "clients", label: "Clients & tags" },
  { id: "import", label: "Import" },
  { id: "settings", label: "Settings" },
  { id: "audit", label: "Audit log" },
] as const;

/** The admin's workspace: people, catalogue, settings and the audit log (all on the server). */
export function WorkspaceScreen() {
  const workspace = useServerQuery((s) => s.workspace.get, undefined);
  const session = useSession();
  const workspaceId = session.data?.currentWorkspaceId ?? "";
  // Others change the workspace too (a member joins, another admin edits): the server does not
  // push those, so each visit and each section loads what is current.
  const client = useQueryClient();
  const reload = useCallback(() => void client.invalidateQueries({ queryKey: ["online"] }), [client]);
  useEffect(reload, [reload]);
  return (
    <div className="h-full overflow-auto">
      <div className="mx-auto max-w-5xl p-6">
        <ServerView query={workspace} what="the workspace">
          {(ws) => (
            <Tabs.Root defaultValue="members" onValueChange={reload}>
              <div className="mb-4 flex items-baseline justify-between gap-4">
                <h1 className="text-xl font-semibold">{ws.name}</h1>
                <span className="flex items-center gap-3 text-sm text-muted">
                  {ws.currency} · {ws.timezone}
                  <Button variant="ghost" onClick={reload} title={workspace.fetchedAt ? `Loaded ${new Date(workspace.fetchedAt).toLocaleTimeString()}` : undefined}>
                    Refresh
                  </Button>
                </span>
              </div>
              <Tabs.List aria-label="Workspace sections" className="mb-5 flex gap-1 border-b border-line">
                {TABS.map((t) => (
                  <Tabs.Trigger
                    key={t.id}
                    value={t.id}
                    className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm text-muted data-[state=active]:border-accent data-[state=active]:font-medium data-[state=active]:text-ink"
                  >
                    {t.label}
                  </Tabs.Trigger>
                ))}
              </Tabs.List>
              <Tabs.Content value="members">
                <MembersPanel currency={ws.currency} />
              </Tabs.Content>
              <Tabs.Content value="projects">
                <ProjectsPanel currency={ws.currency} />
              </Tabs.Content>
              <Tabs.Content value="clients">
                <ClientsTagsPanel />
              </Tabs.Content>
              <Tabs.Content value="import">
                <CsvImportPanel timeZone={ws.timezone} />
              </Tabs.Content>
              <Tabs.Content value="settings">
                <SettingsPanel key={String(ws.updatedAt)} workspace={ws} />
                {ws.myRole === "OWNER" && <DeleteWorkspace workspaceId={workspaceId} name={ws.name} />}
              </Tabs.Content>
              <Tabs.Content value="audit">
                <AuditLogPanel />
              </Tabs.Content>
            </Tabs.Root>
          )}
        </ServerView>
      </div>
    </div>
  );
}
