import { describe, expect, it } from 'vitest';
import iso27001Crosswalk from '../../src/data/crosswalk-iso27001-iso42001.json' with {
  type: 'json',
};
import soc2Crosswalk from '../../src/data/crosswalk-soc2-iso42001.json' with { type: 'json' };
import {
  type CoverageLevel,
  type OverlapResult,
  overlap,
  type RequirementOverlap,
  toCsv,
} from '../../src/domain/crosswalk';
import { TSC_CATEGORIES, type TscCategory } from '../../src/domain/vocabulary';
import { ISO42001_GROUP_IDS } from './iso-groups';

const RANK: Record<CoverageLevel, number> = { new: 0, partly: 1, covered: 2 };

function row(result: OverlapResult, id: string): RequirementOverlap {
  const found = result.requirements.find((r) => r.id === id);
  if (!found) throw new Error(`no row for ${id}`);
  return found;
}

const OPTIONAL_CATEGORIES = TSC_CATEGORIES.filter((c) => c !== 'security');

function allSubsets<T>(items: readonly T[]): T[][] {
  const subsets: T[][] = [[]];
  for (const item of items) {
    for (const s of subsets.slice()) subsets.push([...s, item]);
  }
  return subsets;
}

const securityOnly = overlap({ have: { soc2: [] } });
const iso27001Only = overlap({ have: { iso27001: true } });

describe('overlap for a SOC 2 holder with Security only', () => {
  it('credits the CC3 risk-assessment criteria with part of clause 6.1', () => {
    const assessment = row(securityOnly, '6.1.2');
    expect(assessment.status).toBe('partly');
    expect(assessment.soc2Criteria).toEqual(expect.arrayContaining(['CC3.1', 'CC3.2']));
    expect(row(securityOnly, '6.1.1').soc2Criteria.some((id) => id.startsWith('CC3.'))).toBe(true);
    expect(row(securityOnly, '6.1.1').status).toBe('partly');
  });

  it('leaves the AI system impact assessment as new work, whatever the categories', () => {
    const everything = overlap({ have: { soc2: [...TSC_CATEGORIES] } });
    for (const result of [securityOnly, everything]) {
      for (const id of ['6.1.4', '8.4', 'A.5.2']) {
        expect(row(result, id).status, id).toBe('new');
        expect(row(result, id).soc2Criteria, id).toEqual([]);
      }
    }
  });

  it('treats the AIMS scope, the AIMS itself and its internal audit as new work', () => {
    for (const id of ['4.3', '4.4', '9.2.1', '9.2.2']) {
      expect(row(securityOnly, id).status, id).toBe('new');
    }
  });

  it('finds a foundation in vendor management, logging and change management', () => {
    expect(row(securityOnly, 'A.10.3')).toMatchObject({ status: 'partly' });
    expect(row(securityOnly, 'A.10.3').soc2Criteria).toContain('CC9.2');
    expect(row(securityOnly, 'A.6.2.8').soc2Criteria).toContain('CC7.2');
    expect(row(securityOnly, 'A.6.2.5').soc2Criteria).toContain('CC8.1');
  });

  it('shows only carriers from categories the buyer holds', () => {
    const carriers = securityOnly.requirements.flatMap((r) => r.soc2Criteria);
    expect(carriers.length).toBeGreaterThan(0);
    expect(carriers.every((id) => id.startsWith('CC'))).toBe(true);
    expect(securityOnly.requirements.every((r) => r.iso27001.length === 0)).toBe(true);
  });

  it('matches the counts the crosswalk file declares', () => {
    const { covered, partly } = securityOnly.totals.overall;
    expect({ covered, partly, new: securityOnly.totals.overall.new }).toEqual(
      soc2Crosswalk.meta.counts.securityOnly,
    );
    expect(securityOnly.totals.overall.total).toBe(70);
  });

  it('treats an explicit security category the same as the implied one', () => {
    expect(overlap({ have: { soc2: ['security'] } })).toEqual(securityOnly);
    expect(securityOnly.holdings.soc2).toEqual(['security']);
  });
});

