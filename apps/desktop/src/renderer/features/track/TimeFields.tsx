import { useEffect, useRef, useState } from "react";
import { atTime, exampleTime, clockUses12Hours, formatTime } from "../../lib/dates";
import { formatDuration, parseDuration } from "../../lib/duration";

type Field = "from" | "to" | "length";

/**
 * Start, end and duration of an entry, edited in place: times as the locale shows them (12 or
 * 24 h; either can be typed), the duration typed the
 * way people say it ("1:30", "90m", "1.5h"), which moves the end. Enter or leaving saves, Escape undoes.
 * A change arriving from elsewhere (a save, a sync) refreshes every field but the one being typed in.
 */
export function TimeFields({
  start,
  end,
  onSave,
  disabled,
}: {
  start: number;
  end: number | null;
  onSave: (changes: { start?: number; end?: number }) => void;
  disabled?: boolean;
}) {
  const [from, setFrom] = useState(() => formatTime(start));
  const [to, setTo] = useState(() => (end === null ? "" : formatTime(end)));
  const [length, setLength] = useState(() => (end === null ? "" : formatDuration(end - start)));
  const [error, setError] = useState<string | null>(null);
  const typing = useRef<Set<Field>>(new Set());
  useEffect(() => {
    if (!typing.current.has("from")) setFrom(formatTime(start));
    if (!typing.current.has("to")) setTo(end === null ? "" : formatTime(end));
    if (!typing.current.has("length")) setLength(end === null ? "" : formatDuration(end - start));
  }, [start, end]);
  const edit = (field: Field, set: (v: string) => void) => (e: React.ChangeEvent<HTMLInputElement>) => {
    typing.current.add(field);
    set(e.target.value);
  };
  const done = (...fields: Field[]) => fields.forEach((f) => typing.current.delete(f));

  function commitTimes() {
    if (disabled) return;
    const s = atTime(start, from);
    if (s === null) return setError(`Start must be a time like ${exampleTime()}`);
    done("from", "to");
    const changes: { start?: number; end?: number } = {};
    if (s !== start) changes.start = s;
    if (end !== null) {
      let e = atTime(start, to);
      if (e === null) {
        typing.current.add("to");
        return setError(`End must be a time like ${exampleTime()}`);
      }
      if (e <= s) e += 86_400_000; // past midnight: the next day
      if (e !== end) changes.end = e;
    }
    setError(null);
    if (changes.start !== undefined || changes.end !== undefined) onSave(changes);
  }
  function commitLength() {
    if (end === null || disabled) return;
    const ms = parseDuration(length);
    if (ms === null || ms <= 0) return setError('Type a duration like "1:30", "90m" or "1.5h"');
    done("length");
    setError(null);
    // Shown back in the one format used everywhere ("90m" reads as 1:30).
    setLength(formatDuration(ms));
    if (start + ms !== end) onSave({ end: start + ms });
  }
  const keys = (commit: () => void, reset: () => void) => (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      commit();
    } else if (e.key === "Escape") {
      reset();
      setError(null);
    }
  };
  const width = clockUses12Hours() ? "w-20" : "w-14";
  const cell = "tabular h-8 rounded-md border border-transparent bg-transparent px-1 text-sm hover:border-line focus:border-line";
  return (
    <div className="flex items-center gap-1">
      <input aria-label="Start time" className={`${cell} ${width}`} value={from} readOnly={disabled} onChange={edit("from", setFrom)} onBlur={commitTimes} onKeyDown={keys(commitTimes, () => (done("from"), setFrom(formatTime(start))))} />
      <span aria-hidden className="text-muted">
        –
      </span>
      <input
        aria-label="End time"
        className={`${cell} ${width}`}
        value={to}
        placeholder="now"
        readOnly={disabled}
        disabled={end === null}
        onChange={edit("to", setTo)}
        onBlur={commitTimes}
        onKeyDown={keys(commitTimes, () => (done("to"), setTo(end === null ? "" : formatTime(end))))}
      />
      <input
        aria-label="Duration"
        className={`${cell} w-16 text-right font-medium`}
        value={length}
        placeholder="running"
        readOnly={disabled}
        disabled={end === null}
        onChange={edit("length", setLength)}
        onBlur={commitLength}
        onKeyDown={keys(commitLength, () => (done("length"), setLength(end === null ? "" : formatDuration(end - start))))}
      />
      {error && (
        <span role="alert" className="text-xs text-danger">
          {error}
        </span>
      )}
    </div>
  );
}
