import type { ComponentType } from "react";

export type Role = "OWNER" | "ADMIN" | "MANAGER" | "EMPLOYEE";
const RANK: Record<Role, number> = { EMPLOYEE: 0, MANAGER: 1, ADMIN: 2, OWNER: 3 };

export type ScreenId = "track" | "timesheet" | "reports" | "review" | "workspace" | "settings";

export interface NavItem {
  id: ScreenId;
  label: string;
  /** The least role that sees it (views appear by role). */
  minRole: Role;
  /** Keyboard: Alt+<key> goes there. */
  key: string;
  screen: ComponentType;
  /** A small count beside the label (e.g. timesheets waiting for review). */
  badge?: ComponentType;
}

/** The screens a role sees, in order: Review needs a manager, Workspace an admin. */
export function visibleItems(items: NavItem[], role: string | undefined): NavItem[] {
  const rank = RANK[(role as Role) ?? "EMPLOYEE"] ?? 0;
  return items.filter((i) => RANK[i.minRole] <= rank);
}
