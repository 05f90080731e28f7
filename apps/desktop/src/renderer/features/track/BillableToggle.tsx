/** Billable on/off: a pressed button with a "$" and its state in words for screen readers. */
export function BillableToggle({ value, onChange, disabled }: { value: boolean; onChange: (v: boolean) => void; disabled?: boolean }) {
  return (
    <button
      type="button"
      aria-pressed={value}
      disabled={disabled}
      aria-label="Billable"
      title={value ? "Billable" : "Not billable"}
      onClick={() => onChange(!value)}
      className={`h-8 w-8 rounded-md border disabled:cursor-not-allowed disabled:opacity-70 text-sm font-semibold ${value ? "border-accent bg-accent text-accent-ink" : "border-line text-muted"}`}
    >
      $
    </button>
  );
}
