import { lazy, type ComponentType } from "react";
import { ReviewCount } from "../features/review/ReviewCount";
import { TrackScreen } from "../features/track/TrackScreen";
import type { NavItem } from "./navigation";

/**
 * Screens other than Track load when first opened, so the first paint carries only the timer and
 * the week (the chart library, the admin forms and the review are chunks of their own).
 */
const later = (load: () => Promise<ComponentType>) => lazy(async () => ({ default: await load() }));
const TimesheetScreen = later(() => import("../features/timesheet/TimesheetScreen").then((m) => m.TimesheetScreen));
const ReportsScreen = later(() => import("../features/reports/ReportsScreen").then((m) => m.ReportsScreen));
const ReviewScreen = later(() => import("../features/review/ReviewScreen").then((m) => m.ReviewScreen));
const WorkspaceScreen = later(() => import("../features/workspace/WorkspaceScreen").then((m) => m.WorkspaceScreen));
const SettingsScreen = later(() => import("../features/settings/SettingsScreen").then((m) => m.SettingsScreen));

/**
 * The app's screens. Timesheet, Reports, Review (managers) and Workspace (admins) join this
 * list as they are built; the frame and the palette pick them up from here.
 */
export const NAV_ITEMS: NavItem[] = [
  { id: "track", label: "Track", minRole: "EMPLOYEE", key: "1", screen: TrackScreen },
  { id: "timesheet", label: "Timesheet", minRole: "EMPLOYEE", key: "2", screen: TimesheetScreen },
  { id: "reports", label: "Reports", minRole: "EMPLOYEE", key: "3", screen: ReportsScreen },
  { id: "review", label: "Review", minRole: "MANAGER", key: "4", screen: ReviewScreen, badge: ReviewCount },
  { id: "workspace", label: "Workspace", minRole: "ADMIN", key: "5", screen: WorkspaceScreen },
  { id: "settings", label: "Settings", minRole: "EMPLOYEE", key: "9", screen: SettingsScreen },
];
