import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, writeFirmCsv } from '../../../src/services/firm-import/firm-csv';
import { type ImportProblem, parseFirmFile } from '../../../src/services/firm-import/parse';
import type { FirmRecord } from '../../../src/services/firm-import/record';
import { SAMPLE_FIRM } from './sample';

function fixture(name: string): string {
  return readFileSync(
    fileURLToPath(new URL(`../../fixtures/import/${name}`, import.meta.url)),
    'utf8',
  );
}

function records(fileName: string, text: string): FirmRecord[] {
  const result = parseFirmFile(fileName, text);
  if (!result.ok)
    throw new Error(`unexpected problems: ${JSON.stringify(result.problems, null, 2)}`);
  return result.records;
}

function problems(fileName: string, text: string): ImportProblem[] {
  const result = parseFirmFile(fileName, text);
  if (result.ok) throw new Error('expected problems, got a valid file');
  return result.problems;
}

const at = (list: ImportProblem[]) => list.map((p) => `${p.row} ${p.field}`);

const firm = SAMPLE_FIRM;

/** A CSV with the given header and rows (arrays of cells), CRLF line ends. */
function csv(header: string[], ...rows: string[][]): string {
  return [header, ...rows].map((row) => `${row.join(',')}\r\n`).join('');
}
const FIRM_HEADER = [
  'record',
  'slug',
  'name',
  'firmType',
  'headquarters',
  'regions',
  'languages',
  'description',
  'framework',
  'variants',
  'leadTimeWeeks',
  'monthlyCapacity',
];
const firmRow = (slug: string, description = '') => [
  'firm',
  slug,
  'Firm',
  'cpa-firm',
  'US',
  'north-america',
  'en',
  description,
  '',
  '',
  '',
  '',
];
const serviceRow = (slug: string) => [
  'service',
  slug,
  '',
  '',
  '',
  '',
  '',
  '',
  'soc2',
  'type2',
  '3',
  '4',
];

describe('parseFirmFile: JSON', () => {
  it('reads the good fixture with defaults applied', () => {
    const result = records('good.json', fixture('good.json'));
    expect(result.map((r) => r.slug)).toEqual([
      'ambergill-cpas',
      'orrisfield-certification',
      'minimal-body',
    ]);
    expect(result[2]).toMatchObject({ status: 'active', credentials: [], consultancyLinks: [] });
    expect(result[0]?.credentials[0]?.verification).toBe('pending');
    expect(result[1]?.consultancyLinks).toEqual([
      { consultancy: 'Fenwright Advisory', endedOn: '2024-05-31' },
      { consultancy: 'Glasswort Partners', endedOn: null },
    ]);
  });

  it('accepts a bare list as well as { firms }, with a byte-order mark', () => {
    expect(records('a.json', `\uFEFF${JSON.stringify([firm])}`)).toHaveLength(1);
    expect(records('a.JSON', JSON.stringify({ $schema: 'x.json', firms: [firm] }))).toHaveLength(1);
  });

  it('reports every problem in bad.json with its row and field path', () => {
    expect(at(problems('bad.json', fixture('bad.json')))).toEqual([
      '1 headquarters',
      '1 regions[1]',
      '1 languages[0]',
      '1 services[0].priceRanges[1].maxUsd',
      '1 services[0].variants[0]',
      '1 services[0].capacityUsed',
      '1 credentials[0].validFrom',
      '1 webiste',
      '2 slug',
      '2 website',
      '2 services[0].leadTimeWeeks',
      '2 credentials[0].scopeStandards',
      '2 credentials[0].validTo',
      '3 ',
    ]);
  });

  it('names each unknown field where it sits', () => {
    const input = [
      { ...firm, services: [{ ...firm.services[0], leadTime: 2 }], colour: 'red', 'odd key': 1 },
    ];
    expect(problems('a.json', JSON.stringify(input))).toEqual([
      {
        row: 1,
        field: 'services[0].leadTime',
        message: 'Unknown field; check its spelling against docs/import-format.md.',
      },
      {
        row: 1,
        field: 'colour',
        message: 'Unknown field; check its spelling against docs/import-format.md.',
      },
      {
        row: 1,
        field: '["odd key"]',
        message: 'Unknown field; check its spelling against docs/import-format.md.',
      },
    ]);
  });

  it('refuses a slug used twice in one file, naming the first use', () => {
    expect(problems('a.json', JSON.stringify([firm, { ...firm, name: 'Other' }, firm]))).toEqual([
      {
        row: 2,
        field: 'slug',
        message: 'Slug "ambergill-cpas" is already used by firm 1 in this file.',
      },
      {
        row: 3,
        field: 'slug',
        message: 'Slug "ambergill-cpas" is already used by firm 1 in this file.',
      },
    ]);
  });

  it('explains a syntax error with its line and column', () => {
    const [problem] = problems('a.json', '[\n  { "slug": "x", }\n]');
    expect(problem).toMatchObject({ row: 0, field: '' });
    expect(problem?.message).toMatch(/^Not valid JSON: .*line 2, column/);
  });

  it('refuses files that are not lists of firms', () => {
    expect(problems('a.json', '{"firm": []}')[0]?.message).toMatch(/list of firms/);
    expect(problems('a.json', '[]')).toEqual([
      { row: 0, field: 'firms', message: 'The file lists no firms.' },
    ]);
    expect(problems('a.json', JSON.stringify({ firms: [firm], extra: 1 }))).toEqual([
      {
        row: 0,
        field: 'extra',
        message: 'Unknown field; the file holds "firms" (and optionally "$schema").',
      },
    ]);
  });

  it('refuses a file name it cannot place', () => {
    expect(problems('firms.xlsx', '')[0]?.message).toMatch(/\.json or \.csv/);
  });
});

