import { useState, type FormEvent } from "react";
import { useServerMutation, useServerQuery } from "../../lib/server";
import { Button } from "../../ui/Button";
import { refusalWords } from "./refusals";
import { Refusal, ServerView } from "./ServerView";

/** A project's tasks: add, rename (on blur or Enter), mark done, delete. */
export function ProjectTasks({ projectId }: { projectId: string }) {
  const tasks = useServerQuery((s) => s.tasks.list, { projectId, includeDone: true, page: { limit: 500, cursor: 0 } });
  const create = useServerMutation((s) => s.tasks.create);
  const update = useServerMutation((s) => s.tasks.update);
  const remove = useServerMutation((s) => s.tasks.delete);
  const [name, setName] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setInvalid("Give the task a name");
    setInvalid(null);
    create.mutate({ projectId, name: name.trim() }, { onSuccess: () => setName("") });
  }

  const failed = create.error ?? update.error ?? remove.error;
  return (
    <section aria-label="Tasks">
      <h3 className="mb-2 text-sm font-semibold">Tasks</h3>
      <ServerView query={tasks} what="tasks">
        {(page) =>
          page.items.length === 0 ? (
            <p className="mb-2 text-sm text-muted">No tasks.</p>
          ) : (
            <ul className="mb-2 divide-y divide-line rounded-md border border-line bg-canvas">
              {page.items.map((t) => (
                <li key={t.id} className="flex items-center gap-2 px-3 py-1.5 text-sm">
                  <input type="checkbox" aria-label={`${t.name} is done`} checked={t.done} onChange={(e) => update.mutate({ id: t.id, done: e.target.checked })} />
                  <input
                    aria-label={`Name of task ${t.name}`}
                    defaultValue={t.name}
                    key={t.name}
                    onBlur={(e) => e.target.value.trim() && e.target.value.trim() !== t.name && update.mutate({ id: t.id, name: e.target.value.trim() })}
                    onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
                    className={`h-7 flex-1 rounded border border-transparent bg-transparent px-1 hover:border-line ${t.done ? "text-muted line-through" : ""}`}
                  />
                  <Button variant="ghost" aria-label={`Delete task ${t.name}`} onClick={() => remove.mutate({ id: t.id })}>
                    Delete
                  </Button>
                </li>
              ))}
            </ul>
          )
        }
      </ServerView>
      <form onSubmit={submit} className="flex gap-2" noValidate aria-label="Add a task">
        <input aria-label="New task" placeholder="New task" value={name} onChange={(e) => setName(e.target.value)} className="h-8 flex-1 rounded-md border border-line bg-canvas px-2 text-sm" />
        <Button type="submit" disabled={create.isPending}>
          Add task
        </Button>
      </form>
      <div className="mt-1">
        <Refusal text={invalid ?? (failed ? refusalWords(failed, "task") : null)} />
      </div>
    </section>
  );
}
