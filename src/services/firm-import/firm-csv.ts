import type { z } from 'zod';
import { formatCsv } from '../../domain/csv';
import { parseCsv } from './csv';
import { byRow, fieldPath, type ImportProblem, issueEntries, rootField } from './problems';
import {
  type ConsultancyLinkRecord,
  type CredentialRecord,
  FirmRecord,
  type FirmRecordInput,
  type FirmServiceRecord,
} from './record';

/**
 * The spreadsheet form of firm records: one sheet, one row per firm, service, credential or
 * consultancy link. The `record` column says which; `slug` ties every row to its firm. A
 * row fills only the columns of its record type. Lists are separated by `;` and price
 * ranges are written `1-10:15000-30000;11-50:20000-40000`.
 */

export const CSV_RECORD_TYPES = ['firm', 'service', 'credential', 'consultancy-link'] as const;
export type CsvRecordType = (typeof CSV_RECORD_TYPES)[number];

type CellKind = 'text' | 'list' | 'boolean' | 'integer' | 'priceRanges';
type Cells<T> = { readonly [K in keyof T]-?: CellKind };
type Children = 'services' | 'credentials' | 'consultancyLinks';

// Typed against the schema, so a field added to the record does not compile until the
// spreadsheet format knows how to write it.
const FIRM_CELLS: Cells<Omit<FirmRecordInput, 'slug' | Children>> = {
  name: 'text',
  firmType: 'text',
  status: 'text',
  demo: 'boolean',
  website: 'text',
  description: 'text',
  headquarters: 'text',
  regions: 'list',
  languages: 'list',
  industries: 'list',
  stages: 'list',
  aiSpecialism: 'boolean',
  bookingUrl: 'text',
  leadEmail: 'text',
  plan: 'text',
};
const SERVICE_CELLS: Cells<z.input<typeof FirmServiceRecord>> = {
  framework: 'text',
  variants: 'list',
  priceRanges: 'priceRanges',
  leadTimeWeeks: 'integer',
  monthlyCapacity: 'integer',
  capacityUsed: 'integer',
  capacityMonth: 'text',
  paused: 'boolean',
  pausedUntil: 'text',
};
const CREDENTIAL_CELLS: Cells<z.input<typeof CredentialRecord>> = {
  kind: 'text',
  issuer: 'text',
  identifier: 'text',
  scopeStandards: 'list',
  schemeStandards: 'list',
  validFrom: 'text',
  validTo: 'text',
  verification: 'text',
  evidenceUrl: 'text',
};
const LINK_CELLS: Cells<z.input<typeof ConsultancyLinkRecord>> = {
  consultancy: 'text',
  endedOn: 'text',
};

const CELLS: Record<CsvRecordType, Readonly<Record<string, CellKind>>> = {
  firm: FIRM_CELLS,
  service: SERVICE_CELLS,
  credential: CREDENTIAL_CELLS,
  'consultancy-link': LINK_CELLS,
};

const CHILD_LIST: Record<Exclude<CsvRecordType, 'firm'>, Children> = {
  service: 'services',
  credential: 'credentials',
  'consultancy-link': 'consultancyLinks',
};

/** Every column, in the order the template and the writer use. */
export const CSV_COLUMNS: readonly string[] = [
  'record',
  'slug',
  ...CSV_RECORD_TYPES.flatMap((type) => Object.keys(CELLS[type])),
];

const OWNER = new Map<string, CsvRecordType>(
  CSV_RECORD_TYPES.flatMap((type) =>
    Object.keys(CELLS[type]).map((column) => [column, type] as const),
  ),
);

const BOOLEAN_CELLS: Record<string, boolean> = { true: true, yes: true, false: false, no: false };
const AMOUNT = /^\$?\d{1,3}(?:,\d{3})+$|^\$?\d+$/;

type Converted = { ok: true; value: unknown } | { ok: false; field: string; message: string };

function convert(column: string, kind: CellKind, cell: string): Converted {
  switch (kind) {
    case 'text':
      return { ok: true, value: cell };
    case 'list':
      return { ok: true, value: splitList(cell) };
    case 'boolean': {
      const value = BOOLEAN_CELLS[cell.toLowerCase()];
      return value === undefined
        ? { ok: false, field: column, message: 'Must be true or false.' }
        : { ok: true, value };
    }
    case 'integer':
      return /^[+-]?\d+$/.test(cell)
        ? { ok: true, value: Number(cell) }
        : { ok: false, field: column, message: 'Must be a whole number, e.g. 12.' };
    case 'priceRanges':
      return convertPriceRanges(column, cell);
  }
}

