import type { Firm } from '../../domain/firm';
import type { MatchScope } from '../../domain/matching/scope';
import type { FrameworkId } from '../../domain/vocabulary';
import type { ScopeInput } from './schemas';

const normal = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Buyers name firms the way they know them ("Brindlewood Audit"); the matcher compares ids and
 * slugs. Each name that equals a listed firm's name or slug is resolved to its slug; others are
 * kept as typed, which still excludes a firm whose slug matches.
 */
export function resolveFirmNames(names: readonly string[], firms: readonly Firm[]): string[] {
  // Most scopes name no firm: skip the look-up altogether.
  if (names.length === 0) return [];
  const slugs = slugsByName(firms);
  return names.map((n) => slugs.get(normal(n)) ?? n);
}

/**
 * Normalised name and slug → slug, built once per catalog array (an immutable snapshot that
 * FirmCatalog replaces on change) instead of normalising every firm's names on each request.
 * On a clash the later firm wins, as a scan in catalog order would decide.
 */
const nameIndexes = new WeakMap<readonly Firm[], Map<string, string>>();

function slugsByName(firms: readonly Firm[]): Map<string, string> {
  let index = nameIndexes.get(firms);
  if (!index) {
    index = new Map();
    for (const f of firms) {
      index.set(normal(f.slug), f.slug);
      index.set(normal(f.name), f.slug);
    }
    nameIndexes.set(firms, index);
  }
  return index;
}

/** `to` has the same firms' names as `from` (only live state changed): the index carries over. */
export function carryNameIndex(from: readonly Firm[], to: readonly Firm[]): void {
  const index = nameIndexes.get(from);
  if (index) nameIndexes.set(to, index);
}

/**
 * The part of a scope every reader takes as the buyer gave it — the matcher and the firm's
 * anonymised copy alike: the frameworks (without empty options), stage, size, region, industry
 * and the date it is needed by.
 */
export function scopeBasics(input: ScopeInput) {
  return {
    frameworks: input.frameworks.map((f) => ({
      framework: f.framework as FrameworkId,
      ...(f.variant ? { variant: f.variant } : {}),
      ...(f.categories ? { categories: f.categories } : {}),
    })),
    stage: input.stage,
    headcount: input.headcount,
    region: input.region,
    industry: input.industry,
    neededBy: input.neededBy,
  };
}

/** The validated scope as the pure matcher reads it. */
export function toMatchScope(input: ScopeInput, firms: readonly Firm[]): MatchScope {
  return {
    ...scopeBasics(input),
    startingPoint: input.startingPoint,
    ...(input.budget ? { budget: input.budget } : {}),
    aiExposure: input.aiExposure,
    ...(input.language ? { language: input.language } : {}),
    excludeFirmIds: resolveFirmNames(input.excludeFirms, firms),
    controlsBuiltBy: resolveFirmNames(input.controlsBuiltBy, firms),
    // Resolved like the other names, so a certification body named as the consultant is found.
    managementSystemConsultants: input.managementSystemConsultants.flatMap((c) => {
      const [slug] = resolveFirmNames([c.name], firms);
      const until = c.advisedUntil ? { advisedUntil: c.advisedUntil } : {};
      return slug && slug !== c.name
        ? [
            { name: c.name, ...until },
            { name: slug, ...until },
          ]
        : [{ name: c.name, ...until }];
    }),
  };
}
