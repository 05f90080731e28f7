import { parseRate, rateText } from "../../lib/money";

/** A project as its form holds it (text as typed). */
export interface ProjectDraft {
  name: string;
  color: string;
  clientId: string;
  billable: boolean;
  rate: string;
}

export const PROJECT_COLORS = ["#4f46e5", "#0891b2", "#059669", "#d97706", "#dc2626", "#db2777", "#7c3aed", "#475569"];

export const emptyDraft = (): ProjectDraft => ({ name: "", color: PROJECT_COLORS[0]!, clientId: "", billable: true, rate: "" });

export function draftOf(p: { name: string; color: string; clientId: string | null; billable: boolean; hourlyRateCents: number | null }): ProjectDraft {
  return { name: p.name, color: p.color, clientId: p.clientId ?? "", billable: p.billable, rate: rateText(p.hourlyRateCents) };
}

export type DraftErrors = Partial<Record<"name" | "color" | "rate", string>>;

/** The fields the server takes, or what is wrong with the form, field by field. */
export function checkDraft(d: ProjectDraft):
  | { ok: true; fields: { name: string; color: string; clientId: string | null; billable: boolean; hourlyRateCents: number | null } }
  | { ok: false; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const name = d.name.trim();
  if (!name) errors.name = "Give the project a name";
  else if (name.length > 200) errors.name = "At most 200 characters";
  if (!/^#[0-9a-fA-F]{6}$/.test(d.color)) errors.color = "A colour like #3b82f6";
  const rate = parseRate(d.rate);
  if ("error" in rate) errors.rate = rate.error;
  if (Object.keys(errors).length > 0 || "error" in rate) return { ok: false, errors };
  return { ok: true, fields: { name, color: d.color.toLowerCase(), clientId: d.clientId || null, billable: d.billable, hourlyRateCents: rate.cents } };
}
