/** A project's colour: the same dot in the picker, the list and later the grid and the charts. */
export function ProjectDot({ color, size = 10 }: { color: string | null | undefined; size?: number }) {
  return (
    <span
      aria-hidden
      className="inline-block shrink-0 rounded-full"
      style={{ width: size, height: size, background: color ?? "transparent", border: color ? undefined : "1px dashed currentColor" }}
    />
  );
}
