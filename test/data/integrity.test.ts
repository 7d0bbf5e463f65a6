import { describe, expect, it } from 'vitest';
import iso27001Crosswalk from '../../src/data/crosswalk-iso27001-iso42001.json' with {
  type: 'json',
};
import soc2Crosswalk from '../../src/data/crosswalk-soc2-iso42001.json' with { type: 'json' };
import frameworksData from '../../src/data/frameworks.json' with { type: 'json' };
import iso27001 from '../../src/data/iso27001.json' with { type: 'json' };
import iso42001 from '../../src/data/iso42001.json' with { type: 'json' };
import refIso27001Iso42001 from '../../src/data/reference/crosswalk-iso27001-iso42001.json' with {
  type: 'json',
};
import refSoc2Iso27001 from '../../src/data/reference/crosswalk-soc2-iso27001.json' with {
  type: 'json',
};
import refSoc2Iso42001 from '../../src/data/reference/crosswalk-soc2-iso42001.json' with {
  type: 'json',
};
import tsc from '../../src/data/soc2-tsc.json' with { type: 'json' };
import { FRAMEWORK_IDS, TSC_CATEGORIES } from '../../src/domain/vocabulary';

/**
 * The guides and the overlap map cite these files as facts, so a broken id, a lost source
 * or a drifted count must fail the build rather than reach a page.
 */

interface OverrideRow {
  category: string;
  level: string;
  soc2Criteria: string[];
  rationale: string;
}
interface Soc2Row {
  iso42001: string;
  soc2Criteria: string[];
  level: string;
  levelWithCategories?: OverrideRow[];
  rationale: string;
  crossCheck: {
    referenceLinks: string[];
    agreeingLinks: string[];
    listedIn: string | null;
    levelAgrees: boolean;
  };
}
interface Iso27001Row {
  iso42001: string;
  iso27001: string[];
  level: string;
  rationale: string;
  crossCheck: { referenceLinks: string[]; agreeingLinks: string[]; levelAgrees: boolean | null };
}

const soc2Rows = soc2Crosswalk.entries as Soc2Row[];
const isoRows = iso27001Crosswalk.entries as Iso27001Row[];

const LEVELS = ['covered', 'partly', 'new'];
const RANK: Record<string, number> = { new: 0, partly: 1, covered: 2 };

const tscCategoryOf = new Map(tsc.criteria.map((c) => [c.id, c.category]));
const iso42001RequirementIds = [
  ...iso42001.clauses.filter((c) => c.requirement).map((c) => c.id),
  ...iso42001.annexAControls.map((c) => c.id),
];
const iso42001Ids = new Set(iso42001RequirementIds);
const iso27001Ids = new Set([
  ...iso27001.clauses.filter((c) => c.requirement).map((c) => c.id),
  ...iso27001.annexAControls.map((c) => c.id),
]);

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

function duplicates(ids: string[]): string[] {
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}

describe('framework outlines match the reference counts', () => {
  it('SOC 2 has 61 criteria: 33 security, 3 availability, 2 confidentiality, 5 processing integrity, 18 privacy', () => {
    expect(tsc.criteria).toHaveLength(61);
    expect(countBy(tsc.criteria, (c) => c.category)).toEqual({
      security: 33,
      availability: 3,
      confidentiality: 2,
      'processing-integrity': 5,
      privacy: 18,
    });
    expect(tsc.meta.counts.criteria).toBe(61);
    expect(duplicates(tsc.criteria.map((c) => c.id))).toEqual([]);
    expect(tsc.categories.map((c) => c.id)).toEqual([...TSC_CATEGORIES]);
    for (const s of tsc.series) {
      expect(tsc.criteria.filter((c) => c.series === s.id)).toHaveLength(s.criteria);
    }
  });

  it('ISO 42001 has 43 clause entries (32 requirements), 9 Annex A groups, 38 controls, 30 AI-specific', () => {
    expect(iso42001.clauses).toHaveLength(43);
    expect(iso42001.clauses.filter((c) => c.requirement)).toHaveLength(32);
    expect(iso42001.annexAGroups).toHaveLength(9);
    expect(iso42001.annexAControls).toHaveLength(38);
    expect(iso42001.annexAControls.filter((c) => c.aiSpecific)).toHaveLength(30);
    expect(iso42001.meta.counts).toEqual({
      clauseEntries: 43,
      clauseRequirements: 32,
      annexAGroups: 9,
      annexAControls: 38,
      aiSpecificControls: 30,
    });
    expect(duplicates(iso42001RequirementIds)).toEqual([]);
    for (const g of iso42001.annexAGroups) {
      expect(iso42001.annexAControls.filter((c) => c.group === g.id)).toHaveLength(g.controls);
    }
  });

  it('ISO 27001 has 41 clause entries (30 requirements) and 93 controls: 37/8/14/34', () => {
    expect(iso27001.clauses).toHaveLength(41);
    expect(iso27001.clauses.filter((c) => c.requirement)).toHaveLength(30);
    expect(iso27001.annexAControls).toHaveLength(93);
    expect(countBy(iso27001.annexAControls, (c) => c.theme)).toEqual({
      organizational: 37,
      people: 8,
      physical: 14,
      technological: 34,
    });
    expect(duplicates([...iso27001Ids])).toEqual([]);
  });

  it('every outline entry has a title and every file names its sources', () => {
    const titles = [
      ...tsc.criteria,
      ...iso42001.clauses,
      ...iso42001.annexAControls,
      ...iso27001.clauses,
      ...iso27001.annexAControls,
    ].map((e) => e.title);
    expect(titles.every((t) => t.trim().length > 0)).toBe(true);
    for (const meta of [tsc.meta, iso42001.meta, iso27001.meta]) {
      expect(meta.sources.length).toBeGreaterThan(0);
    }
  });
});

