import { type Firm, isListedPublicly } from './firm';
import { isQualified } from './matching';
import {
  BUDGET_BAND_RANGES,
  type BudgetBand,
  type CompanyStage,
  type FrameworkId,
  type Region,
} from './vocabulary';

export interface DirectoryFilters {
  framework?: FrameworkId;
  region?: Region;
  stage?: CompanyStage;
  budget?: BudgetBand;
}

export interface DirectoryEntry {
  firm: Firm;
  /** Frameworks the firm offers and may perform today (verified, unexpired, qualifying credential). */
  qualifiedFor: FrameworkId[];
  /** Frameworks the firm offers without a qualifying credential: shown, never matched. */
  notQualifiedFor: FrameworkId[];
}

function overlapsBudget(firm: Firm, band: BudgetBand, framework?: FrameworkId): boolean {
  const { minUsd, maxUsd } = BUDGET_BAND_RANGES[band];
  return firm.services
    .filter((s) => !framework || s.framework === framework)
    .some((s) =>
      s.priceRanges.some((p) => p.maxUsd >= minUsd && (maxUsd === null || p.minUsd <= maxUsd)),
    );
}

/**
 * The public directory: active firms only, filtered as asked, firms qualified for the chosen
 * framework first. Suspended and pending firms never appear.
 */
export function directory(
  firms: Firm[],
  filters: DirectoryFilters,
  today: string,
): DirectoryEntry[] {
  const entries: DirectoryEntry[] = [];
  for (const firm of firms) {
    if (!isListedPublicly(firm)) continue;
    if (filters.framework && !firm.services.some((s) => s.framework === filters.framework))
      continue;
    if (filters.region && !firm.regions.includes(filters.region)) continue;
    if (filters.stage && !firm.stages.includes(filters.stage)) continue;
    if (filters.budget && !overlapsBudget(firm, filters.budget, filters.framework)) continue;
    const offered = firm.services.map((s) => s.framework);
    entries.push({
      firm,
      qualifiedFor: offered.filter((f) => isQualified(firm, f, today)),
      notQualifiedFor: offered.filter((f) => !isQualified(firm, f, today)),
    });
  }
  const framework = filters.framework;
  if (framework) {
    const rank = (e: DirectoryEntry) => (e.qualifiedFor.includes(framework) ? 0 : 1);
    entries.sort((a, b) => rank(a) - rank(b) || a.firm.name.localeCompare(b.firm.name));
  }
  return entries;
}

/**
 * Firms shown on one page of the directory. A page of every firm grew with the catalog: at
 * 10,000 firms it was megabytes of HTML for each visitor.
 */
export const DIRECTORY_PAGE_SIZE = 24;

export interface DirectoryPageOf {
  entries: DirectoryEntry[];
  /** 1-based. */
  page: number;
  pages: number;
  total: number;
}

/**
 * The `page`-th slice of the entries (1-based). A page past the last (the list shrank since the
 * link was made, or a typed URL) gives the last page with the count, never an empty list that
 * would read as "no firm matches".
 */
export function directoryPage(entries: DirectoryEntry[], requested: number): DirectoryPageOf {
  const pages = Math.max(1, Math.ceil(entries.length / DIRECTORY_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.trunc(requested)), pages);
  const start = (page - 1) * DIRECTORY_PAGE_SIZE;
  return {
    entries: entries.slice(start, start + DIRECTORY_PAGE_SIZE),
    page,
    pages,
    total: entries.length,
  };
}
