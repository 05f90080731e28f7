import { useServerMutation } from "../../lib/server";
import { Button } from "../../ui/Button";
import { ProjectForm } from "./ProjectForm";
import { ProjectMembers } from "./ProjectMembers";
import { ProjectTasks } from "./ProjectTasks";
import { draftOf } from "./project-draft";
import { refusalWords } from "./refusals";
import { Refusal } from "./ServerView";

interface Project {
  id: string;
  name: string;
  color: string;
  clientId: string | null;
  billable: boolean;
  hourlyRateCents: number | null;
  archived: boolean;
}

/** One project opened in the list: its settings, archive and delete, members and tasks. */
export function ProjectDetail({ project, clients, currency, onDeleted }: { project: Project; clients: { id: string; name: string }[]; currency: string; onDeleted: () => void }) {
  const update = useServerMutation((s) => s.projects.update);
  const remove = useServerMutation((s) => s.projects.delete);
  const failed = update.error ?? remove.error;
  return (
    <div className="flex flex-col gap-5 border-t border-line bg-panel/50 px-4 py-4">
      <ProjectForm
        key={JSON.stringify(draftOf(project))}
        initial={draftOf(project)}
        clients={clients}
        submitLabel="Save project"
        busy={update.isPending}
        onSubmit={(fields) => update.mutate({ id: project.id, ...fields })}
      />
      <div className="flex flex-wrap items-center gap-2">
        <Button onClick={() => update.mutate({ id: project.id, archived: !project.archived })}>{project.archived ? "Unarchive" : "Archive"}</Button>
        <Button variant="danger" onClick={() => remove.mutate({ id: project.id }, { onSuccess: onDeleted })}>
          Delete project
        </Button>
        <span className="text-xs text-muted">Archived projects keep their time but are no longer offered when tracking.</span>
      </div>
      <Refusal text={failed ? refusalWords(failed, "project") : null} />
      <div className="grid gap-5 lg:grid-cols-2">
        <ProjectMembers projectId={project.id} currency={currency} />
        <ProjectTasks projectId={project.id} />
      </div>
    </div>
  );
}
