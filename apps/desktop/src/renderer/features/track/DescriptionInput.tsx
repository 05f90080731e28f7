import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState, type KeyboardEvent, type Ref } from "react";
import { keys } from "../../lib/query-keys";
import { api, type LocalOutputs } from "../../lib/trpc";
import { useProjects } from "../../lib/data";
import { ProjectDot } from "../../ui/ProjectDot";

type Suggestion = LocalOutputs["entries"]["suggestions"][number];

/**
 * "What are you working on?": a combobox offering past entries as you type (arrow keys, Enter
 * to pick); picking one fills project, tags and billable too.
 */
export function DescriptionInput({
  value,
  onChange,
  onPick,
  onEnter,
  inputRef,
}: {
  value: string;
  onChange: (v: string) => void;
  onPick: (s: Suggestion) => void;
  onEnter: () => void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  // Suggestions wait for a pause in the typing: a keystroke only redraws the input, no query runs
  // (nor re-renders the list) per key.
  const text = useSettled(value.trim(), 150);
  const suggestions = useQuery({
    queryKey: keys.suggestions(text),
    queryFn: () => api.entries.suggestions.query({ text, limit: 6 }),
    enabled: open && text.length > 0,
    placeholderData: (prev) => prev,
  });
  const projects = useProjects();
  const items = open && text ? (suggestions.data ?? []).filter((s) => s.description !== value) : [];

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
        ref={inputRef}
        role="combobox"
        aria-label="What are you working on?"
        aria-expanded={items.length > 0}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `${id}-${active}` : undefined}
        placeholder="What are you working on?"
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
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

/** `value` once it has stopped changing for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
