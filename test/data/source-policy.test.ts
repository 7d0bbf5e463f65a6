import { describe, expect, it } from 'vitest';
import demo from '../../src/data/demo-firms.json' with { type: 'json' };
import frameworksData from '../../src/data/frameworks.json' with { type: 'json' };
import marketFacts from '../../src/data/market-facts.json' with { type: 'json' };
import { ADVISOR_RULES } from '../../src/domain/advisor';
import {
  ESTIMATE_BOUND_FACTOR,
  type EstimateFramework,
  EXISTING_PROGRAMS,
  estimate,
  ONE_PUBLISHER,
} from '../../src/domain/estimate';
import {
  deniedDomain,
  type Figure,
  figures,
  marketSources,
  PRIMARY_SOURCE_KINDS,
  publishedRows,
  publisherCount,
  SOURCE_KINDS,
  sourceDate,
  type SourceKind,
} from '../../src/domain/market';
import type { SizeBand } from '../../src/domain/vocabulary';

/** The source policy (docs/source-policy.md), checked over the data files themselves. */

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** A month; a publication may give its year alone where our sources name no month. */
const dated = (s: { date?: string; dateKind?: string }) =>
  (s.dateKind === 'published' && /^\d{4}$/.test(s.date ?? '')) || MONTH.test(s.date ?? '');
/** The one form a page shows: 'read November 2026', 'published July 2025' or 'published 2022'. */
const SHOWN_DATE = /^(read [A-Z][a-z]+ \d{4}|published ([A-Z][a-z]+ )?\d{4})$/;

describe('source policy: every source has a kind and a date, and none is denied', () => {
  it('market figures', () => {
    const sources = marketSources();
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) {
      expect(SOURCE_KINDS, s.id).toContain(s.kind);
      expect(dated(s), `${s.id}: ${s.date}`).toBe(true);
      expect(['published', 'retrieved'], s.id).toContain(s.dateKind);
      expect(s.publisher.length, s.id).toBeGreaterThan(0);
      if (s.url) expect(deniedDomain(s.url), s.url).toBeUndefined();
    }
  });

  it('framework facts: every cited page is in the registry, with a kind and a date', () => {
    const registry = frameworksData.sources as Record<
      string,
      { kind: string; date: string; dateKind: string }
    >;
    const cited = new Set(
      frameworksData.frameworks.flatMap((f) =>
        Object.values(f.sources as Record<string, string[]>).flat(),
      ),
    );
    expect(cited.size).toBeGreaterThan(0);
    for (const url of cited) {
      const info = registry[url];
      expect(info, url).toBeDefined();
      expect([...SOURCE_KINDS, 'repository'], url).toContain(info?.kind);
      expect(info && dated(info), `${url}: ${info?.date}`).toBe(true);
      expect(deniedDomain(url), url).toBeUndefined();
    }
    // Nothing stale in the registry either.
    for (const url of Object.keys(registry)) expect(cited.has(url), url).toBe(true);
  });

  it('advisor rules: every source has a kind and a date, and none is denied', () => {
    const cited = ADVISOR_RULES.flatMap((r) => r.sources);
    expect(cited.length).toBeGreaterThan(0);
    for (const s of cited) {
      expect([...SOURCE_KINDS], s.url).toContain(s.kind);
      expect(dated(s), `${s.url}: ${s.date}`).toBe(true);
      expect(sourceDate(s), s.url).toMatch(SHOWN_DATE);
      expect(deniedDomain(s.url), s.url).toBeUndefined();
      // One registry per page: a source the framework pages cite carries the same kind and date.
      const info = (frameworksData.sources as Record<string, { kind: string; date: string }>)[
        s.url
      ];
      if (info)
        expect({ kind: s.kind, date: s.date }, s.url).toEqual({ kind: info.kind, date: info.date });
    }
  });

  it('the deny list catches what it names, subdomains included', () => {
    expect(deniedDomain('https://en.wikipedia.org/wiki/ISO/IEC_27701')).toBe('wikipedia.org');
    expect(deniedDomain('https://github.com/enchanter-ai/vis')).toBe('github.com');
    expect(deniedDomain('https://www.iso.org/standard/81230.html')).toBeUndefined();
  });

  it('core facts rest on at least one primary source', () => {
    const registry = frameworksData.sources as Record<string, { kind: string }>;
    for (const id of ['soc2', 'iso27001', 'iso42001']) {
      const f = frameworksData.frameworks.find((x) => x.id === id)!;
      for (const group of ['identity', 'performedBy', 'validity', 'currentVersion']) {
        const urls = (f.sources as Record<string, string[]>)[group] ?? [];
        const primary = urls.filter((u) =>
          PRIMARY_SOURCE_KINDS.includes(registry[u]?.kind as SourceKind),
        );
        expect(primary.length, `${id}.${group}`).toBeGreaterThan(0);
      }
    }
  });

  it('shows no internal research notes to buyers', () => {
    const text = JSON.stringify(frameworksData.frameworks) + JSON.stringify(marketFacts);
    for (const phrase of [
      /not confirmed/i,
      /could not be confirmed/i,
      /single secondary/i,
      /general knowledge/i,
      /shared\//,
    ]) {
      expect(text).not.toMatch(phrase);
    }
  });
});

/** Every list of figures in the market data, found by walking the file, so a new one cannot slip past. */
function figureGroups(node: unknown, path: string): [string, Figure[]][] {
  if (Array.isArray(node)) {
    const rows = node.filter(
      (r): r is { source: string; low: number; high: number } =>
        typeof r === 'object' && r !== null && 'source' in r && 'low' in r && 'high' in r,
    );
    return rows.length > 0 ? [[path, figures(rows)]] : [];
  }
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) =>
    k === 'sources' ? [] : figureGroups(v, path ? `${path}.${k}` : k),
  );
}

