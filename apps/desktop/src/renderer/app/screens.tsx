import { ReportsScreen } from "../features/reports/ReportsScreen";
import { SettingsScreen } from "../features/settings/SettingsScreen";
import { TrackScreen } from "../features/track/TrackScreen";
import type { NavItem } from "./navigation";

/**
 * The app's screens. Timesheet, Reports, Review (managers) and Workspace (admins) join this
 * list as they are built; the frame and the palette pick them up from here.
 */
export const NAV_ITEMS: NavItem[] = [
  { id: "track", label: "Track", minRole: "EMPLOYEE", key: "1", screen: TrackScreen },
  { id: "reports", label: "Reports", minRole: "EMPLOYEE", key: "3", screen: ReportsScreen },
  { id: "settings", label: "Settings", minRole: "EMPLOYEE", key: "9", screen: SettingsScreen },
];
