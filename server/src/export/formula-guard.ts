/**
 * Spreadsheets run a cell as a formula when it starts with = + - @ (also the
 * full-width forms Apple Numbers folds to them), and several skip leading
 * white space first; a tab or carriage return at the start is a formula
 * trigger of its own in some (OWASP, "CSV Injection").
 */
const FORMULA_START = /^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
const CONTROL_START = /^[\t\r\n]/;

/** The cell with a leading ' when a spreadsheet would read it as a formula; shown as text, nothing run. */
export function defuseFormula(cell: string): string {
  return FORMULA_START.test(cell) || CONTROL_START.test(cell) ? `'${cell}` : cell;
}
