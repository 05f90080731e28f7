/** "🔒 Locked": an icon and the word (never colour alone), with the reason for screen readers and on hover. */
export function LockBadge({ message, className = "" }: { message: string; className?: string }) {
  return (
    <span title={message} className={`inline-flex items-center gap-1 rounded border border-line px-1.5 text-xs font-medium text-muted ${className}`} data-testid="lock-badge">
      <svg aria-hidden width="10" height="12" viewBox="0 0 10 12" fill="currentColor">
        <path d="M2 5V3.5a3 3 0 0 1 6 0V5h.5A1.5 1.5 0 0 1 10 6.5v4A1.5 1.5 0 0 1 8.5 12h-7A1.5 1.5 0 0 1 0 10.5v-4A1.5 1.5 0 0 1 1.5 5H2Zm1.5 0h3V3.5a1.5 1.5 0 0 0-3 0V5Z" />
      </svg>
      Locked<span className="sr-only">. {message}</span>
    </span>
  );
}
