import type { NavItem, ScreenId } from "./navigation";

/** The screens the person's role sees, with the current one marked and any count beside its label. */
export function NavList({ items, current, go }: { items: NavItem[]; current: ScreenId; go: (id: ScreenId) => void }) {
  return (
    <ul className="mt-3 flex flex-col gap-0.5">
      {items.map((item) => (
        <li key={item.id}>
          <button
            type="button"
            aria-current={item.id === current ? "page" : undefined}
            onClick={() => go(item.id)}
            className={`flex w-full items-center justify-between rounded-md px-2 py-1.5 text-left text-sm ${item.id === current ? "bg-canvas font-medium shadow-sm" : "text-muted hover:bg-canvas"}`}
          >
            <span className="flex items-center gap-2">
              {item.label}
              {item.badge && <item.badge />}
            </span>
            <kbd className="text-xs text-muted">Alt+{item.key}</kbd>
          </button>
        </li>
      ))}
    </ul>
  );
}
