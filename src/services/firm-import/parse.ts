import { readFirmCsv } from './firm-csv';
import { byRow, fieldPath, type ImportProblem, issueEntries } from './problems';
import { FirmRecord } from './record';

export type { ImportProblem } from './problems';

export type ParseFirmFileResult =
  | { ok: true; records: FirmRecord[] }
  | { ok: false; problems: ImportProblem[] };

/** Far above any real directory, low enough that a wrong file fails fast. */
const MAX_CHARS = 20_000_000;

/**
 * Reads and validates a whole import file (JSON or CSV, chosen by the file name's
 * extension). Nothing is returned unless every record is valid: the caller imports all or
 * nothing, and the problems list names every fault at once, not just the first.
 */
export function parseFirmFile(fileName: string, text: string): ParseFirmFileResult {
  if (text.length > MAX_CHARS) {
    return fail([{ row: 0, field: '', message: 'The file is too large to import (over 20 MB).' }]);
  }
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'json') return parseJsonFirms(text);
  if (extension === 'csv') return readFirmCsv(text);
  return fail([
    {
      row: 0,
      field: '',
      message: `Cannot tell the format of "${fileName}"; name the file .json or .csv.`,
    },
  ]);
}

function fail(problems: ImportProblem[]): ParseFirmFileResult {
  return { ok: false, problems };
}

function parseJsonFirms(input: string): ParseFirmFileResult {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return fail([
      { row: 0, field: '', message: `Not valid JSON: ${describeJsonError(error, text)}` },
    ]);
  }

  const problems: ImportProblem[] = [];
  let firms: unknown[];
  if (Array.isArray(document)) {
    firms = document;
  } else if (
    typeof document === 'object' &&
    document !== null &&
    Array.isArray((document as { firms?: unknown }).firms)
  ) {
    const { firms: list, ...rest } = document as { firms: unknown[] } & Record<string, unknown>;
    firms = list;
    for (const [key, value] of Object.entries(rest)) {
      if (key === '$schema' && typeof value === 'string') continue;
      problems.push({
        row: 0,
        field: fieldPath([key]),
        message: 'Unknown field; the file holds "firms" (and optionally "$schema").',
      });
    }
  } else {
    return fail([
      { row: 0, field: '', message: 'Expected a list of firms, or an object with a "firms" list.' },
    ]);
  }
  if (firms.length === 0) {
    return fail([{ row: 0, field: 'firms', message: 'The file lists no firms.' }]);
  }

  const records: FirmRecord[] = [];
  const firstRowBySlug = new Map<string, number>();
  firms.forEach((raw, index) => {
    const row = index + 1;
    const slug =
      typeof raw === 'object' && raw !== null ? (raw as { slug?: unknown }).slug : undefined;
    if (typeof slug === 'string') {
      const first = firstRowBySlug.get(slug);
      if (first === undefined) firstRowBySlug.set(slug, row);
      else
        problems.push({
          row,
          field: 'slug',
          message: `Slug "${slug}" is already used by firm ${first} in this file.`,
        });
    }
    const result = FirmRecord.safeParse(raw);
    if (result.success) {
      records.push(result.data);
      return;
    }
    for (const { path, message } of issueEntries(result.error.issues)) {
      problems.push({ row, field: fieldPath(path), message });
    }
  });

  return problems.length > 0 ? fail(byRow(problems)) : { ok: true, records };
}

/** V8 reports a character offset; people look for a line and column. */
function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return message;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column}).`;
}
