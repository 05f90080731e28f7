import { parseRate, rateText } from "../../lib/money";

/** The workspace's settings as the server answers them (the fields this form edits). */
export interface WorkspaceSettings {
  name: string;
  timezone: string;
  weekStartsOn: number;
  currency: string;
  hourlyRateCents: number | null;
  rateLimitPerMinute: number;
  userRateLimitPerMinute: number;
  timesheetPeriod: string;
  lockBefore: Date | null;
  lockGraceDays: number | null;
  approvalMode: string;
}

/** The form's text, as typed. */
export type SettingsDraft = Record<
  "name" | "timezone" | "weekStartsOn" | "currency" | "rate" | "rateLimit" | "userRateLimit" | "period" | "lockBefore" | "lockGraceDays" | "approvalMode",
  string
>;

/** A lock date as the server keeps it (midnight UTC of the day) to "2026-03-02". */
const dayText = (d: Date | null) => (d ? new Date(d).toISOString().slice(0, 10) : "");

export function settingsDraft(s: WorkspaceSettings): SettingsDraft {
  return {
    name: s.name,
    timezone: s.timezone,
    weekStartsOn: String(s.weekStartsOn),
    currency: s.currency,
    rate: rateText(s.hourlyRateCents),
    rateLimit: String(s.rateLimitPerMinute),
    userRateLimit: String(s.userRateLimitPerMinute),
    period: s.timesheetPeriod,
    lockBefore: dayText(s.lockBefore),
    lockGraceDays: s.lockGraceDays === null ? "" : String(s.lockGraceDays),
    approvalMode: s.approvalMode,
  };
}

export interface SettingsPatch {
  name?: string;
  timezone?: string;
  weekStartsOn?: number;
  currency?: string;
  hourlyRateCents?: number | null;
  rateLimitPerMinute?: number;
  userRateLimitPerMinute?: number;
  timesheetPeriod?: "WEEK" | "MONTH";
  lockBefore?: string | null;
  lockGraceDays?: number | null;
  approvalMode?: "ALL_MANAGERS" | "PROJECT_MANAGERS";
}

function wholeNumber(text: string, min: number, max: number): number | string {
  if (!/^\d+$/.test(text.trim())) return "A whole number";
  const n = Number(text.trim());
  return n < min || n > max ? `Between ${min} and ${max}` : n;
}

/**
 * What changed in the form, as the server's `workspace.update` takes it, or the fields that are
 * wrong (checked here first, so the person sees every problem at once).
 */
export function checkSettings(
  draft: SettingsDraft,
  saved: WorkspaceSettings,
  knownZones: readonly string[],
): { ok: true; patch: SettingsPatch } | { ok: false; errors: Partial<Record<keyof SettingsDraft, string>> } {
  const errors: Partial<Record<keyof SettingsDraft, string>> = {};
  const patch: SettingsPatch = {};
  const name = draft.name.trim();
  if (!name) errors.name = "The workspace needs a name";
  else if (name !== saved.name) patch.name = name;
  if (!knownZones.includes(draft.timezone)) errors.timezone = "Pick a time zone from the list, like Europe/Berlin";
  else if (draft.timezone !== saved.timezone) patch.timezone = draft.timezone;
  if (Number(draft.weekStartsOn) !== saved.weekStartsOn) patch.weekStartsOn = Number(draft.weekStartsOn);
  const currency = draft.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) errors.currency = "A three-letter code like EUR or USD";
  else if (currency !== saved.currency) patch.currency = currency;
  const rate = parseRate(draft.rate);
  if ("error" in rate) errors.rate = rate.error;
  else if (rate.cents !== saved.hourlyRateCents) patch.hourlyRateCents = rate.cents;
  const limit = wholeNumber(draft.rateLimit, 10, 100_000);
  if (typeof limit === "string") errors.rateLimit = limit;
  else if (limit !== saved.rateLimitPerMinute) patch.rateLimitPerMinute = limit;
  const userLimit = wholeNumber(draft.userRateLimit, 10, 100_000);
  if (typeof userLimit === "string") errors.userRateLimit = userLimit;
  else if (userLimit !== saved.userRateLimitPerMinute) patch.userRateLimitPerMinute = userLimit;
  if (draft.period !== saved.timesheetPeriod) patch.timesheetPeriod = draft.period as "WEEK" | "MONTH";
  if (draft.lockBefore !== dayText(saved.lockBefore)) patch.lockBefore = draft.lockBefore || null;
  if (draft.lockGraceDays.trim() === "") {
    if (saved.lockGraceDays !== null) patch.lockGraceDays = null;
  } else {
    const grace = wholeNumber(draft.lockGraceDays, 0, 366);
    if (typeof grace === "string") errors.lockGraceDays = grace;
    else if (grace !== saved.lockGraceDays) patch.lockGraceDays = grace;
  }
  if (draft.approvalMode !== saved.approvalMode) patch.approvalMode = draft.approvalMode as "ALL_MANAGERS" | "PROJECT_MANAGERS";
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, patch };
}