describe('frameworks.json', () => {
  const REQUIRED_GROUPS = [
    'identity',
    'audience',
    'performedBy',
    'deliverable',
    'validity',
    'scopeOptions',
    'firstPublished',
    'currentVersion',
  ];

  it('holds the eight frameworks of the vocabulary', () => {
    expect(frameworksData.frameworks.map((f) => f.id).sort()).toEqual([...FRAMEWORK_IDS].sort());
    expect(frameworksData.meta.counts.frameworks).toBe(8);
  });

  it('gives every fact group of every framework at least one source', () => {
    for (const f of frameworksData.frameworks) {
      const sources = f.sources as Record<string, string[] | undefined>;
      const groups = [...REQUIRED_GROUPS];
      if (f.variants.length > 0) groups.push('variants');
      if (f.initialAudit.length > 0) groups.push('initialAudit');
      for (const group of groups) {
        const list = sources[group] ?? [];
        expect(list.length, `${f.id}.${group}`).toBeGreaterThan(0);
        expect(list.every((s) => s.trim().length > 0)).toBe(true);
      }
      for (const group of Object.keys(sources)) {
        expect(
          frameworksData.meta.factGroups,
          `${f.id} cites unknown group ${group}`,
        ).toHaveProperty(group);
      }
    }
    expect(frameworksData.meta.sourcesNote.length).toBeGreaterThan(0);
  });

  it('uses only the defined kinds and consistent observation windows', () => {
    for (const f of frameworksData.frameworks) {
      expect(Object.keys(frameworksData.meta.kindMeaning)).toContain(f.kind);
      expect(f.answers.trim().length, f.id).toBeGreaterThan(0);
      expect(f.typicallyNeededBy.length, f.id).toBeGreaterThan(0);
      for (const v of f.variants as {
        observationWindowMonths?: { typicalMin: number; typicalMax: number };
      }[]) {
        const w = v.observationWindowMonths;
        if (w) expect(w.typicalMin).toBeLessThanOrEqual(w.typicalMax);
      }
    }
  });
});

