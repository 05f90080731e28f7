import { Command } from "cmdk";
import { useMemo } from "react";
import { useClients, useProjects, type Project } from "../../lib/data";
import { LazyPopover } from "../../ui/LazyPopover";
import { ProjectDot } from "../../ui/ProjectDot";

interface PickerProps {
  value: string | null;
  onChange: (id: string | null) => void;
  label?: string;
  disabled?: boolean;
}

/** Project choice with search, grouped by client, each with its colour. */
export function ProjectPicker(props: PickerProps) {
  const projects = useProjects();
  return <ProjectPickerOf projects={projects.data} {...props} />;
}

/** The picker given the workspace's projects: a list reads them once for all its rows' pickers. */
export function ProjectPickerOf({ projects, value, onChange, label = "Project", disabled }: PickerProps & { projects: Project[] | undefined }) {
  const current = projects?.find((p) => p.id === value) ?? null;
  return (
    <LazyPopover
      disabled={disabled}
      triggerClassName="flex h-8 disabled:cursor-not-allowed disabled:opacity-70 max-w-52 items-center gap-2 rounded-md border border-line bg-canvas px-2 text-sm"
      trigger={
        <>
          <ProjectDot color={current?.color} />
          <span className="sr-only">{label}: </span>
          <span className="truncate">{current?.name ?? "No project"}</span>
        </>
      }
      contentLabel={`Choose ${label.toLowerCase()}`}
      contentClassName="z-50 w-72 rounded-lg border border-line bg-canvas shadow-xl"
    >
      {(close) => (
        <ProjectSearch
          label={label}
          choose={(id) => {
            onChange(id);
            close();
          }}
        />
      )}
    </LazyPopover>
  );
}

/** The open picker: the search and the projects by client (read only while it is open). */
function ProjectSearch({ label, choose }: { label: string; choose: (id: string | null) => void }) {
  const projects = useProjects();
  const clients = useClients();
  const groups = useMemo(() => {
    const names = new Map((clients.data ?? []).map((c) => [c.id, c.name]));
    const byClient = new Map<string, typeof projects.data>();
    for (const p of projects.data ?? []) {
      const name = p.clientId ? names.get(p.clientId) ?? "Other client" : "No client";
      byClient.set(name, [...(byClient.get(name) ?? []), p]);
    }
    return [...byClient.entries()].sort(([a], [b]) => (a === "No client" ? 1 : b === "No client" ? -1 : a.localeCompare(b)));
  }, [projects.data, clients.data]);

  return (
    <Command label={`Choose ${label.toLowerCase()}`} className="flex flex-col">
      <Command.Input autoFocus placeholder="Search projects" className="h-9 border-b border-line bg-transparent px-3 text-sm outline-none" />
      <Command.List className="max-h-72 overflow-auto p-1">
        <Command.Empty className="p-2 text-sm text-muted">No project matches.</Command.Empty>
        <Command.Item value="no project" onSelect={() => choose(null)} className="flex cursor-default items-center gap-2 rounded px-2 py-1.5 text-sm data-[selected=true]:bg-panel">
          <ProjectDot color={null} /> No project
        </Command.Item>
        {groups.map(([client, list]) => (
          <Command.Group key={client} heading={client} className="[&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:pt-2 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:text-muted">
            {(list ?? []).map((p) => (
              <Command.Item
                key={p.id}
                value={`${p.name} ${client} ${p.id}`}
                onSelect={() => choose(p.id)}
                className="flex cursor-default items-center gap-2 rounded px-2 py-1.5 text-sm data-[selected=true]:bg-panel"
              >
                <ProjectDot color={p.color} /> {p.name}
              </Command.Item>
            ))}
          </Command.Group>
        ))}
      </Command.List>
    </Command>
  );
}
