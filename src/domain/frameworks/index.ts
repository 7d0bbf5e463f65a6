import crosswalkIso27001Json from '../../data/crosswalk-iso27001-iso42001.json' with {
  type: 'json',
};
import crosswalkSoc2Json from '../../data/crosswalk-soc2-iso42001.json' with { type: 'json' };
import frameworksJson from '../../data/frameworks.json' with { type: 'json' };
import iso27001Json from '../../data/iso27001.json' with { type: 'json' };
import iso42001Json from '../../data/iso42001.json' with { type: 'json' };
import tscJson from '../../data/soc2-tsc.json' with { type: 'json' };
import { FRAMEWORK_IDS, type FrameworkId, type TscCategory } from '../vocabulary';

/**
 * The framework catalogue: what each framework is, who may audit it, what the buyer gets,
 * plus the requirement outlines of SOC 2, ISO/IEC 42001 and ISO/IEC 27001.
 * Every fact keeps its sources so guide pages can cite them.
 */

export type FrameworkKind = 'attestation' | 'certification' | 'assessment';

export const FRAMEWORK_KIND_LABELS: Record<FrameworkKind, string> = {
  attestation: 'Attestation report',
  certification: 'Certification',
  assessment: 'Assessment',
};

/** Fact groups that carry their own sources; `initialAudit` and `variants` only when present. */
export const FACT_GROUPS = [
  'identity',
  'audience',
  'performedBy',
  'deliverable',
  'validity',
  'initialAudit',
  'variants',
  'scopeOptions',
  'firstPublished',
  'currentVersion',
] as const;
export type FactGroup = (typeof FACT_GROUPS)[number];

export interface ObservationWindow {
  typicalMin: number;
  typicalMax: number;
  note: string;
}

export interface Variant {
  id: string;
  name: string;
  summary: string;
  /** Only for reports on operating effectiveness (SOC Type 2): the period the auditor tests. */
  observationWindowMonths?: ObservationWindow;
}

export interface TscCategoryOption {
  id: TscCategory;
  name: string;
  required: boolean;
}

export interface ScopeOptions {
  summary: string;
  trustServicesCategories?: TscCategoryOption[];
  rules?: string[];
}

export interface Framework {
  id: FrameworkId;
  name: string;
  fullName: string;
  issuer: string;
  kind: FrameworkKind;
  basis: string;
  /** The question a buyer's customer is really asking when it requests this framework. */
  answers: string;
  typicallyNeededBy: string[];
  performedBy: { summary: string; checks: string[]; standards: string[] };
  deliverable: { summary: string; relatedReports: string[] };
  validity: { years: number | null; formalExpiry: boolean; summary: string; renewal: string };
  /** ISO certifications: stage 1 and stage 2; empty for the others. */
  initialAudit: string[];
  variants: Variant[];
  scopeOptions: ScopeOptions;
  firstPublished: { year: number | null; date: string | null; note: string | null };
  currentVersion: {
    label: string;
    year: number | null;
    note: string | null;
    transition: string | null;
  };
  sources: Partial<Record<FactGroup, string[]>>;
}

export interface FrameworksMeta {
  version: string;
  kindMeaning: Record<FrameworkKind, string>;
  factGroups: Record<FactGroup, string>;
  sourcesNote: string;
}

export interface TscCategoryInfo {
  id: TscCategory;
  name: string;
  prefix: string;
  required: boolean;
  criteria: number;
  note: string;
}

export interface TscSeries {
  id: string;
  category: TscCategory;
  name: string;
  criteria: number;
}

export interface TscCriterion {
  id: string;
  category: TscCategory;
  series: string;
  title: string;
  cosoPrinciple?: number;
  requiredInEverySoc2: boolean;
}

export type RequirementKind = 'clause' | 'control';

/** One auditable line of an ISO standard: a requirement clause or an Annex A control. */
export interface IsoRequirement {
  id: string;
  title: string;
  /** '4' … '10' for clauses; 'A.2' … 'A.10' (42001) or 'A.5' … 'A.8' (27001) for controls. */
  group: string;
  kind: RequirementKind;
}

export interface Iso42001Requirement extends IsoRequirement {
  aiSpecific: boolean;
}

