import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsv } from '../../../src/domain/csv';
import { parseCsv } from '../../../src/services/firm-import/csv';

describe('parseCsv', () => {
  it('reads plain cells and empty cells', () => {
    expect(parseCsv('a,b,c\n1,,3\n')).toEqual({
      rows: [
        ['a', 'b', 'c'],
        ['1', '', '3'],
      ],
      problems: [],
    });
  });

  it('reads quoted cells with commas, doubled quotes and line breaks', () => {
    const { rows, problems } = parseCsv('"a, b","say ""hi""","two\r\nlines",""\r\nnext\r\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([['a, b', 'say "hi"', 'two\r\nlines', ''], ['next']]);
  });

  it('accepts CRLF, LF and lone CR between records', () => {
    expect(parseCsv('a\r\nb\nc\rd').rows).toEqual([['a'], ['b'], ['c'], ['d']]);
  });

  it('drops a leading byte-order mark', () => {
    expect(parseCsv('\uFEFFrecord,slug\r\n').rows).toEqual([['record', 'slug']]);
  });

  it('does not invent a record after the final line break, but keeps blank lines', () => {
    expect(parseCsv('a\n\nb\n').rows).toEqual([['a'], [''], ['b']]);
    expect(parseCsv('').rows).toEqual([]);
  });

  it('keeps a quote inside an unquoted cell as text, as spreadsheets do', () => {
    expect(parseCsv('5" screen,x').rows).toEqual([['5" screen', 'x']]);
  });

  it('never evaluates or alters formula-looking cells', () => {
    expect(parseCsv('=SUM(A1:A9),+1,-2,@cmd').rows).toEqual([['=SUM(A1:A9)', '+1', '-2', '@cmd']]);
  });

  it('reports a quote that is never closed, at the row where it opened', () => {
    const { problems } = parseCsv('a,b\n"open,\nstill open\n');
    expect(problems).toEqual([{ row: 2, message: expect.stringMatching(/never closed/) }]);
  });

  it('reports text after a closing quote', () => {
    const { problems } = parseCsv('a\n"x"y,z\n');
    expect(problems).toEqual([{ row: 2, message: expect.stringMatching(/closing quote/) }]);
  });

  it('numbers rows as a spreadsheet does when a cell spans lines', () => {
    const { problems } = parseCsv('h\n"multi\nline"\n"bad"x\n');
    expect(problems[0]?.row).toBe(3);
  });
});

describe('formatCsv', () => {
  it('quotes only the cells that need it and ends lines with CRLF', () => {
    expect(formatCsv([['a', 'b,c', 'd"e', 'f\ng']])).toBe('a,"b,c","d""e","f\ng"\r\n');
  });

  it('keeps formulas as text without touching numbers and phone numbers, and reads them back as typed', () => {
    const cells = [
      '=HYPERLINK("https://evil.example")',
      '@SUM(A1)',
      '-2+3*cmd|calc',
      '+1 415 555 0100',
      '-250',
      "'quoted",
      'plain',
    ];
    const written = formatCsv([cells]);
    expect(written).toBe(
      '"\'=HYPERLINK(""https://evil.example"")",\'@SUM(A1),\'-2+3*cmd|calc,+1 415 555 0100,-250,\'\'quoted,plain\r\n',
    );
    expect(parseCsv(written).rows).toEqual([cells]);
  });

  it('round-trips any rows through parseCsv', () => {
    // A BOM at the very start would be read as a byte-order mark, so keep it out of cells.
    const cell = fc.string({ unit: 'grapheme' }).map((s) => s.replaceAll('\uFEFF', ''));
    const rows = fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 8 });
    fc.assert(
      fc.property(rows, (input) => {
        const { rows: output, problems } = parseCsv(formatCsv(input));
        expect(problems).toEqual([]);
        expect(output).toEqual(input);
      }),
    );
  });
});