describe('optional trust services categories', () => {
  it('let privacy raise data acquisition to partly, carried by privacy criteria', () => {
    expect(row(securityOnly, 'A.7.3').status).toBe('new');
    const withPrivacy = row(overlap({ have: { soc2: ['privacy'] } }), 'A.7.3');
    expect(withPrivacy.status).toBe('partly');
    expect(withPrivacy.soc2Criteria.length).toBeGreaterThan(0);
    expect(withPrivacy.soc2Criteria.every((id) => id.startsWith('P'))).toBe(true);
    expect(withPrivacy.rationale).not.toBe(row(securityOnly, 'A.7.3').rationale);
  });

  it('never lower coverage or drop a carrier when more categories are added', () => {
    const results = new Map(
      allSubsets(OPTIONAL_CATEGORIES).map((subset) => [
        subset,
        overlap({ have: { soc2: subset } }),
      ]),
    );
    let pairs = 0;
    for (const [smaller, smallResult] of results) {
      for (const [larger, largeResult] of results) {
        if (!smaller.every((c) => larger.includes(c))) continue;
        pairs += 1;
        smallResult.requirements.forEach((small, i) => {
          const large = largeResult.requirements[i] as RequirementOverlap;
          expect(large.id).toBe(small.id);
          expect(RANK[large.status], `${small.id} ${smaller} → ${larger}`).toBeGreaterThanOrEqual(
            RANK[small.status],
          );
          expect(large.soc2Criteria).toEqual(expect.arrayContaining(small.soc2Criteria));
        });
      }
    }
    // 3^4 ordered subset pairs over the four optional categories.
    expect(pairs).toBe(81);
  });
});

describe('overlap for other holdings', () => {
  it('marks everything new when the buyer holds nothing', () => {
    for (const have of [{}, { iso27001: false }]) {
      const result = overlap({ have });
      expect(result.requirements).toHaveLength(70);
      expect(result.requirements.every((r) => r.status === 'new')).toBe(true);
      expect(
        result.requirements.every((r) => r.soc2Criteria.length + r.iso27001.length === 0),
      ).toBe(true);
      expect(result.requirements.every((r) => r.rationale.length > 0)).toBe(true);
      expect(result.totals.overall).toEqual({ covered: 0, partly: 0, new: 70, total: 70 });
      expect(result.holdings).toEqual({ soc2: null, iso27001: false });
    }
  });

  it('gives an ISO 27001 holder clause 4.1 through its own clause 4.1', () => {
    const context = row(iso27001Only, '4.1');
    expect(['covered', 'partly']).toContain(context.status);
    expect(context.iso27001).toContain('4.1');
    expect(context.soc2Criteria).toEqual([]);
    expect(row(iso27001Only, '6.1.4').status).toBe('new');
    expect(row(iso27001Only, '9.2.1').status).toBe('covered');
    const { covered, partly } = iso27001Only.totals.overall;
    expect({ covered, partly, new: iso27001Only.totals.overall.new }).toEqual(
      iso27001Crosswalk.meta.counts.levels,
    );
  });

  it('takes the better level per requirement and unions the carriers when both are held', () => {
    const categories: TscCategory[] = ['confidentiality', 'privacy'];
    const soc2Alone = overlap({ have: { soc2: categories } });
    const both = overlap({ have: { soc2: categories, iso27001: true } });
    both.requirements.forEach((r, i) => {
      const s = soc2Alone.requirements[i] as RequirementOverlap;
      const iso = iso27001Only.requirements[i] as RequirementOverlap;
      expect(RANK[r.status], r.id).toBe(Math.max(RANK[s.status], RANK[iso.status]));
      expect(r.soc2Criteria).toEqual(s.soc2Criteria);
      expect(r.iso27001).toEqual(iso.iso27001);
    });
    // 9.2.1: new for SOC 2, covered for ISO 27001; the winner's reason is the one shown.
    expect(row(both, '9.2.1').rationale).toBe(row(iso27001Only, '9.2.1').rationale);
  });

  it('adds up per group to the overall totals, in chart order', () => {
    for (const result of [securityOnly, iso27001Only]) {
      const { byGroup, overall } = result.totals;
      expect(byGroup.map((g) => g.group)).toEqual(ISO42001_GROUP_IDS);
      for (const level of ['covered', 'partly', 'new', 'total'] as const) {
        expect(byGroup.reduce((n, g) => n + g[level], 0)).toBe(overall[level]);
      }
      for (const g of byGroup) expect(g.covered + g.partly + g.new).toBe(g.total);
    }
    expect(securityOnly.totals.byGroup.find((g) => g.group === 'A.5')).toMatchObject({
      new: 4,
      total: 4,
    });
  });
});