export interface RequirementGroup {
  id: string;
  title: string;
  kind: RequirementKind;
  requirements: number;
}

export interface IsoClause {
  id: string;
  level: 'clause' | 'subclause' | 'subsubclause';
  parent: string | null;
  title: string;
  /** false for headings that only group sub-clauses. */
  requirement: boolean;
}

export interface Iso42001Clause extends IsoClause {
  aiSpecific: boolean;
}

interface Iso42001File {
  meta: { version: string };
  clauses: Iso42001Clause[];
  annexAGroups: { id: string; title: string; controls: number }[];
  annexASubgroups: { id: string; group: string; title: string }[];
  annexAControls: {
    id: string;
    group: string;
    subgroup?: string;
    title: string;
    aiSpecific: boolean;
  }[];
}

interface Iso27001File {
  meta: { version: string };
  themes: { id: string; theme: string; title: string; controls: number }[];
  clauses: IsoClause[];
  annexAControls: { id: string; theme: string; title: string }[];
}

interface TscFile {
  meta: { version: string };
  categories: TscCategoryInfo[];
  series: TscSeries[];
  criteria: TscCriterion[];
}

const catalogue = frameworksJson as unknown as { meta: FrameworksMeta; frameworks: Framework[] };
const tsc = tscJson as unknown as TscFile;
const iso42001 = iso42001Json as unknown as Iso42001File;
const iso27001 = iso27001Json as unknown as Iso27001File;

/** FNV-1a: enough to tell data versions apart in a cache key; not a security hash. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * Changes whenever any framework or crosswalk fact changes, so cached guide pages and
 * overlap maps are never served from stale data; the date keeps it readable.
 */
export const DATA_VERSION = `${catalogue.meta.version}-${fnv1a(
  JSON.stringify([
    frameworksJson,
    tscJson,
    iso42001Json,
    iso27001Json,
    crosswalkSoc2Json,
    crosswalkIso27001Json,
  ]),
)}`;

const frameworkById = new Map(catalogue.frameworks.map((f) => [f.id, f]));

/** What the source policy records about each page a framework fact cites. */
export interface SourceInfo {
  kind: string;
  /** YYYY-MM: the publication or reading month; YYYY alone for an edition known by its year. */
  date: string;
  dateKind: 'published' | 'retrieved';
}

const SOURCE_INFO = frameworksJson.sources as Record<string, SourceInfo>;

export function sourceInfo(url: string): SourceInfo | undefined {
  return SOURCE_INFO[url];
}

/** The sources of these fact groups of a framework, in the order the groups are named. */
export function factSources(f: Framework, ...groups: FactGroup[]): string[] {
  return groups.flatMap((g) => f.sources[g] ?? []);
}

export function frameworks(): readonly Framework[] {
  return catalogue.frameworks;
}

export function isFrameworkId(value: string): value is FrameworkId {
  return (FRAMEWORK_IDS as readonly string[]).includes(value);
}

export function framework(id: FrameworkId): Framework {
  const found = frameworkById.get(id);
  // Every FrameworkId has an entry (the integrity test holds the data to that).
  if (!found) throw new Error(`No framework data for ${id}`);
  return found;
}

export function frameworksMeta(): FrameworksMeta {
  return catalogue.meta;
}

export function kindMeaning(kind: FrameworkKind): string {
  return catalogue.meta.kindMeaning[kind];
}

export function variants(id: FrameworkId): readonly Variant[] {
  return framework(id).variants;
}

/** The variant ids each framework allows ('type1', 'roc', '2019'), from the framework data: the one list the forms, the import and the matcher check against. */
export const FRAMEWORK_VARIANTS: Readonly<Record<FrameworkId, readonly string[]>> =
  Object.fromEntries(
    FRAMEWORK_IDS.map((id) => [id, variants(id).map((v) => v.id)]),
  ) as unknown as Record<FrameworkId, readonly string[]>;

export function variant(id: FrameworkId, variantId: string): Variant | undefined {
  return framework(id).variants.find((v) => v.id === variantId);
}

/** For the estimator and the timeline: the review period of a Type 2-style report, if any. */
export function observationWindow(id: FrameworkId, variantId: string): ObservationWindow | null {
  return variant(id, variantId)?.observationWindowMonths ?? null;
}

