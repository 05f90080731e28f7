import { ReviewCount } from "../features/review/ReviewCount";
import { ReviewScreen } from "../features/review/ReviewScreen";
import { ReportsScreen } from "../features/reports/ReportsScreen";
import { SettingsScreen } from "../features/settings/SettingsScreen";
import { TimesheetScreen } from "../features/timesheet/TimesheetScreen";
import { TrackScreen } from "../features/track/TrackScreen";
import { WorkspaceScreen } from "../features/workspace/WorkspaceScreen";
import type { NavItem } from "./navigation";

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
