/**
 * The one CSV writer: RFC 4180 with CRLF line ends, quoting only the cells that need it.
 *
 * A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a CR as a formula
 * (OWASP "CSV injection"), and buyers and firms type text that ends up in these files, so such
 * a cell is kept as text with a leading apostrophe, as spreadsheets themselves mark text. A
 * cell that is only a number or a phone number ("+1 415 555 0100", "-250") cannot call
 * anything, so it is written as it is. A cell that already starts with an apostrophe gets one
 * more, so `readCell` (used by the importer) restores every cell exactly.
 */

const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];
const NUMBER = /^-?\d+(\.\d+)?$/;
/** "+1 415 555 0100", "+44 (20) 7946-0958": a plus, then at least seven digits among spaces, brackets and dashes. */
const PHONE = /^\+(?=(?:[\s().-]*\d){7})[\d\s().-]+$/;
const NEEDS_QUOTES = /[",\r\n]/;

export function defuseFormula(cell: string): string {
  if (cell.startsWith("'")) return `'${cell}`;
  if (!FORMULA_TRIGGERS.some((t) => cell.startsWith(t))) return cell;
  return NUMBER.test(cell) || PHONE.test(cell) ? cell : `'${cell}`;
}

/** The cell as it was before `defuseFormula`: one leading apostrophe marks text, as in a spreadsheet. */
export function readCell(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

function csvCell(cell: string, quoteAll: boolean): string {
  const safe = defuseFormula(cell);
  return quoteAll || NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export interface CsvOptions {
  /** Quote every cell (some importers expect it); otherwise only cells with a quote, comma or line break. */
  quoteAll?: boolean;
}

export function formatCsv(rows: readonly (readonly string[])[], options: CsvOptions = {}): string {
  return rows
    .map((row) => `${row.map((cell) => csvCell(cell, options.quoteAll ?? false)).join(',')}\r\n`)
    .join('');
}