describe('product crosswalk SOC 2 → ISO 42001', () => {
  it('has exactly one entry for each of the 70 requirements', () => {
    expect(soc2Rows).toHaveLength(70);
    expect(soc2Rows.map((e) => e.iso42001)).toEqual(iso42001RequirementIds);
  });

  it('names only criteria that exist, and gives every entry a level and a rationale', () => {
    for (const e of soc2Rows) {
      expect(LEVELS).toContain(e.level);
      expect(e.rationale.trim().length, e.iso42001).toBeGreaterThan(0);
      for (const id of e.soc2Criteria)
        expect(tscCategoryOf.has(id), `${e.iso42001}: ${id}`).toBe(true);
    }
  });

  it('backs every level above new with a Security criterion, and new with none', () => {
    for (const e of soc2Rows) {
      const security = e.soc2Criteria.filter((id) => tscCategoryOf.get(id) === 'security');
      expect(security.length > 0, e.iso42001).toBe(e.level !== 'new');
    }
  });

  it('raises a level per category only with criteria from that category', () => {
    for (const e of soc2Rows) {
      for (const o of e.levelWithCategories ?? []) {
        expect(TSC_CATEGORIES).toContain(o.category);
        expect(o.category).not.toBe('security');
        expect(RANK[o.level]).toBeGreaterThan(RANK[e.level] ?? 0);
        expect(o.rationale.trim().length).toBeGreaterThan(0);
        expect(o.soc2Criteria.length).toBeGreaterThan(0);
        for (const id of o.soc2Criteria) {
          expect(tscCategoryOf.get(id), `${e.iso42001}: ${id}`).toBe(o.category);
          expect(e.soc2Criteria).toContain(id);
        }
      }
    }
  });

  it('ships no link derived from the Secure Controls Framework', () => {
    const text = JSON.stringify(soc2Crosswalk.entries) + JSON.stringify(iso27001Crosswalk.entries);
    expect(text).not.toMatch(/via-scf|pivots|scfControls/i);
  });

  it('reports its cross-check faithfully against the reference copy', () => {
    const refLinks = new Map<string, string[]>();
    for (const l of refSoc2Iso42001.links) {
      refLinks.set(l.iso42001, [...(refLinks.get(l.iso42001) ?? []), l.soc2]);
    }
    const listed = new Map<string, string>();
    for (const name of ['gaps', 'extensions', 'unclassified'] as const) {
      for (const g of refSoc2Iso42001[name]) listed.set(g.iso42001, name);
    }
    for (const e of soc2Rows) {
      const links = refLinks.get(e.iso42001) ?? [];
      expect([...e.crossCheck.referenceLinks].sort(), e.iso42001).toEqual([...links].sort());
      expect([...e.crossCheck.agreeingLinks].sort()).toEqual(
        e.soc2Criteria.filter((id) => links.includes(id)).sort(),
      );
      expect(e.crossCheck.listedIn).toBe(listed.get(e.iso42001) ?? null);
    }
  });

  it('checks agreement against every level the map gives, not the Security-only level alone', () => {
    // The reference's verdict, read straight from its copy rather than from our stored flag.
    const SUGGESTED: Record<string, string[]> = {
      gap: ['new'],
      partial: ['partly'],
      'gap-or-extend': ['new', 'partly'],
    };
    const verdict = new Map<string, string[]>();
    for (const l of refSoc2Iso42001.links) verdict.set(l.iso42001, ['partly', 'covered']);
    for (const g of refSoc2Iso42001.gaps) verdict.set(g.iso42001, ['new']);
    for (const x of refSoc2Iso42001.extensions) verdict.set(x.iso42001, ['new', 'partly']);
    for (const u of refSoc2Iso42001.unclassified) {
      const allowed = SUGGESTED[u.suggested];
      expect(allowed, `${u.iso42001}: ${u.suggested}`).toBeDefined();
      verdict.set(u.iso42001, allowed ?? []);
    }
    let raisedOnlyByCategories = 0;
    for (const e of soc2Rows) {
      const allowed = verdict.get(e.iso42001);
      expect(allowed, e.iso42001).toBeDefined();
      const levels = [e.level, ...(e.levelWithCategories ?? []).map((o) => o.level)];
      const full = levels.every((level) => allowed?.includes(level));
      expect(e.crossCheck.levelAgrees, e.iso42001).toBe(full);
      if (allowed?.includes(e.level) && !full) raisedOnlyByCategories++;
    }
    // A.4.3 and A.8.2: new for Security only, as the reference says, but partly once a buyer
    // holds Confidentiality, Processing Integrity or Privacy; the check counts them as disagreeing.
    expect(raisedOnlyByCategories).toBe(2);
  });

  it('keeps the meta counts in step with the entries', () => {
    expect(soc2Crosswalk.meta.counts.entries).toBe(70);
    expect(soc2Crosswalk.meta.counts.securityOnly).toEqual({
      covered: soc2Rows.filter((e) => e.level === 'covered').length,
      partly: soc2Rows.filter((e) => e.level === 'partly').length,
      new: soc2Rows.filter((e) => e.level === 'new').length,
    });
    expect(soc2Crosswalk.meta.counts.crossCheckDisagreements).toBe(
      soc2Rows.filter((e) => !e.crossCheck.levelAgrees).length,
    );
  });
});