function splitList(cell: string): string[] {
  return cell
    .split(';')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function convertPriceRanges(column: string, cell: string): Converted {
  const ranges: Array<{ sizeBand: string; minUsd: number; maxUsd: number }> = [];
  for (const [index, item] of splitList(cell).entries()) {
    const colon = item.indexOf(':');
    const amounts = item
      .slice(colon + 1)
      .split('-')
      .map((part) => part.trim());
    const [min, max] = amounts;
    if (
      colon < 1 ||
      amounts.length !== 2 ||
      !min ||
      !max ||
      !AMOUNT.test(min) ||
      !AMOUNT.test(max)
    ) {
      return {
        ok: false,
        field: `${column}[${index}]`,
        message: `Write each price range as size band:min-max in whole US dollars, e.g. 1-10:15000-30000 (found "${item}").`,
      };
    }
    ranges.push({
      sizeBand: item.slice(0, colon).trim(),
      minUsd: Number(min.replace(/[$,]/g, '')),
      maxUsd: Number(max.replace(/[$,]/g, '')),
    });
  }
  return { ok: true, value: ranges };
}

interface FirmDraft {
  row: number;
  input: Record<string, unknown> & Record<Children, Record<string, unknown>[]>;
  childRows: Record<Children, number[]>;
}

export type ReadFirmCsvResult =
  | { ok: true; records: FirmRecord[] }
  | { ok: false; problems: ImportProblem[] };

export function readFirmCsv(text: string): ReadFirmCsvResult {
  const parsed = parseCsv(text);
  if (parsed.problems.length > 0) {
    return {
      ok: false,
      problems: parsed.problems.map((p) => ({ row: p.row, field: '', message: p.message })),
    };
  }
  const [header, ...data] = parsed.rows;
  if (!header || header.every((cell) => cell.trim() === '')) {
    return {
      ok: false,
      problems: [
        { row: 1, field: '', message: 'The file is empty; the first row must name the columns.' },
      ],
    };
  }

  const problems: ImportProblem[] = [];
  const columns = readHeader(header, problems);
  if (!columns) return { ok: false, problems };

  const drafts: FirmDraft[] = [];
  const draftBySlug = new Map<string, FirmDraft>();
  const children: Array<{
    row: number;
    type: Exclude<CsvRecordType, 'firm'>;
    slug: string;
    values: Record<string, unknown>;
  }> = [];
  // A cell that could not be read is reported once, not again as "Required" by the schema.
  const reported = new Set<string>();
  const report = (row: number, field: string, message: string) => {
    problems.push({ row, field, message });
    reported.add(`${row}:${rootField(field)}`);
  };

  data.forEach((cells, index) => {
    const row = index + 2;
    if (cells.every((cell) => cell.trim() === '')) return;
    if (cells.slice(header.length).some((cell) => cell.trim() !== '')) {
      report(row, '', `This row has more cells than the header has columns (${header.length}).`);
    }
    const cell = (column: string) => {
      const at = columns.get(column);
      return at === undefined ? '' : (cells[at] ?? '').trim();
    };

    const type = cell('record').toLowerCase();
    if (!(CSV_RECORD_TYPES as readonly string[]).includes(type)) {
      report(
        row,
        'record',
        type === ''
          ? `Required: one of ${CSV_RECORD_TYPES.join(', ')}.`
          : `Must be one of: ${CSV_RECORD_TYPES.join(', ')}.`,
      );
      return;
    }
    const recordType = type as CsvRecordType;
    const slug = cell('slug');

    const values: Record<string, unknown> = {};
    for (const column of columns.keys()) {
      if (column === 'record' || column === 'slug') continue;
      const value = cell(column);
      if (value === '') continue;
      const owner = OWNER.get(column);
      if (owner !== recordType) {
        report(
          row,
          column,
          `This column is for ${owner} rows; leave it empty on a ${recordType} row.`,
        );
        continue;
      }
      const converted = convert(column, CELLS[recordType][column] as CellKind, value);
      if (converted.ok) values[column] = converted.value;
      else report(row, converted.field, converted.message);
    }

    if (recordType === 'firm') {
      if (slug !== '' && draftBySlug.has(slug)) {
        report(
          row,
          'slug',
          `Slug "${slug}" already has a firm row (row ${draftBySlug.get(slug)?.row}); each firm has one.`,
        );
        return;
      }
      const draft: FirmDraft = {
        row,
        input: {
          ...(slug === '' ? {} : { slug }),
          ...values,
          services: [],
          credentials: [],
          consultancyLinks: [],
        },
        childRows: { services: [], credentials: [], consultancyLinks: [] },
      };
      drafts.push(draft);
      if (slug !== '') draftBySlug.set(slug, draft);
      return;
    }
    if (slug === '') {
      report(row, 'slug', `Required: the slug of the firm this ${recordType} belongs to.`);
      return;
    }
    children.push({ row, type: recordType, slug, values });
  });

  for (const child of children) {
    const draft = draftBySlug.get(child.slug);
    if (!draft) {
      report(
        child.row,
        'slug',
        `No firm row has slug "${child.slug}"; add one or correct the slug.`,
      );
      continue;
    }
    const list = CHILD_LIST[child.type];
    draft.input[list].push(child.values);
    draft.childRows[list].push(child.row);
  }

  if (drafts.length === 0 && problems.length === 0) {
    problems.push({ row: 0, field: '', message: 'The file has no firm rows.' });
  }

  const records: FirmRecord[] = [];
  for (const draft of drafts) {
    const result = FirmRecord.safeParse(draft.input);
    if (result.success) {
      records.push(result.data);
      continue;
    }
    for (const { path, message } of issueEntries(result.error.issues)) {
      const [list, index] = path;
      const rows = typeof list === 'string' ? draft.childRows[list as Children] : undefined;
      const childRow = rows && typeof index === 'number' ? rows[index] : undefined;
      // A problem inside a service, credential or link belongs to that row and its column.
      const row = childRow ?? draft.row;
      const field = fieldPath(childRow === undefined ? path : path.slice(2));
      if (reported.has(`${row}:${rootField(field)}`)) continue;
      problems.push({
        row,
        field,
        // In a sheet, services are rows of their own; say so rather than "add a service".
        message:
          field === 'services' && draft.childRows.services.length === 0
            ? 'Add at least one service row with this slug.'
            : message,
      });
    }
  }

  return problems.length > 0 ? { ok: false, problems: byRow(problems) } : { ok: true, records };
}

/** Maps canonical column name → index; reports unknown, repeated and missing columns. */
function readHeader(header: string[], problems: ImportProblem[]): Map<string, number> | undefined {
  if (header.length === 1 && header[0]?.includes(';')) {
    problems.push({
      row: 1,
      field: '',
      message:
        'The columns are separated by semicolons; save the sheet as "CSV UTF-8 (comma delimited)".',
    });
    return undefined;
  }
  const known = new Map(CSV_COLUMNS.map((name) => [name.toLowerCase(), name]));
  const columns = new Map<string, number>();
  header.forEach((raw, index) => {
    const label = raw.trim();
    if (label === '') return;
    const name = known.get(label.toLowerCase());
    if (!name) {
      problems.push({
        row: 1,
        field: label,
        message: 'Unknown column; check its spelling against docs/import-format.md.',
      });
    } else if (columns.has(name)) {
      problems.push({ row: 1, field: name, message: 'This column appears twice.' });
    } else {
      columns.set(name, index);
    }
  });
  for (const required of ['record', 'slug']) {
    if (!columns.has(required)) {
      problems.push({
        row: 1,
        field: required,
        message: `The header needs a "${required}" column.`,
      });
    }
  }
  return columns.has('record') && columns.has('slug') ? columns : undefined;
}

function writeCell(kind: CellKind, value: unknown, where: string): string {
  if (value === undefined || value === null) return '';
  switch (kind) {
    case 'list': {
      const items = value as readonly string[];
      const bad = items.find((item) => item.includes(';'));
      if (bad !== undefined)
        throw new Error(`${where}: "${bad}" contains ";", which separates list items`);
      return items.join(';');
    }
    case 'priceRanges':
      return (value as FirmServiceRecord['priceRanges'])
        .map((range) => `${range.sizeBand}:${range.minUsd}-${range.maxUsd}`)
        .join(';');
    default:
      return String(value);
  }
}

function writeRow(
  type: CsvRecordType,
  slug: string,
  values: Readonly<Record<string, unknown>>,
): string[] {
  const cells = CELLS[type];
  return CSV_COLUMNS.map((column) => {
    if (column === 'record') return type;
    if (column === 'slug') return slug;
    const kind = cells[column];
    return kind === undefined ? '' : writeCell(kind, values[column], `${slug} ${column}`);
  });
}

/**
 * Writes records in the spreadsheet form `readFirmCsv` reads back. Cells are data, written
 * as they are: open the result in a spreadsheet only if you trust the records' text.
 */
export function writeFirmCsv(records: readonly FirmRecordInput[]): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const record of records) {
    rows.push(writeRow('firm', record.slug, record));
    for (const service of record.services as readonly Partial<FirmServiceRecord>[]) {
      rows.push(writeRow('service', record.slug, service));
    }
    for (const credential of (record.credentials ?? []) as readonly Partial<CredentialRecord>[]) {
      rows.push(writeRow('credential', record.slug, credential));
    }
    for (const link of (record.consultancyLinks ??
      []) as readonly Partial<ConsultancyLinkRecord>[]) {
      rows.push(writeRow('consultancy-link', record.slug, link));
    }
  }
  return formatCsv(rows);
}
