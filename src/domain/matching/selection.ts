import type { FirmType } from '../vocabulary';
import { normaliseName } from './scope';

/**
 * Picking three from the eligible firms: best fit first, fair rotation among near-ties so no
 * firm holds first place among equals for ever, and some diversity so the buyer does not get
 * three near-identical firms when a real alternative is close behind. Same inputs and rotation,
 * same picks.
 */

/** Scores this close to the best of a group count as a tie: the score cannot tell them apart. */
export const NEAR_TIE_POINTS = 2;
/** How far below the third pick a firm may score and still be swapped in for diversity. */
export const DIVERSITY_WINDOW_POINTS = 5;
export const PROPOSAL_COUNT = 3;
/** Kept ready for replacement offers when a proposed firm declines or lets the window pass. */
export const ALTERNATE_COUNT = 7;

export interface Candidate {
  id: string;
  score: number;
  firmType: FirmType;
  headquarters: string;
}

export type DiversityAttribute = 'firmType' | 'headquarters';

export interface DiversitySwap<T> {
  /** The firm brought into the three. */
  added: T;
  /** The firm it replaced, now the first alternate. */
  replaced: T;
  /** What the other picks would all have shared and the added firm does not. */
  attributes: DiversityAttribute[];
}

export interface Selection<T> {
  proposals: T[];
  alternates: T[];
  diversity: DiversitySwap<T> | null;
}

/** Best fit first; equal scores in id order so the input order of firms never matters. */
export function byFit(a: Candidate, b: Candidate): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Any number (negative, fractional, huge) maps to a usable offset; NaN and infinities mean 0. */
function offset(rotation: number, size: number): number {
  if (!Number.isFinite(rotation) || size === 0) return 0;
  const r = Math.trunc(rotation) % size;
  return r < 0 ? r + size : r;
}

/**
 * Orders candidates by fit, then rotates each near-tie group by the rotation number. A group
 * starts at the best remaining firm and holds every firm within NEAR_TIE_POINTS of it; anchoring
 * on the group's best (not chaining neighbour to neighbour) means rotation never lifts a firm
 * over one that scores more than NEAR_TIE_POINTS higher.
 */
export function rankWithRotation<T extends Candidate>(
  candidates: readonly T[],
  rotation: number,
): T[] {
  const sorted = [...candidates].sort(byFit);
  const ranked: T[] = [];
  let start = 0;
  while (start < sorted.length) {
    const anchor = sorted[start] as T;
    let end = start + 1;
    while (end < sorted.length && anchor.score - (sorted[end] as T).score <= NEAR_TIE_POINTS) end++;
    const group = sorted.slice(start, end);
    const k = offset(rotation, group.length);
    ranked.push(...group.slice(k), ...group.slice(0, k));
    start = end;
  }
  return ranked;
}

function attributeOf(c: Candidate, attribute: DiversityAttribute): string {
  return attribute === 'firmType' ? c.firmType : normaliseName(c.headquarters);
}

/** Ranked places the selection reads: three proposals, the alternates, and the one displaced. */
const PLACES_READ = PROPOSAL_COUNT + ALTERNATE_COUNT + 1;

/**
 * How far below the PLACES_READ-th best score a firm can still change the selection. With s
 * that score: the third proposal scores at least s - NEAR_TIE_POINTS (its group's anchor is
 * one of the three best); diversity looks at firms down to DIVERSITY_WINDOW_POINTS +
 * NEAR_TIE_POINTS below the third; and rotation needs each group it reorders whole, a group
 * reaching NEAR_TIE_POINTS below its anchor. One point more absorbs rounding.
 */
const POOL_DEPTH_POINTS = NEAR_TIE_POINTS + DIVERSITY_WINDOW_POINTS + 2 * NEAR_TIE_POINTS + 1;

/**
 * The candidates that can affect the selection, so a catalog of thousands is not sorted whole:
 * every firm scoring at least POOL_DEPTH_POINTS below the PLACES_READ-th best. Every group
 * the selection reads is then complete, and a group cut short starts more than
 * DIVERSITY_WINDOW_POINTS + NEAR_TIE_POINTS below the third, where diversity stops looking.
 */
function selectionPool<T extends Candidate>(candidates: readonly T[]): readonly T[] {
  if (candidates.length <= PLACES_READ) return candidates;
  // The PLACES_READ best scores, kept in descending order.
  const top: number[] = [];
  for (const c of candidates) {
    if (!Number.isFinite(c.score)) return candidates;
    if (top.length === PLACES_READ && c.score <= (top[PLACES_READ - 1] as number)) continue;
    let at = top.length;
    while (at > 0 && (top[at - 1] as number) < c.score) at--;
    top.splice(at, 0, c.score);
    if (top.length > PLACES_READ) top.pop();
  }
  const floor = (top[PLACES_READ - 1] as number) - POOL_DEPTH_POINTS;
  return candidates.filter((c) => c.score >= floor);
}

export function selectProposals<T extends Candidate>(
  candidates: readonly T[],
  rotation: number,
): Selection<T> {
  const ranked = rankWithRotation(selectionPool(candidates), rotation);
  const proposals = ranked.slice(0, PROPOSAL_COUNT);
  const rest = ranked.slice(PROPOSAL_COUNT);
  const diversity = diversify(proposals, rest);
  if (diversity) {
    proposals[PROPOSAL_COUNT - 1] = diversity.added;
    rest.splice(rest.indexOf(diversity.added), 1);
    rest.unshift(diversity.replaced);
  }
  return { proposals, alternates: rest.slice(0, ALTERNATE_COUNT), diversity };
}

/**
 * When all three share a firm type or a headquarters, swap the third for the best-ranked firm
 * within DIVERSITY_WINDOW_POINTS that breaks the most of that sameness. Only the third moves:
 * the best fits stay.
 */
function diversify<T extends Candidate>(proposals: T[], rest: T[]): DiversitySwap<T> | null {
  const [first, , third] = proposals;
  if (!first || !third || proposals.length < PROPOSAL_COUNT) return null;
  const shared = (['firmType', 'headquarters'] as const).filter((a) =>
    proposals.every((p) => attributeOf(p, a) === attributeOf(first, a)),
  );
  if (shared.length === 0) return null;
  let best: T | null = null;
  let bestBreaks: DiversityAttribute[] = [];
  for (const alternative of rest) {
    // Rotation can lift a firm at most NEAR_TIE_POINTS over an earlier one, so past this gap no later firm can qualify.
    if (third.score - alternative.score > DIVERSITY_WINDOW_POINTS + NEAR_TIE_POINTS) break;
    if (third.score - alternative.score > DIVERSITY_WINDOW_POINTS) continue;
    const breaks = shared.filter((a) => attributeOf(alternative, a) !== attributeOf(first, a));
    if (breaks.length > bestBreaks.length) {
      best = alternative;
      bestBreaks = breaks;
    }
  }
  return best ? { added: best, replaced: third, attributes: bestBreaks } : null;
}
