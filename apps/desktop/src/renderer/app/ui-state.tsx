import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import { useLocks } from "../lib/data";
import { startOfWeek } from "../lib/dates";
import type { ScreenId } from "./navigation";

/** What the frame, the palette and the screens share: where the person is and what is open. */
interface UiState {
  screen: ScreenId;
  go: (screen: ScreenId) => void;
  /** The first instant of the week shown; weeks start on the workspace's day. */
  weekStart: number;
  /** Shows the week containing `t` (any instant of it). */
  setWeekStart: (t: number) => void;
  manualEntryOpen: boolean;
  setManualEntryOpen: (open: boolean) => void;
}

const Ctx = createContext<UiState | null>(null);

export function UiStateProvider({ children }: { children: ReactNode }) {
  const [screen, go] = useState<ScreenId>("track");
  const { weekStartsOn } = useLocks();
  // The week is kept as any day of it, so a week start learnt from the server re-aligns it.
  const [weekOf, setWeekStart] = useState(() => Date.now());
  const weekStart = startOfWeek(weekOf, weekStartsOn);
  const [manualEntryOpen, setManualEntryOpen] = useState(false);
  const value = useMemo(() => ({ screen, go, weekStart, setWeekStart, manualEntryOpen, setManualEntryOpen }), [screen, weekStart, manualEntryOpen]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useUiState(): UiState {
  const state = useContext(Ctx);
  if (!state) throw new Error("useUiState outside UiStateProvider");
  return state;
}
