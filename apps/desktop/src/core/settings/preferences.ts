import { z } from "zod";

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM, e.g. 09:00");

/** What the person sets in the app's Settings screen (kept with the other settings on this device). */
export const preferencesSchema = z.object({
  /** Minutes without input before the person counts as away; 0 = never ask. */
  idleThresholdMinutes: z.number().int().min(0).max(240),
  /** Working days (0 = Sunday ... 6 = Saturday) and hours, for reminders. */
  workDays: z.array(z.number().int().min(0).max(6)).max(7),
  workStart: clock,
  workEnd: clock,
  /** Remind after this many minutes without a timer in working hours; 0 = no reminder. */
  remindAfterMinutes: z.number().int().min(0).max(480),
  /** Stop a forgotten timer at this time of day; null = never. */
  stopAt: clock.nullable(),
  /** Electron accelerator for start/stop from anywhere. */
  globalShortcut: z.string().min(1).max(60),
  startAtLogin: z.boolean(),
  startMinimized: z.boolean(),
  /** Show durations as h:mm (default) or decimal hours. */
  durationFormat: z.enum(["clock", "decimal"]),
});
export type Preferences = z.infer<typeof preferencesSchema>;

export const defaultPreferences: Preferences = {
  idleThresholdMinutes: 10,
  workDays: [1, 2, 3, 4, 5],
  workStart: "09:00",
  workEnd: "17:00",
  remindAfterMinutes: 15,
  stopAt: null,
  globalShortcut: "CommandOrControl+Shift+Space",
  startAtLogin: false,
  startMinimized: false,
  durationFormat: "clock",
};
