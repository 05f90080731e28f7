import { withoutBidiControls } from "../contract/attachments.js";

/**
 * `attachment` with the user's file name, safe in a header: an ASCII
 * fallback with anything but letters, digits, dot, dash, underscore and
 * space replaced, and the exact name in RFC 5987 `filename*` form. Nothing
 * from the name can end the header, add a parameter, name a path or
 * disguise its extension with bidirectional overrides.
 */
export function contentDisposition(name: string): string {
  // Names stored before bidi controls were dropped on upload lose them here too.
  const base = withoutBidiControls(name).toWellFormed().split(/[\\/]/).pop() || "attachment";
  const ascii = base.replace(/[^A-Za-z0-9._ -]/g, "_").replace(/^\.+/, "_").slice(0, 150) || "attachment";
  const exact = encodeURIComponent(base).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
