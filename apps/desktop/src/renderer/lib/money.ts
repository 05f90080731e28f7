/** Money as the server keeps it (integer cents) and as people type and read it. */

export function formatMoney(cents: number | null | undefined, currency: string): string {
  if (cents === null || cents === undefined) return "—";
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

/** The most the server takes for an hourly rate (100 000.00). */
const MAX_RATE_CENTS = 100_000_00;

/**
 * An hourly rate typed as "85", "85.5" or "85,50": cents, or null for an empty field (no rate of
 * its own), or the reason it is not a rate.
 */
export function parseRate(text: string): { cents: number | null } | { error: string } {
  const t = text.trim().replace(",", ".");
  if (t === "") return { cents: null };
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return { error: "A rate like 85 or 85.50" };
  const cents = Math.round(Number(t) * 100);
  if (cents > MAX_RATE_CENTS) return { error: "At most 100,000.00 an hour" };
  return { cents };
}

/** The rate's value for an input field ("85.50"), empty for none. */
export function rateText(cents: number | null | undefined): string {
  return cents === null || cents === undefined ? "" : (cents / 100).toFixed(2);
}
