import { useTags, type Tag } from "../../lib/data";
import { LazyPopover } from "../../ui/LazyPopover";

interface PickerProps {
  value: string[];
  onChange: (ids: string[]) => void;
  disabled?: boolean;
}

/** Tags as checkboxes in a popover (few per workspace; a search is not needed yet). */
export function TagPicker(props: PickerProps) {
  const tags = useTags();
  return <TagPickerOf tags={tags.data} {...props} />;
}

/** The picker given the workspace's tags: a list reads them once for all its rows' pickers. */
export function TagPickerOf({ tags = [], value, onChange, disabled }: PickerProps & { tags: Tag[] | undefined }) {
  const names = tags.filter((t) => value.includes(t.id)).map((t) => t.name);
  return (
    <LazyPopover
      disabled={disabled}
      triggerClassName="flex h-8 max-w-40 disabled:cursor-not-allowed disabled:opacity-70 items-center rounded-md border border-line bg-canvas px-2 text-sm"
      trigger={<span className="truncate">{names.length ? `# ${names.join(", ")}` : "# Tags"}</span>}
      contentLabel="Choose tags"
      contentClassName="z-50 flex w-56 flex-col gap-1 rounded-lg border border-line bg-canvas p-2 shadow-xl"
    >
      {() => (
        <>
          {tags.length === 0 && <p className="text-sm text-muted">This workspace has no tags.</p>}
          {tags.map((t) => (
            <label key={t.id} className="flex items-center gap-2 rounded px-1 py-1 text-sm hover:bg-panel">
              <input
                type="checkbox"
                checked={value.includes(t.id)}
                onChange={(e) => onChange(e.target.checked ? [...value, t.id] : value.filter((id) => id !== t.id))}
              />
              {t.name}
            </label>
          ))}
        </>
      )}
    </LazyPopover>
  );
}