describe('source policy: figures from two publishers, or labelled as one publisher’s', () => {
  it.each(figureGroups(marketFacts, ''))(
    '%s: labelled unless two publishers give it',
    (_path, rows) => {
      const shown = publishedRows(rows, 'figure', 'usd', true);
      const single = publisherCount(rows) < 2;
      for (const r of shown) {
        expect(r.kind).toBe(single ? 'single-publisher' : 'published');
        expect(r.figure.includes("one publisher's estimate")).toBe(single);
        expect(r.date).toMatch(SHOWN_DATE);
      }
    },
  );

  it('finds the ISO/IEC 42001 figures, which one publisher alone gives', () => {
    const iso = figureGroups(marketFacts, '').filter(([path]) => path.startsWith('iso42001.'));
    expect(iso.map(([path]) => path).sort()).toEqual([
      'iso42001.allIn.firstYear',
      'iso42001.allIn.yearlyAfter',
      'iso42001.timeline.monthsFromScratch',
      'iso42001.timeline.monthsSavedWithIso27001',
    ]);
    for (const [, rows] of iso) expect(publisherCount(rows)).toBe(1);
  });

  it("the estimator says one publisher's estimate beside any range that rests on one publisher", () => {
    let labelled = 0;
    for (const framework of ['soc2', 'iso42001', 'iso27001'] as const) {
      for (const existingProgram of EXISTING_PROGRAMS) {
        for (const variant of ['type1', 'type2'] as const) {
          const e = estimate({
            framework,
            variant,
            headcount: 30,
            systems: 5,
            locations: 1,
            existingProgram,
          });
          const used = (unit: 'usd' | 'weeks') =>
            e.sources.filter(
              (s) => s.unit === unit && s.usedInEstimate && s.kind === 'single-publisher',
            );
          const cost = e.cost ? used('usd') : [];
          const weeks = used('weeks');
          const where = `${framework} ${variant} ${existingProgram}`;
          expect(e.singlePublisher.cost !== null, where).toBe(cost.length > 0);
          expect(e.singlePublisher.timeline !== null, where).toBe(weeks.length > 0);
          for (const [label, rows] of [
            [e.singlePublisher.cost, cost],
            [e.singlePublisher.timeline, weeks],
          ] as const) {
            if (label === null) continue;
            labelled++;
            expect(label.startsWith(`${ONE_PUBLISHER}: `), where).toBe(true);
            for (const r of rows) expect(label, where).toContain(`${r.name} (${r.date})`);
          }
        }
      }
    }
    expect(labelled).toBeGreaterThan(0);
  });

  it('the ceiling of any fee shown rests on at least two publishers', () => {
    const all = figures([
      ...marketFacts.soc2.auditFee.overall,
      ...marketFacts.soc2.auditFee.byFirmType,
      ...marketFacts.soc2.auditFee.typeI,
      ...marketFacts.soc2.auditFee.typeII,
    ]);
    const top = Math.max(...all.map((f) => f.high));
    expect(publisherCount(all.filter((f) => f.high === top))).toBeGreaterThanOrEqual(2);
  });
});

describe('demo firms’ price bands come from the estimator’s ranges', () => {
  const REPRESENTATIVE: Record<SizeBand, number> = {
    '1-10': 8,
    '11-50': 30,
    '51-200': 120,
    '201-1000': 500,
    '1000+': 2000,
  };
  const COVERED = new Set<string>(['soc2', 'iso27001', 'iso42001']);

  /** The estimator's widest fee range for a framework and size: every variant, the longest window. */
  function estimatorRange(framework: EstimateFramework, sizeBand: SizeBand) {
    const base = {
      framework,
      headcount: REPRESENTATIVE[sizeBand],
      systems: 5,
      locations: 1,
      existingProgram: 'none' as const,
    };
    const all = [
      estimate({ ...base, variant: 'type1' }),
      estimate({ ...base, variant: 'type2', windowMonths: 12 }),
    ];
    const costs = all.map((e) => e.cost);
    if (costs.some((c) => c === null)) return null;
    return {
      lowUsd: Math.min(...costs.map((c) => c!.lowUsd)),
      highUsd: Math.max(...costs.map((c) => c!.highUsd)) * ESTIMATE_BOUND_FACTOR,
    };
  }

  it('every band of a framework the estimator covers lies inside its range for that size, and none where it shows no fee', () => {
    let checked = 0;
    let withoutFigure = 0;
    for (const firm of demo.firms) {
      for (const service of firm.services.filter((s) => COVERED.has(s.framework))) {
        const framework = service.framework as EstimateFramework;
        for (const sizeBand of Object.keys(REPRESENTATIVE) as SizeBand[]) {
          const range = estimatorRange(framework, sizeBand);
          const band = service.priceRanges.find((b) => b.sizeBand === sizeBand);
          const where = `${firm.slug} ${framework} ${sizeBand}`;
          if (range === null) {
            // ISO 27001 and ISO 42001: no fee figure meets the policy, so no demo firm shows one.
            expect(band, where).toBeUndefined();
            withoutFigure++;
            continue;
          }
          if (!band) continue;
          expect(band.minUsd, where).toBeGreaterThanOrEqual(range.lowUsd);
          expect(band.maxUsd, where).toBeLessThanOrEqual(range.highUsd);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(withoutFigure).toBeGreaterThan(100);
  });
});