// ---- SOC 2 Trust Services Criteria ----

export function tscCategories(): readonly TscCategoryInfo[] {
  return tsc.categories;
}

export function tscSeries(): readonly TscSeries[] {
  return tsc.series;
}

export function tscCriteria(category?: TscCategory): readonly TscCriterion[] {
  return category ? tsc.criteria.filter((c) => c.category === category) : tsc.criteria;
}

const tscById = new Map(tsc.criteria.map((c) => [c.id, c]));

export function tscCriterion(id: string): TscCriterion | undefined {
  return tscById.get(id);
}

// ---- ISO/IEC 42001 and ISO/IEC 27001 ----

/** Sub-clauses belong to their top-level clause: 6.1.2 → '6'. */
function clauseGroup(id: string): string {
  return id.split('.')[0] ?? id;
}

/** What a guide or the crosswalk reads of an ISO standard: the same for each standard. */
export interface IsoOutline<R extends IsoRequirement, C extends IsoClause> {
  /** The lines an audit checks: requirement clauses, then Annex A controls. */
  requirements: readonly R[];
  requirement(id: string): R | undefined;
  /** Top-level clauses, then Annex A groups, in the order the overlap chart shows them. */
  groups: readonly RequirementGroup[];
  /** Every clause entry, headings included, for rendering the outline. */
  clauses: readonly C[];
}

/** One standard's file read into its outline; `requirement` adds what only that standard has. */
function isoOutline<
  C extends IsoClause,
  A extends { id: string; title: string },
  R extends IsoRequirement,
>(source: {
  clauses: C[];
  controls: A[];
  controlGroups: { id: string; title: string; controls: number }[];
  controlGroup: (control: A) => string;
  requirement: (line: IsoRequirement, entry: C | A) => R;
}): IsoOutline<R, C> {
  const requirements = [
    ...source.clauses
      .filter((c) => c.requirement)
      .map((c) =>
        source.requirement(
          { id: c.id, title: c.title, group: clauseGroup(c.id), kind: 'clause' },
          c,
        ),
      ),
    ...source.controls.map((c) =>
      source.requirement(
        { id: c.id, title: c.title, group: source.controlGroup(c), kind: 'control' },
        c,
      ),
    ),
  ];
  const byId = new Map(requirements.map((r) => [r.id, r]));
  const clauseGroups = source.clauses
    .filter((c) => c.parent === null)
    .map((c) => ({
      id: c.id,
      title: c.title,
      kind: 'clause' as const,
      requirements: requirements.filter((r) => r.kind === 'clause' && r.group === c.id).length,
    }));
  return {
    requirements,
    requirement: (id) => byId.get(id),
    groups: [
      ...clauseGroups,
      ...source.controlGroups.map((g) => ({
        id: g.id,
        title: g.title,
        kind: 'control' as const,
        requirements: g.controls,
      })),
    ],
    clauses: source.clauses,
  };
}

/** The 70 lines an AIMS is audited against (32 clauses, 38 controls); clauses 4–10, then A.2–A.10. */
export const iso42001Outline = isoOutline({
  clauses: iso42001.clauses,
  controls: iso42001.annexAControls,
  controlGroups: iso42001.annexAGroups,
  controlGroup: (c) => c.group,
  requirement: (line, entry): Iso42001Requirement => ({ ...line, aiSpecific: entry.aiSpecific }),
});

export function iso42001Subgroups(): readonly { id: string; group: string; title: string }[] {
  return iso42001.annexASubgroups;
}

/** The 123 lines an ISMS is audited against: 30 requirement clauses and 93 Annex A controls. */
export const iso27001Outline = isoOutline({
  clauses: iso27001.clauses,
  controls: iso27001.annexAControls,
  controlGroups: iso27001.themes,
  // A.5.12 → 'A.5': the theme it belongs to.
  controlGroup: (c) => c.id.split('.').slice(0, 2).join('.'),
  requirement: (line) => line,
});

/** The ISO standards whose outlines we hold, by framework. */
export const ISO_OUTLINES: Partial<Record<FrameworkId, IsoOutline<IsoRequirement, IsoClause>>> = {
  iso42001: iso42001Outline,
  iso27001: iso27001Outline,
};
