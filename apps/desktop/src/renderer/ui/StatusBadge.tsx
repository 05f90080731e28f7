import type { ReactNode } from "react";
import { LockIcon } from "./icons";

/**
 * A timesheet's status, the same colour, icon and word on every screen (the colour is never
 * the only signal). OPEN: nothing submitted; LOCKED: closed by the workspace's lock rules.
 */
export type SheetStatus = "OPEN" | "SUBMITTED" | "WITHDRAWN" | "APPROVED" | "REJECTED" | "REOPENED" | "LOCKED";

const LOOK: Record<SheetStatus, { icon: ReactNode; label: string; style: string }> = {
  OPEN: { icon: "○", label: "Open", style: "border-line text-muted" },
  WITHDRAWN: { icon: "○", label: "Withdrawn", style: "border-line text-muted" },
  REOPENED: { icon: "○", label: "Reopened", style: "border-line text-muted" },
  SUBMITTED: { icon: "↗", label: "Submitted", style: "border-accent text-accent" },
  APPROVED: { icon: "✓", label: "Approved", style: "border-ok text-ok" },
  REJECTED: { icon: "✕", label: "Rejected", style: "border-danger text-danger" },
  LOCKED: { icon: <LockIcon />, label: "Locked", style: "border-warn text-warn" },
};

export function statusLabel(status: SheetStatus): string {
  return LOOK[status].label;
}

export function StatusBadge({ status, suffix }: { status: SheetStatus; suffix?: string }) {
  const look = LOOK[status] ?? LOOK.OPEN;
  return (
    <span
      data-testid="sheet-status"
      data-status={status}
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-medium ${look.style}`}
    >
      <span aria-hidden className="inline-flex">{look.icon}</span>
      {look.label}
      {suffix ? ` · ${suffix}` : ""}
    </span>
  );
}
