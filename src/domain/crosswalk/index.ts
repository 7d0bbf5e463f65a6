import iso27001Json from '../../data/crosswalk-iso27001-iso42001.json' with { type: 'json' };
import soc2Json from '../../data/crosswalk-soc2-iso42001.json' with { type: 'json' };
import { iso42001Outline, type RequirementKind, tscCriterion } from '../frameworks';
import { type TscCategory, valuesOf } from '../vocabulary';
import { formatCsv } from '../csv';

/**
 * The overlap map: for each ISO/IEC 42001 requirement, how much of it a buyer's existing
 * SOC 2 and/or ISO/IEC 27001 programme already carries. The judgement lives in the two
 * crosswalk files; this module only reads them for what the buyer actually holds.
 */

export const COVERAGE_LABELS = {
  covered: 'Covered',
  partly: 'Partly covered',
  new: 'New work',
};
export type CoverageLevel = keyof typeof COVERAGE_LABELS;
export const COVERAGE_LEVELS = valuesOf(COVERAGE_LABELS);

export interface CategoryOverride {
  category: TscCategory;
  level: CoverageLevel;
  soc2Criteria: string[];
  rationale: string;
}

export interface Soc2CrosswalkEntry {
  iso42001: string;
  soc2Criteria: string[];
  /** For a SOC 2 with Security only. */
  level: CoverageLevel;
  levelWithCategories?: CategoryOverride[];
  rationale: string;
}

export interface Iso27001CrosswalkEntry {
  iso42001: string;
  iso27001: string[];
  level: CoverageLevel;
  rationale: string;
}

export interface Holdings {
  /** Trust Services Categories in the SOC 2 report; Security is implied, so [] means Security only. */
  soc2?: readonly TscCategory[];
  iso27001?: boolean;
}

export interface RequirementOverlap {
  id: string;
  title: string;
  group: string;
  kind: RequirementKind;
  aiSpecific: boolean;
  status: CoverageLevel;
  /** SOC 2 criteria in the buyer's report that carry part of the requirement. */
  soc2Criteria: string[];
  /** ISO 27001 clauses and Annex A controls that carry part of it. */
  iso27001: string[];
  rationale: string;
  /**
   * With one programme held: what the other programme would give, when it differs, and why.
   * The two views judge the same requirement, so a difference is always explained.
   */
  otherView?: { holder: 'SOC 2' | 'ISO/IEC 27001'; level: CoverageLevel; why: string };
}

export interface Tally {
  covered: number;
  partly: number;
  new: number;
  total: number;
}

export interface GroupTally extends Tally {
  group: string;
  title: string;
  kind: RequirementKind;
}

export interface OverlapResult {
  holdings: { soc2: TscCategory[] | null; iso27001: boolean };
  requirements: RequirementOverlap[];
  totals: { overall: Tally; byGroup: GroupTally[] };
}

const soc2Crosswalk = soc2Json as unknown as {
  meta: { levelMeaning: Record<CoverageLevel, string>; caveat: string };
  entries: Soc2CrosswalkEntry[];
};
const iso27001Crosswalk = iso27001Json as unknown as { entries: Iso27001CrosswalkEntry[] };

const soc2ByRequirement = new Map(soc2Crosswalk.entries.map((e) => [e.iso42001, e]));
const iso27001ByRequirement = new Map(iso27001Crosswalk.entries.map((e) => [e.iso42001, e]));

const RANK: Record<CoverageLevel, number> = { new: 0, partly: 1, covered: 2 };

const NOTHING_HELD = 'Nothing the buyer holds carries this requirement yet: it is new work.';

/**
 * Clauses 4–10 differ for a structural reason: ISO 27001 and ISO 42001 share the harmonized
 * management-system structure, SOC 2 has none. Annex A differences rest on the other view's
 * own rationale.
 */
const HARMONIZED =
  'ISO/IEC 27001 shares the management-system clauses 4–10 with ISO/IEC 42001 (the harmonized structure), so an ISO 27001 holder already runs this process for its ISMS; a SOC 2 examination has no management-system clauses.';

function whyViewsDiffer(kind: RequirementKind, fromSoc2: boolean, otherRationale: string): string {
  if (kind === 'clause') return HARMONIZED;
  return fromSoc2 ? `With ISO/IEC 27001: ${otherRationale}` : `With SOC 2: ${otherRationale}`;
}

export function levelMeaning(): Readonly<Record<CoverageLevel, string>> {
  return soc2Crosswalk.meta.levelMeaning;
}

/** Shown beside every overlap map: the levels are for planning, not an audit opinion. */
export function overlapCaveat(): string {
  return soc2Crosswalk.meta.caveat;
}

export function soc2CrosswalkEntry(iso42001Id: string): Soc2CrosswalkEntry | undefined {
  return soc2ByRequirement.get(iso42001Id);
}

export function iso27001CrosswalkEntry(iso42001Id: string): Iso27001CrosswalkEntry | undefined {
  return iso27001ByRequirement.get(iso42001Id);
}

