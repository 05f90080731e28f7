import { useState } from "react";
import { formatMoney } from "../../lib/money";
import { useServerMutation, useServerQuery } from "../../lib/server";
import { ProjectDot } from "../../ui/ProjectDot";
import { ProjectDetail } from "./ProjectDetail";
import { ProjectForm } from "./ProjectForm";
import { emptyDraft } from "./project-draft";
import { refusalWords } from "./refusals";
import { Refusal, ServerView } from "./ServerView";

const ALL = { includeArchived: true, page: { limit: 500, cursor: 0 } };

/** Projects: create, and each one's settings, members and tasks; archived ones stay listed, dimmed. */
export function ProjectsPanel({ currency }: { currency: string }) {
  const projects = useServerQuery((s) => s.projects.list, ALL);
  const clients = useServerQuery((s) => s.clients.list, { page: { limit: 500, cursor: 0 } });
  const create = useServerMutation((s) => s.projects.create);
  const [formKey, setFormKey] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const clientList = clients.data?.items ?? [];
  const clientName = (id: string | null) => clientList.find((c) => c.id === id)?.name ?? null;

  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="new-project" className="rounded-lg border border-line p-4">
        <h2 id="new-project" className="mb-3 text-sm font-semibold">
          New project
        </h2>
        <ProjectForm
          key={formKey}
          initial={emptyDraft()}
          clients={clientList}
          submitLabel="Create project"
          busy={create.isPending}
          onSubmit={(fields) => create.mutate(fields, { onSuccess: () => setFormKey((k) => k + 1) })}
        />
        <div className="mt-2">
          <Refusal text={create.error ? refusalWords(create.error, "project") : null} />
        </div>
      </section>
      <section aria-labelledby="projects-title">
        <h2 id="projects-title" className="mb-2 text-sm font-semibold">
          Projects
        </h2>
        <ServerView query={projects} what="projects">
          {(page) =>
            page.items.length === 0 ? (
              <p className="text-sm text-muted">No projects yet. Create the first one above.</p>
            ) : (
              <ul className="divide-y divide-line rounded-md border border-line">
                {page.items.map((p) => (
                  <li key={p.id} className={p.archived ? "opacity-70" : undefined}>
                    <button
                      type="button"
                      aria-expanded={open === p.id}
                      onClick={() => setOpen(open === p.id ? null : p.id)}
                      className="flex w-full items-center gap-3 px-3 py-2 text-left text-sm hover:bg-panel"
                    >
                      <ProjectDot color={p.color} />
                      <span className="flex-1 font-medium">
                        {p.name}
                        {clientName(p.clientId) && <span className="ml-2 font-normal text-muted">{clientName(p.clientId)}</span>}
                      </span>
                      {p.archived && <span className="rounded bg-panel px-1.5 text-xs text-muted">Archived</span>}
                      <span className="w-24 text-xs text-muted">{p.billable ? "Billable" : "Not billable"}</span>
                      <span className="tabular w-28 text-right">{p.hourlyRateCents === null ? <span className="text-muted">Workspace rate</span> : `${formatMoney(p.hourlyRateCents, currency)}/h`}</span>
                    </button>
                    {open === p.id && <ProjectDetail project={p} clients={clientList} currency={currency} onDeleted={() => setOpen(null)} />}
                  </li>
                ))}
              </ul>
            )
          }
        </ServerView>
      </section>
    </div>
  );
}
