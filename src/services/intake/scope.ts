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
  // Most scopes name no firm: skip building the look-up over the whole catalog.
  if (names.length === 0) return [];
  const wanted = new Set(names.map(normal));
  const found = new Map<string, string>();
  for (const f of firms) {
    for (const key of [normal(f.slug), normal(f.name)]) if (wanted.has(key)) found.set(key, f.slug);
  }
  return names.map((n) => found.get(normal(n)) ?? n);
}

/** The validated scope as the pure matcher reads it. */
export function toMatchScope(input: ScopeInput, firms: readonly Firm[]): MatchScope {
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
    ...(input.budget ? { budget: input.budget } : {}),
    aiExposure: input.aiExposure,
    ...(input.language ? { language: input.language } : {}),
    excludeFirmIds: resolveFirmNames(input.excludeFirms, firms),
    controlsBuiltBy: resolveFirmNames(input.controlsBuiltBy, firms),
    managementSystemConsultants: input.managementSystemConsultants,
  };
}