/** Just enough of RFC 4180 to read back what toCsv writes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else {
      field += ch;
    }
  }
  return rows;
}

describe('toCsv', () => {
  it('writes a header and one quoted row per requirement with CRLF line ends', () => {
    const csv = toCsv(securityOnly);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(71);
    expect(rows.every((r) => r.length === 9)).toBe(true);
    expect(rows[1]?.[0]).toBe('4.1');
    const impact = rows.find((r) => r[0] === '6.1.4');
    expect(impact?.[5]).toBe('new');
    expect(
      csv
        .split('\r\n')
        .slice(0, -1)
        .every((line) => line.startsWith('"')),
    ).toBe(true);
  });

  it('doubles quotes and neutralises cells a spreadsheet would run as formulas', () => {
    const first = securityOnly.requirements[0] as RequirementOverlap;
    const hostile: OverlapResult = {
      ...securityOnly,
      requirements: [
        {
          ...first,
          title: 'Say "hi", then\r\nleave',
          rationale: '=HYPERLINK("http://evil.example","x")',
          soc2Criteria: ['+1', '-1'],
          iso27001: ['@SUM(A1)'],
        },
      ],
    };
    const csv = toCsv(hostile);
    expect(csv).toContain('"Say ""hi"", then\r\nleave"');
    expect(csv).toContain('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(csv).toContain('"\'+1 -1"');
    expect(csv).toContain('"\'@SUM(A1)"');
    const [, data] = parseCsv(csv);
    expect(data?.[1]).toBe('Say "hi", then\r\nleave');
    expect(data?.[8]?.startsWith("'=")).toBe(true);
  });
});

describe('the SOC 2 and ISO 27001 views agree, or say why not', () => {
  it('gives the same verdict, or explains the difference, for every requirement', () => {
    const fromSoc2 = overlap({ have: { soc2: [] } });
    const fromIso = overlap({ have: { iso27001: true } });
    let explained = 0;
    for (const [i, a] of fromSoc2.requirements.entries()) {
      const b = fromIso.requirements[i]!;
      expect(b.id).toBe(a.id);
      if (a.status === b.status) {
        expect(a.otherView, a.id).toBeUndefined();
        continue;
      }
      // Each view names the other's verdict and the reason.
      expect(a.otherView, a.id).toMatchObject({ holder: 'ISO/IEC 27001', level: b.status });
      expect(b.otherView, b.id).toMatchObject({ holder: 'SOC 2', level: a.status });
      expect(a.otherView!.why.length, a.id).toBeGreaterThan(20);
      if (a.kind === 'clause') expect(a.otherView!.why).toMatch(/harmonized structure/);
      explained++;
    }
    expect(explained).toBeGreaterThan(0);
  });

  it('judges responsible AI use (A.9.2) alike: acceptable-use rules are a base in both', () => {
    const soc2 = overlap({ have: { soc2: [] } }).requirements.find((r) => r.id === 'A.9.2')!;
    const iso = overlap({ have: { iso27001: true } }).requirements.find((r) => r.id === 'A.9.2')!;
    expect(soc2.status).toBe('partly');
    expect(iso.status).toBe('partly');
  });
});
