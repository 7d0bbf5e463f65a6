import type { ScopeInput } from '../intake/schemas';
import { scopeBasics } from '../intake/scope';

/** What a firm may know of the buyer's scope: no names of firms the buyer excluded or works with. */
export interface AnonymisedScope {
  frameworks: { framework: string; variant?: string; categories?: string[] }[];
  stage: string;
  headcount: number;
  region: string;
  industry: string;
  neededBy: string;
  budget: string | null;
  aiExposure: string;
  language: string | null;
}

export function anonymiseScope(scope: ScopeInput): AnonymisedScope {
  return {
    ...scopeBasics(scope),
    budget: scope.budget ?? null,
    aiExposure: scope.aiExposure,
    language: scope.language ?? null,
  };
}
