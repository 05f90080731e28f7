import { Popover } from "radix-ui";
import { useState, type ReactNode } from "react";

/**
 * A Radix popover whose machinery mounts when it is first opened. Until then the trigger is a
 * plain button that looks and reads the same (a week on screen holds dozens of rows with two
 * pickers each, and Radix's trigger, anchor and effects were a large part of the first render).
 * Opening is by click, as with Radix's own trigger (Enter and Space click a button); once opened,
 * the popover stays mounted, and closing returns the focus to its trigger as before.
 */
export function LazyPopover({
  trigger,
  triggerClassName,
  disabled,
  contentLabel,
  contentClassName,
  children,
}: {
  trigger: ReactNode;
  triggerClassName: string;
  disabled?: boolean;
  contentLabel: string;
  contentClassName: string;
  /** The popover's content; `close` closes it. Rendered only while open. */
  children: (close: () => void) => ReactNode;
}) {
  const [live, setLive] = useState(false);
  const [open, setOpen] = useState(false);
  if (!live) {
    return (
      <button
        type="button"
        aria-haspopup="dialog"
        aria-expanded={false}
        data-state="closed"
        disabled={disabled}
        className={triggerClassName}
        onClick={() => {
          setLive(true);
          setOpen(true);
        }}
      >
        {trigger}
      </button>
    );
  }
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger disabled={disabled} className={triggerClassName}>
        {trigger}
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content aria-label={contentLabel} align="start" sideOffset={4} className={contentClassName}>
          {children(() => setOpen(false))}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
