import { useState, type FormEvent } from "react";
import { Button } from "../../ui/Button";
import { refusalWords } from "./refusals";
import { Refusal } from "./ServerView";

interface Item {
  id: string;
  name: string;
  archived?: boolean;
}

/**
 * A list of named things (clients, tags): add, rename in place (Enter or leaving the field
 * saves, Escape puts the name back), archive where the thing has it, delete. Refusals (a taken
 * name, a thing still in use) are said in words under the list.
 */
export function NamedList({
  what,
  items,
  error,
  busy,
  onCreate,
  onRename,
  onArchive,
  onDelete,
}: {
  what: string;
  items: Item[];
  error: unknown;
  busy: boolean;
  onCreate: (name: string, done: () => void) => void;
  onRename: (id: string, name: string) => void;
  onArchive?: (id: string, archived: boolean) => void;
  onDelete: (id: string) => void;
}) {
  const [name, setName] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setInvalid(`Give the ${what} a name`);
    setInvalid(null);
    onCreate(name.trim(), () => setName(""));
  }

  return (
    <div className="flex flex-col gap-2">
      <form onSubmit={submit} className="flex gap-2" noValidate aria-label={`Add a ${what}`}>
        <input aria-label={`New ${what}`} placeholder={`New ${what}`} value={name} onChange={(e) => setName(e.target.value)} className="h-8 flex-1 rounded-md border border-line bg-canvas px-2 text-sm" />
        <Button type="submit" variant="primary" disabled={busy}>
          Add {what}
        </Button>
      </form>
      <Refusal text={invalid ?? (error ? refusalWords(error, what) : null)} />
      {items.length === 0 ? (
        <p className="text-sm text-muted">No {what}s yet.</p>
      ) : (
        <ul className="divide-y divide-line rounded-md border border-line">
          {items.map((item) => (
            <li key={item.id} className={`flex items-center gap-2 px-3 py-1.5 text-sm ${item.archived ? "opacity-70" : ""}`}>
              <input
                aria-label={`Name of ${what} ${item.name}`}
                defaultValue={item.name}
                key={item.name}
                onBlur={(e) => {
                  const next = e.target.value.trim();
                  if (!next) e.target.value = item.name;
                  else if (next !== item.name) onRename(item.id, next);
                }}
                onKeyDown={(e) => {
                  if (e.key === "Enter") e.currentTarget.blur();
                  if (e.key === "Escape") e.currentTarget.value = item.name;
                }}
                className="h-7 flex-1 rounded border border-transparent bg-transparent px-1 hover:border-line"
              />
              {item.archived && <span className="rounded bg-panel px-1.5 text-xs text-muted">Archived</span>}
              {onArchive && (
                <Button variant="ghost" onClick={() => onArchive(item.id, !item.archived)}>
                  {item.archived ? "Unarchive" : "Archive"}
                </Button>
              )}
              <Button variant="ghost" aria-label={`Delete ${what} ${item.name}`} onClick={() => onDelete(item.id)}>
                Delete
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