interface Reading {
  level: CoverageLevel;
  carriers: string[];
  rationale: string;
}

function readSoc2(entry: Soc2CrosswalkEntry, held: ReadonlySet<TscCategory>): Reading {
  const carriers = entry.soc2Criteria.filter((id) => {
    const category = tscCriterion(id)?.category;
    return category !== undefined && held.has(category);
  });
  const applicable = (entry.levelWithCategories ?? []).filter((o) => held.has(o.category));
  const best = applicable.reduce<CoverageLevel>(
    (level, o) => (RANK[o.level] > RANK[level] ? o.level : level),
    entry.level,
  );
  if (best === entry.level) return { level: best, carriers, rationale: entry.rationale };
  // The base rationale explains the Security-only level, so it would contradict the raised one.
  const rationale = applicable
    .filter((o) => o.level === best)
    .map((o) => o.rationale)
    .join(' ');
  return { level: best, carriers, rationale };
}

function readIso27001(entry: Iso27001CrosswalkEntry): Reading {
  return { level: entry.level, carriers: [...entry.iso27001], rationale: entry.rationale };
}

function emptyTally(): Tally {
  return { covered: 0, partly: 0, new: 0, total: 0 };
}

export function overlap(input: { have: Holdings }): OverlapResult {
  const { have } = input;
  const soc2Held: TscCategory[] | null = have.soc2
    ? ['security', ...have.soc2.filter((c) => c !== 'security')]
    : null;
  const held = new Set<TscCategory>(soc2Held ?? []);
  const iso27001Held = have.iso27001 === true;

  const requirements = iso42001Outline.requirements.map((req): RequirementOverlap => {
    const soc2Entry = soc2ByRequirement.get(req.id);
    const isoEntry = iso27001ByRequirement.get(req.id);
    if (!soc2Entry || !isoEntry) throw new Error(`Crosswalk has no entry for ${req.id}`);

    const soc2 = soc2Held ? readSoc2(soc2Entry, held) : null;
    const iso = iso27001Held ? readIso27001(isoEntry) : null;

    let status: CoverageLevel = 'new';
    let rationale = NOTHING_HELD;
    if (soc2 && iso) {
      status = RANK[iso.level] >= RANK[soc2.level] ? iso.level : soc2.level;
      if (soc2.level === iso.level) {
        rationale = `SOC 2: ${soc2.rationale} ISO 27001: ${iso.rationale}`;
      } else {
        rationale = status === iso.level ? iso.rationale : soc2.rationale;
      }
    } else if (soc2 || iso) {
      const only = (soc2 ?? iso) as Reading;
      status = only.level;
      rationale = only.rationale;
    }

    const other =
      soc2 && !iso
        ? readIso27001(isoEntry)
        : iso && !soc2
          ? readSoc2(soc2Entry, new Set(['security']))
          : null;
    const otherView =
      other && other.level !== status
        ? {
            holder: soc2 ? ('ISO/IEC 27001' as const) : ('SOC 2' as const),
            level: other.level,
            why: whyViewsDiffer(req.kind, soc2 !== null, other.rationale),
          }
        : undefined;

    return {
      id: req.id,
      title: req.title,
      group: req.group,
      kind: req.kind,
      aiSpecific: req.aiSpecific,
      status,
      soc2Criteria: soc2?.carriers ?? [],
      iso27001: iso?.carriers ?? [],
      rationale,
      ...(otherView ? { otherView } : {}),
    };
  });

  const overall = emptyTally();
  const byGroup: GroupTally[] = iso42001Outline.groups.map((g) => ({
    group: g.id,
    title: g.title,
    kind: g.kind,
    ...emptyTally(),
  }));
  const groupIndex = new Map(byGroup.map((g) => [g.group, g]));
  for (const r of requirements) {
    overall[r.status] += 1;
    overall.total += 1;
    const tally = groupIndex.get(r.group);
    if (tally) {
      tally[r.status] += 1;
      tally.total += 1;
    }
  }

  return {
    holdings: { soc2: soc2Held, iso27001: iso27001Held },
    requirements,
    totals: { overall, byGroup },
  };
}

const CSV_HEADER = [
  'Requirement',
  'Title',
  'Group',
  'Kind',
  'AI-specific',
  'Status',
  'SOC 2 criteria',
  'ISO 27001 clauses and controls',
  'Rationale',
];

/** RFC 4180: every field quoted, quotes doubled, CRLF line breaks. */
export function toCsv(result: OverlapResult): string {
  const rows = result.requirements.map((r) => [
    r.id,
    r.title,
    r.group,
    r.kind,
    r.aiSpecific ? 'yes' : 'no',
    r.status,
    r.soc2Criteria.join(' '),
    r.iso27001.join(' '),
    r.rationale,
  ]);
  return formatCsv([CSV_HEADER, ...rows], { quoteAll: true });
}
