import { Suspense, useEffect } from "react";
import { IdlePrompt } from "../features/idle/IdlePrompt";
import { NotificationBell } from "../features/notifications/NotificationBell";
import { SyncStatusButton } from "../features/sync-status/SyncStatusButton";
import type { SessionStatus } from "../lib/data";
import { CommandPalette } from "./CommandPalette";
import { NavList } from "./NavList";
import { visibleItems } from "./navigation";
import { NAV_ITEMS } from "./screens";
import { useUiState } from "./ui-state";
import { WorkspaceSwitcher } from "./WorkspaceSwitcher";

/** The window's frame: navigation by role, the workspace switcher and the sync status, always visible. */
export function Frame({ session }: { session: SessionStatus }) {
  const { screen, go: setScreen } = useUiState();
  const role = session.workspaces.find((w) => w.workspaceId === session.currentWorkspaceId)?.role;
  const items = visibleItems(NAV_ITEMS, role);
  const current = items.find((i) => i.id === screen) ?? items[0]!;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const target = items.find((i) => i.key === e.key);
      if (target) {
        e.preventDefault();
        setScreen(target.id);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [items, setScreen]);

  const Screen = current.screen;
  return (
    <div className="flex h-full min-w-[1024px] min-h-[600px]">
      <nav aria-label="Main" className="flex w-52 shrink-0 flex-col gap-1 border-r border-line bg-panel p-3">
        <div className="px-2 pb-3 text-base font-semibold tracking-tight">Hoursync</div>
        <WorkspaceSwitcher session={session} />
        <NavList items={items} current={current.id} go={setScreen} />
        <div className="mt-auto flex flex-col gap-2">
          <NotificationBell />
          <SyncStatusButton />
          <p className="truncate px-2 text-xs text-muted" title={session.user?.email}>
            {session.user?.name}
          </p>
        </div>
      </nav>
      <main className="flex min-w-0 flex-1 flex-col overflow-hidden" aria-label={current.label}>
        <Suspense fallback={<p role="status" className="p-6 text-sm text-muted">Loading…</p>}>
          <Screen />
        </Suspense>
      </main>
      <CommandPalette items={items} go={setScreen} />
      <IdlePrompt />
    </div>
  );
}
