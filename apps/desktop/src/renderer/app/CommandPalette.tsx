import { Command } from "cmdk";
import { Dialog } from "radix-ui";
import { useEffect, useState } from "react";
import { useProjects, useRunning } from "../lib/data";
import { addDays } from "../lib/dates";
import { errorText } from "../lib/errors";
import { api } from "../lib/trpc";
import { ProjectDot } from "../ui/ProjectDot";
import type { NavItem, ScreenId } from "./navigation";
import { useUiState } from "./ui-state";

const item = "flex cursor-default items-center gap-2 rounded px-2 py-1.5 text-sm data-[selected=true]:bg-panel";

/** Ctrl/Cmd+K: every action by name (start on a project, continue last, stop, go to a week or screen). */
export function CommandPalette({ items, go }: { items: NavItem[]; go: (s: ScreenId) => void }) {
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const projects = useProjects();
  const running = useRunning();
  const { setWeekStart, setManualEntryOpen } = useUiState();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  function run(action: () => unknown) {
    setProblem(null);
    Promise.resolve()
      .then(action)
      .then(
        () => setOpen(false),
        (err: unknown) => setProblem(errorText(err)),
      );
  }
  const startOn = (projectId: string) => () =>
    running.data ? api.timer.switch.mutate({ projectId }) : api.timer.start.mutate({ projectId });

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/30" />
        <Dialog.Content className="fixed left-1/2 top-24 z-50 w-[34rem] -translate-x-1/2 rounded-xl border border-line bg-canvas shadow-2xl" aria-describedby={undefined}>
          <Dialog.Title className="sr-only">Command palette</Dialog.Title>
          <Command label="Commands">
            <Command.Input autoFocus placeholder="Type a command or a project…" className="h-11 w-full border-b border-line bg-transparent px-4 text-base outline-none" />
            {problem && (
              <p role="alert" className="px-4 pt-2 text-sm text-danger">
                {problem}
              </p>
            )}
            <Command.List className="max-h-96 overflow-auto p-2">
              <Command.Empty className="p-2 text-sm text-muted">Nothing matches.</Command.Empty>
                {running.data ? (
                  <Command.Item className={item} onSelect={() => run(() => api.timer.stop.mutate())}>
                    Stop the timer
                  </Command.Item>
                ) : (
                  <Command.Item className={item} onSelect={() => run(() => api.timer.resume.mutate())}>
                    Continue the last entry
                  </Command.Item>
                )}
                <Command.Item className={item} onSelect={() => run(() => (go("track"), setManualEntryOpen(true)))}>
                  Add time manually
                </Command.Item>
              
                {(projects.data ?? []).map((p) => (
                  <Command.Item key={p.id} value={`start ${p.name} ${p.id}`} className={item} onSelect={() => run(startOn(p.id))}>
                    <ProjectDot color={p.color} /> Start on {p.name}
                  </Command.Item>
                ))}
              
                <Command.Item className={item} onSelect={() => run(() => (go("track"), setWeekStart(Date.now())))}>
                  Go to this week
                </Command.Item>
                <Command.Item className={item} onSelect={() => run(() => (go("track"), setWeekStart(addDays(Date.now(), -7))))}>
                  Go to last week
                </Command.Item>
                {items.map((i) => (
                  <Command.Item key={i.id} value={`go ${i.label}`} className={item} onSelect={() => run(() => go(i.id))}>
                    Go to {i.label}
                  </Command.Item>
                ))}
                <Command.Item className={item} onSelect={() => run(() => api.sync.now.mutate())}>
                  Sync now
                </Command.Item>
              
            </Command.List>
          </Command>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
