import { useMutation, useQueryClient } from "@tanstack/react-query";
import { DropdownMenu } from "radix-ui";
import type { SessionStatus } from "../lib/data";
import { api } from "../lib/trpc";
import { readAfreshForWorkspace } from "../lib/workspace-change";

const ROLE: Record<string, string> = { OWNER: "Owner", ADMIN: "Admin", MANAGER: "Manager", EMPLOYEE: "Employee" };

/** For people in several workspaces: switching is local and instant (offline too); each shows only its own data. */
export function WorkspaceSwitcher({ session }: { session: SessionStatus }) {
  const client = useQueryClient();
  const select = useMutation({
    mutationFn: (workspaceId: string) => api.session.selectWorkspace.mutate({ workspaceId }),
    onSuccess: () => readAfreshForWorkspace(client),
  });
  const current = session.workspaces.find((w) => w.workspaceId === session.currentWorkspaceId);
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="flex w-full items-center justify-between rounded-md border border-line bg-canvas px-2 py-1.5 text-left text-sm"
      >
        <span className="sr-only">Workspace: </span>
        <span className="truncate">
          <span className="block truncate font-medium">{current?.name ?? "No workspace"}</span>
          <span className="block text-xs text-muted">{current ? ROLE[current.role] ?? current.role : ""}</span>
        </span>
        <span aria-hidden className="text-muted">
          ▾
        </span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="start" sideOffset={4} className="z-50 min-w-52 rounded-md border border-line bg-canvas p-1 shadow-lg">
          <DropdownMenu.Label className="px-2 py-1 text-xs text-muted">Workspaces</DropdownMenu.Label>
          {session.workspaces.map((w) => (
            <DropdownMenu.Item
              key={w.workspaceId}
              onSelect={() => select.mutate(w.workspaceId)}
              className="flex cursor-default items-center justify-between gap-4 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-panel"
            >
              <span>{w.name}</span>
              <span className="text-xs text-muted">{w.workspaceId === session.currentWorkspaceId ? "✓ current" : ROLE[w.role]}</span>
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
