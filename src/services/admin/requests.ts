import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../db/schema';
import { parseStoredScope, proposedFirms } from '../../db/requests';
import { MATCHED_AT } from '../../domain/metrics';
import type { MatchResult } from '../../domain/matching';
import { requestLabel } from '../../domain/matching/labels';
import type { RequestedFramework } from '../../domain/matching/scope';
import type { ServiceContext } from '../context';
import { decodeCursor, encodeCursor, pageOf } from '../paging';

/**
 * Confirmed requests that got fewer than three firms, with the rules that cut the pool: the
 * operator's list of firms to recruit or verify. Only the reference and the scope are read;
 * the buyer's contact columns are never selected.
 */

/** A confirmed request is unmatched when its match proposed fewer firms than promised. */
export const isUnmatched = (eb: ExpressionBuilder<Database, 'quoteRequests'>) =>
  eb(proposedFirms(eb), '<', MATCHED_AT);
export const UNMATCHED_PAGE_SIZE = 50;

export interface UnmatchedRequest {
  id: string;
  reference: string;
  status: string;
  confirmedAt: string;
  frameworks: string[];
  region: string;
  stage: string;
  headcount: number;
  neededBy: string;
  proposed: number;
  shortfall: MatchResult['shortfall'];
  partialFits: { name: string; slug: string; rule: string }[];
}

export async function unmatchedRequests(
  ctx: ServiceContext,
  cursor?: string,
): Promise<{ items: UnmatchedRequest[]; next: string | null }> {
  const after = cursor ? decodeCursor(['unmatched'], cursor, 2).key : null;
  let query = ctx.db.kysely
    .selectFrom('quoteRequests')
    .select((eb) => [
      'quoteRequests.id',
      'quoteRequests.reference',
      'quoteRequests.status',
      'quoteRequests.confirmedAt',
      'quoteRequests.scope',
      'quoteRequests.matchResult',
      proposedFirms(eb).as('proposed'),
    ])
    .where('quoteRequests.confirmedAt', 'is not', null)
    .where(isUnmatched)
    .orderBy('quoteRequests.confirmedAt', 'desc')
    .orderBy('quoteRequests.id', 'desc')
    .limit(UNMATCHED_PAGE_SIZE + 1);
  if (after) {
    const [confirmedAt, id] = after as [string, string];
    query = query.where((eb) =>
      eb(
        eb.refTuple('quoteRequests.confirmedAt', 'quoteRequests.id'),
        '<',
        eb.tuple(confirmedAt, id),
      ),
    );
  }
  const page = pageOf(await query.execute(), UNMATCHED_PAGE_SIZE, (r) =>
    encodeCursor('unmatched', [r.confirmedAt ?? '', r.id]),
  );
  const items = page.rows.map((r) => {
    const scope = parseStoredScope(r.scope);
    const result = r.matchResult ? (JSON.parse(r.matchResult) as MatchResult) : null;
    return {
      id: r.id,
      reference: r.reference,
      status: r.status,
      confirmedAt: r.confirmedAt ?? '',
      frameworks: scope.frameworks.map((f) => requestLabel(f as RequestedFramework)),
      region: scope.region,
      stage: scope.stage,
      headcount: scope.headcount,
      neededBy: scope.neededBy,
      proposed: Number(r.proposed ?? 0),
      shortfall: result?.shortfall ?? null,
      partialFits: (result?.partialFits ?? []).map((p) => ({
        name: p.name,
        slug: p.slug,
        rule: p.rule,
      })),
    };
  });
  return { items, next: page.next };
}
