import { readCell } from '../../domain/csv';

/**
 * A small RFC 4180 reader (the writer is `domain/csv`): quoted fields, doubled quotes inside them, CRLF or LF
 * (or a lone CR, as old spreadsheet exports write) between records, and a leading UTF-8 BOM.
 *
 * Rows are numbered as a spreadsheet shows them (the first record is row 1), which is the
 * line number unless a quoted cell spans lines. Cells are returned as written, except that one
 * leading apostrophe (how the writer and spreadsheets mark a cell as text) is dropped: the
 * reader never trims, converts or evaluates anything, so "'=SUM(A1)" reads as "=SUM(A1)", text.
 */

export interface CsvProblem {
  row: number;
  message: string;
}

export interface CsvParseResult {
  rows: string[][];
  problems: CsvProblem[];
}

export function parseCsv(input: string): CsvParseResult {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const rows: string[][] = [];
  const problems: CsvProblem[] = [];
  let row: string[] = [];
  let cell = '';
  let inQuotes = false;
  let quoted = false; // the current cell started with a quote
  let closed = false; // ...and that quote has been closed
  let strayReported = false;

  const endCell = () => {
    row.push(readCell(cell));
    cell = '';
    quoted = false;
    closed = false;
  };
  const endRow = () => {
    endCell();
    rows.push(row);
    row = [];
    strayReported = false;
  };

  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (inQuotes) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        closed = true;
        i += 1;
        continue;
      }
      cell += char;
      i += 1;
      continue;
    }
    if (char === ',') {
      endCell();
      i += 1;
      continue;
    }
    if (char === '\r' || char === '\n') {
      endRow();
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    if (char === '"' && cell === '' && !quoted) {
      inQuotes = true;
      quoted = true;
      i += 1;
      continue;
    }
    if (closed && !strayReported) {
      // `"abc"def` is not CSV; guessing what was meant could silently shift data.
      problems.push({
        row: rows.length + 1,
        message:
          'Text follows a closing quote in a cell; quote the whole cell and double any quote inside it.',
      });
      strayReported = true;
    }
    // A quote inside an unquoted cell (5" screen) is kept as text, as spreadsheets read it.
    cell += char;
    i += 1;
  }

  if (inQuotes) {
    problems.push({
      row: rows.length + 1,
      message: 'A quoted cell is never closed; check for a missing closing quote (").',
    });
  }
  // A final line break ends the last record rather than starting an empty one.
  if (row.length > 0 || cell !== '' || quoted) endRow();
  return { rows, problems };
}
