import { DropdownMenu } from "radix-ui";
import { useLayoutEffect, useRef, useState } from "react";

export interface EntryAction {
  label: string;
  run: () => void;
  disabled: boolean;
}

const TRIGGER = "h-8 w-8 rounded-md text-muted hover:bg-panel hover:text-ink";

/**
 * An entry's "More actions" menu. Radix's menu (its root, trigger and the document listeners each
 * root adds) mounts when the person first reaches for it; until then a plain button that looks
 * and reads the same stands in. It is swapped for the real trigger when it takes the focus (so
 * the keys that open a menu reach Radix as before) or at the press of a pointer, which opens the
 * menu as Radix's own trigger does.
 */
export function EntryMenu({ actions }: { actions: EntryAction[] }) {
  const [live, setLive] = useState<null | { open: boolean; focus: boolean }>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (live?.focus) trigger.current?.focus();
  }, [live]);

  if (!live) {
    return (
      <button
        type="button"
        aria-label="More actions"
        aria-haspopup="menu"
        aria-expanded={false}
        data-state="closed"
        className={TRIGGER}
        onFocus={() => setLive({ open: false, focus: true })}
        onPointerDown={(e) => {
          // Radix opens its menu on the primary button's press (not with Ctrl: that is a context click on macOS).
          if (e.button === 0 && !e.ctrlKey) {
            e.preventDefault();
            setLive({ open: true, focus: false });
          }
        }}
      >
        ⋯
      </button>
    );
  }
  return (
    <DropdownMenu.Root defaultOpen={live.open}>
      <DropdownMenu.Trigger ref={trigger} aria-label="More actions" className={TRIGGER}>
        ⋯
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={4} className="z-50 min-w-40 rounded-md border border-line bg-canvas p-1 shadow-lg">
          {actions.map(({ label, run, disabled }) => (
            <DropdownMenu.Item
              key={label}
              onSelect={run}
              disabled={disabled}
              className={`cursor-default rounded px-2 py-1.5 text-sm outline-none data-[disabled]:opacity-50 data-[highlighted]:bg-panel ${label === "Delete" ? "text-danger" : ""}`}
            >
              {label}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