describe('parseFirmFile: CSV', () => {
  it('reads good.csv into exactly the records of good.json', () => {
    expect(records('good.csv', fixture('good.csv'))).toEqual(
      records('good.json', fixture('good.json')),
    );
  });

  it('round-trips records through writeFirmCsv', () => {
    const original = records('good.json', fixture('good.json'));
    const written = writeFirmCsv(original);
    expect(written.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(records('again.csv', written)).toEqual(original);
  });

  it('reports every problem in bad.csv on its spreadsheet row and column', () => {
    expect(problems('bad.csv', fixture('bad.csv'))).toEqual([
      { row: 3, field: 'priceRanges[1].maxUsd', message: 'Must be at least minUsd (40000).' },
      { row: 4, field: 'leadTimeWeeks', message: 'Must be a whole number, e.g. 12.' },
      {
        row: 5,
        field: 'validFrom',
        message: 'Must be a real date written YYYY-MM-DD, e.g. 2027-03-31.',
      },
      {
        row: 6,
        field: 'slug',
        message: 'No firm row has slug "nobody-here"; add one or correct the slug.',
      },
      {
        row: 7,
        field: 'slug',
        message: 'Slug "good-firm" already has a firm row (row 2); each firm has one.',
      },
      {
        row: 8,
        field: 'website',
        message: 'Must be a full https:// address, e.g. https://example.com/about.',
      },
      {
        row: 8,
        field: 'headquarters',
        message: 'Must be a two-letter ISO 3166-1 country code in capitals, e.g. US, GB or DE.',
      },
      { row: 8, field: 'services', message: 'Add at least one service row with this slug.' },
      {
        row: 9,
        field: 'record',
        message: 'Must be one of: firm, service, credential, consultancy-link.',
      },
      {
        row: 10,
        field: 'name',
        message: 'This column is for firm rows; leave it empty on a service row.',
      },
      {
        row: 10,
        field: 'framework',
        message:
          'A cpa-firm cannot offer iso27001; it may offer soc2, soc1, hipaa, pci-dss, hitrust.',
      },
    ]);
  });

  it('keeps formula-looking cells as plain text', () => {
    const text = csv(
      FIRM_HEADER,
      firmRow('formula-firm', '"=HYPERLINK(""https://evil.example"",""x"")"'),
      serviceRow('formula-firm'),
    );
    expect(records('f.csv', text)[0]?.description).toBe('=HYPERLINK("https://evil.example","x")');
    for (const cell of ['=1+1', '+SUM(A1)', '-2+3', '@cmd']) {
      expect(
        records(
          'f.csv',
          csv(FIRM_HEADER, firmRow('formula-firm', cell), serviceRow('formula-firm')),
        )[0]?.description,
      ).toBe(cell);
    }
  });

  it('reads a price range cell and reports a malformed one by position', () => {
    const header = [...FIRM_HEADER, 'priceRanges'];
    const service = (cell: string) => [...serviceRow('a-firm'), cell];
    const ok = records(
      'p.csv',
      csv(
        header,
        [...firmRow('a-firm'), ''],
        service('"1-10:15000-30000; 1000+:$90,000-$150,000"'),
      ),
    );
    expect(ok[0]?.services[0]?.priceRanges).toEqual([
      { sizeBand: '1-10', minUsd: 15000, maxUsd: 30000 },
      { sizeBand: '1000+', minUsd: 90000, maxUsd: 150000 },
    ]);
    expect(
      problems(
        'p.csv',
        csv(header, [...firmRow('a-firm'), ''], service('1-10:15000-30000;11-50:20000')),
      ),
    ).toEqual([
      {
        row: 3,
        field: 'priceRanges[1]',
        message:
          'Write each price range as size band:min-max in whole US dollars, e.g. 1-10:15000-30000 (found "11-50:20000").',
      },
    ]);
  });

  it('skips blank rows but keeps counting them', () => {
    const text = csv(
      FIRM_HEADER,
      firmRow('a-firm'),
      [],
      [',,,'],
      serviceRow('b-firm'),
      serviceRow('a-firm'),
    );
    expect(problems('b.csv', text)).toEqual([
      {
        row: 5,
        field: 'slug',
        message: 'No firm row has slug "b-firm"; add one or correct the slug.',
      },
    ]);
  });

  it('reads header names in any case and order, and refuses unknown or repeated columns', () => {
    const reordered = ['SLUG', 'Record', ...FIRM_HEADER.slice(2)];
    const row = firmRow('a-firm');
    const swapped = [row[1] ?? '', row[0] ?? '', ...row.slice(2)];
    const service = serviceRow('a-firm');
    expect(
      records(
        'h.csv',
        csv(reordered, swapped, [service[1] ?? '', service[0] ?? '', ...service.slice(2)]),
      ),
    ).toHaveLength(1);
    expect(
      problems(
        'h.csv',
        csv(
          [...FIRM_HEADER, 'notes', 'name'],
          [...firmRow('a-firm'), 'x', ''],
          [...serviceRow('a-firm'), '', ''],
        ),
      ),
    ).toEqual([
      {
        row: 1,
        field: 'notes',
        message: 'Unknown column; check its spelling against docs/import-format.md.',
      },
      { row: 1, field: 'name', message: 'This column appears twice.' },
    ]);
    expect(problems('h.csv', 'name,firmType\r\nx,cpa-firm\r\n')).toEqual([
      { row: 1, field: 'record', message: 'The header needs a "record" column.' },
      { row: 1, field: 'slug', message: 'The header needs a "slug" column.' },
    ]);
  });

  it('explains a sheet saved with semicolons between columns', () => {
    expect(problems('s.csv', 'record;slug;name\r\nfirm;a;b\r\n')[0]?.message).toMatch(/semicolons/);
  });

  it('reports broken quoting instead of guessing', () => {
    expect(problems('q.csv', 'record,slug\r\nfirm,"a-firm\r\n')).toEqual([
      {
        row: 2,
        field: '',
        message: 'A quoted cell is never closed; check for a missing closing quote (").',
      },
    ]);
  });

  it('reports cells beyond the header, unreadable booleans and a missing record type', () => {
    const header = [...FIRM_HEADER, 'aiSpecialism'];
    const text = csv(
      header,
      [...firmRow('a-firm'), 'maybe', 'extra'],
      [...serviceRow('a-firm'), ''],
      ['', 'a-firm', ...Array(11).fill('')],
    );
    expect(problems('x.csv', text)).toEqual([
      {
        row: 2,
        field: '',
        message: `This row has more cells than the header has columns (${header.length}).`,
      },
      { row: 2, field: 'aiSpecialism', message: 'Must be true or false.' },
      {
        row: 4,
        field: 'record',
        message: 'Required: one of firm, service, credential, consultancy-link.',
      },
    ]);
  });

  it('refuses a file without firm rows', () => {
    expect(problems('e.csv', '')).toEqual([
      { row: 1, field: '', message: 'The file is empty; the first row must name the columns.' },
    ]);
    expect(problems('e.csv', csv(FIRM_HEADER))).toEqual([
      { row: 0, field: '', message: 'The file has no firm rows.' },
    ]);
  });
});
