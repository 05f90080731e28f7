import { useState } from "react";
import { parseRate, rateText } from "../../lib/money";

/**
 * An hourly rate edited in place: saved on Enter or when focus leaves, only when it changed;
 * Escape puts the saved value back. Empty means "no rate of its own".
 */
export function RateInput({ label, cents, onSave, disabled }: { label: string; cents: number | null; onSave: (cents: number | null) => void; disabled?: boolean }) {
  const [text, setText] = useState(rateText(cents));
  const [error, setError] = useState<string | null>(null);
  const [seen, setSeen] = useState(cents);
  if (seen !== cents) {
    // The server's value changed (saved here or elsewhere): show it.
    setSeen(cents);
    setText(rateText(cents));
  }
  function commit() {
    const parsed = parseRate(text);
    if ("error" in parsed) return setError(parsed.error);
    setError(null);
    if (parsed.cents !== cents) onSave(parsed.cents);
  }
  return (
    <span className="inline-flex flex-col items-end">
      <input
        aria-label={label}
        aria-invalid={error ? true : undefined}
        title={error ?? undefined}
        inputMode="decimal"
        placeholder="—"
        disabled={disabled}
        className={`tabular h-8 w-24 rounded-md border bg-canvas px-2 text-right text-sm ${error ? "border-danger" : "border-line"}`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
          if (e.key === "Escape") {
            setText(rateText(cents));
            setError(null);
          }
        }}
      />
      {error && (
        <span role="alert" className="text-xs text-danger">
          {error}
        </span>
      )}
    </span>
  );
}
