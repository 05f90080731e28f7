import { parseInvitation, type ParsedInvitation } from "../../lib/invitation-link";
import { Field } from "../../ui/Field";

/** "Invitation link or token": pasted from the admin's message; tells whether it reads as one. */
export function InvitationField({ value, onChange }: { value: string; onChange: (text: string, parsed: ParsedInvitation | null) => void }) {
  const parsed = value.trim() ? parseInvitation(value) : null;
  return (
    <Field
      label="Invitation link or token"
      value={value}
      onChange={(e) => onChange(e.target.value, parseInvitation(e.target.value))}
      placeholder="hoursync://invite?…"
      error={value.trim() && !parsed ? "This is not an invitation link. Copy the whole link from the invitation." : null}
      hint={parsed ? "Valid invitation: you join the workspace that invited you." : "Leave empty to sign in to your own workspaces."}
    />
  );
}
