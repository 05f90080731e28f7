import { useServerMutation, useServerQuery } from "../../lib/server";
import { NamedList } from "./NamedList";
import { ServerView } from "./ServerView";

const ALL = { page: { limit: 500, cursor: 0 } };

/** Clients and tags, side by side: both are just names the time is sorted by. */
export function ClientsTagsPanel() {
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Clients />
      <Tags />
    </div>
  );
}

function Clients() {
  const clients = useServerQuery((s) => s.clients.list, { ...ALL, includeArchived: true });
  const create = useServerMutation((s) => s.clients.create);
  const update = useServerMutation((s) => s.clients.update);
  const remove = useServerMutation((s) => s.clients.delete);
  return (
    <section aria-labelledby="clients-title">
      <h2 id="clients-title" className="mb-2 text-sm font-semibold">
        Clients
      </h2>
      <ServerView query={clients} what="clients">
        {(page) => (
          <NamedList
            what="client"
            items={page.items}
            error={create.error ?? update.error ?? remove.error}
            busy={create.isPending}
            onCreate={(name, done) => create.mutate({ name }, { onSuccess: done })}
            onRename={(id, name) => update.mutate({ id, name })}
            onArchive={(id, archived) => update.mutate({ id, archived })}
            onDelete={(id) => remove.mutate({ id })}
          />
        )}
      </ServerView>
    </section>
  );
}

function Tags() {
  const tags = useServerQuery((s) => s.tags.list, ALL);
  const create = useServerMutation((s) => s.tags.create);
  const rename = useServerMutation((s) => s.tags.rename);
  const remove = useServerMutation((s) => s.tags.delete);
  return (
    <section aria-labelledby="tags-title">
      <h2 id="tags-title" className="mb-2 text-sm font-semibold">
        Tags
      </h2>
      <ServerView query={tags} what="tags">
        {(page) => (
          <NamedList
            what="tag"
            items={page.items}
            error={create.error ?? rename.error ?? remove.error}
            busy={create.isPending}
            onCreate={(name, done) => create.mutate({ name }, { onSuccess: done })}
            onRename={(id, name) => rename.mutate({ id, name })}
            onDelete={(id) => remove.mutate({ id })}
          />
        )}
      </ServerView>
    </section>
  );
}
