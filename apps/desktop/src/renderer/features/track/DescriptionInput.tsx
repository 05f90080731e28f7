import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useImperativeHandle, useRef, useState, type KeyboardEvent, type Ref } from "react";
import { keys } from "../../lib/query-keys";
import { api, type LocalOutputs } from "../../lib/trpc";
import { useProjects } from "../../lib/data";
import { ProjectDot } from "../../ui/ProjectDot";

type Suggestion = LocalOutputs["entries"]["suggestions"][number];

/** The description field to the timer bar: its text, read when needed and written from outside. */
export interface DescriptionField {
  read(): string;
  write(text: string): void;
  focus(): void;
}

/** How long the typing must pause before the suggestions are looked up. */
const SETTLE_MS = 150;

/**
 * "What are you working on?": a combobox offering past entries as you type (arrow keys, Enter
 * to pick); picking one fills project, tags and billable too.
 *
 * The field holds its own text (an uncontrolled input): a keystroke redraws nothing, not even
 * this component, until the typing pauses and the suggestions are looked up. The timer bar reads
 * the text through `field` when it starts or saves, and writes it there when the running entry, a
 * picked suggestion or a stop sets it.
 */
export function DescriptionInput({
  onPick,
  onEnter,
  field,
}: {
  onPick: (s: Suggestion) => void;
  onEnter: () => void;
  field: Ref<DescriptionField>;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [text, setText] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const pause = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(pause.current), []);
  useImperativeHandle(
    field,
    () => ({
      read: () => input.current?.value ?? "",
      write(value: string) {
        if (input.current) input.current.value = value;
        clearTimeout(pause.current);
        setText(value.trim());
        setOpen(false);
        setActive(-1);
      },
      focus: () => input.current?.focus(),
    }),
    [],
  );
  const suggestions = useQuery({
    queryKey: keys.suggestions(text),
    queryFn: () => api.entries.suggestions.query({ text, limit: 6 }),
    enabled: open && text.length > 0,
    placeholderData: (prev) => prev,
  });
  const projects = useProjects();
  const items = open && text ? (suggestions.data ?? []).filter((s) => s.description.trim() !== text) : [];

  function typed(value: string) {
    clearTimeout(pause.current);
    pause.current = setTimeout(() => setText(value.trim()), SETTLE_MS);
    // Setting what is already set would still cost a render per key.
    if (!open) setOpen(true);
    if (active !== -1) setActive(-1);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" && items.length) {
      e.preventDefault();
      setActive((a) => (a + 1) % items.length);
    } else if (e.key === "ArrowUp" && items.length) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? items.length - 1 : a - 1));
    } else if (e.key === "Enter") {
      e.preventDefault();
      const picked = active >= 0 ? items[active] : undefined;
      if (picked) {
        onPick(picked);
        setOpen(false);
        setActive(-1);
      } else onEnter();
    } else if (e.key === "Escape") {
      setOpen(false);
    }
  }

  return (
    <div className="relative min-w-0 flex-1">
      <input
        ref={input}
        role="combobox"
        aria-label="What are you working on?"
        aria-expanded={items.length > 0}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `${id}-${active}` : undefined}
        placeholder="What are you working on?"
        defaultValue=""
        onChange={(e) => typed(e.target.value)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
        className="h-10 w-full rounded-md border border-transparent bg-transparent px-2 text-base outline-none placeholder:text-muted focus:border-line"
        data-testid="timer-description"
      />
      <ul id={`${id}-list`} role="listbox" aria-label="Earlier entries" className={items.length ? "absolute top-11 z-40 w-full rounded-lg border border-line bg-canvas p-1 shadow-xl" : "hidden"}>
        {items.map((s, i) => {
          const p = projects.data?.find((x) => x.id === s.projectId);
          return (
            <li
              key={`${s.description}-${s.projectId}`}
              id={`${id}-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                onPick(s);
                setOpen(false);
              }}
              className={`flex cursor-default items-center gap-2 rounded px-2 py-1.5 text-sm ${i === active ? "bg-panel" : ""}`}
            >
              <span className="flex-1 truncate">{s.description}</span>
              {p && (
                <span className="flex items-center gap-1 text-xs text-muted">
                  <ProjectDot color={p.color} size={8} /> {p.name}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