describe('product crosswalk ISO 27001 → ISO 42001', () => {
  it('has exactly one entry for each of the 70 requirements', () => {
    expect(isoRows).toHaveLength(70);
    expect(isoRows.map((e) => e.iso42001)).toEqual(iso42001RequirementIds);
  });

  it('names only ISO 27001 clauses and controls that exist, with a level and a rationale', () => {
    for (const e of isoRows) {
      expect(LEVELS).toContain(e.level);
      expect(e.rationale.trim().length, e.iso42001).toBeGreaterThan(0);
      expect(e.iso27001.length > 0, e.iso42001).toBe(e.level !== 'new');
      for (const id of e.iso27001) expect(iso27001Ids.has(id), `${e.iso42001}: ${id}`).toBe(true);
    }
  });

  it('agrees with every harmonized-structure link of the reference', () => {
    for (const l of refIso27001Iso42001.links) {
      const row = isoRows.find((e) => e.iso42001 === l.iso42001);
      expect(row?.iso27001, l.iso42001).toContain(l.iso27001);
      expect(row?.crossCheck.referenceLinks).toContain(l.iso27001);
    }
    expect(iso27001Crosswalk.meta.counts.levels).toEqual({
      covered: isoRows.filter((e) => e.level === 'covered').length,
      partly: isoRows.filter((e) => e.level === 'partly').length,
      new: isoRows.filter((e) => e.level === 'new').length,
    });
  });
});

describe('reference crosswalk copies', () => {
  it('hold the counts the reference README states, and no SCF-derived link', () => {
    expect(refSoc2Iso42001.links).toHaveLength(87);
    expect(refSoc2Iso42001.gaps).toHaveLength(13);
    expect(refSoc2Iso42001.extensions).toHaveLength(16);
    expect(refSoc2Iso42001.unclassified).toHaveLength(17);
    expect(refSoc2Iso27001.links).toHaveLength(193);
    expect(refIso27001Iso42001.links).toHaveLength(30);
    const strengths = [
      ...refSoc2Iso42001.links,
      ...refSoc2Iso27001.links,
      ...refIso27001Iso42001.links,
    ].map((l) => l.strength);
    expect(strengths).not.toContain('via-scf');
  });

  it('use only ids that exist in our framework files', () => {
    for (const l of refSoc2Iso42001.links) {
      expect(tscCategoryOf.has(l.soc2), l.soc2).toBe(true);
      expect(iso42001Ids.has(l.iso42001), l.iso42001).toBe(true);
    }
    for (const name of ['gaps', 'extensions', 'unclassified'] as const) {
      for (const g of refSoc2Iso42001[name])
        expect(iso42001Ids.has(g.iso42001), g.iso42001).toBe(true);
    }
    for (const x of refSoc2Iso42001.extensions) {
      for (const id of x.soc2Foundation) expect(tscCategoryOf.has(id), id).toBe(true);
    }
    for (const l of refSoc2Iso27001.links) {
      expect(tscCategoryOf.has(l.soc2), l.soc2).toBe(true);
      expect(iso27001Ids.has(l.iso27001), l.iso27001).toBe(true);
    }
    for (const l of refIso27001Iso42001.links) {
      expect(iso27001Ids.has(l.iso27001), l.iso27001).toBe(true);
      expect(iso42001Ids.has(l.iso42001), l.iso42001).toBe(true);
    }
  });

  it('classify every requirement once, so our cross-check covers all 70', () => {
    const linked = new Set(refSoc2Iso42001.links.map((l) => l.iso42001));
    const listed = [
      ...refSoc2Iso42001.gaps,
      ...refSoc2Iso42001.extensions,
      ...refSoc2Iso42001.unclassified,
    ].map((g) => g.iso42001);
    expect(duplicates(listed)).toEqual([]);
    expect(listed.filter((id) => linked.has(id))).toEqual([]);
    expect(linked.size + listed.length).toBe(70);
  });

  it('are not where our titles come from: no title repeats a reference title', () => {
    const ours = new Map<string, string>(
      [...iso42001.clauses, ...iso42001.annexAControls].map((e) => [e.id, e.title.toLowerCase()]),
    );
    for (const g of [...refSoc2Iso42001.gaps, ...refSoc2Iso42001.extensions]) {
      expect(ours.get(g.iso42001), g.iso42001).not.toBe(g.title.toLowerCase());
    }
  });
});
