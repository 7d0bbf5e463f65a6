import type { Firm, LiveService } from '../firm';
import { type FrameworkId, sizeBandFor } from '../vocabulary';
import { carryFacts, catalogFacts, factsScanner } from './catalog-facts';
import {
  checkEligibility,
  ELIGIBILITY_CODES,
  eligibilityTester,
  type EligibilityCode,
  type EligibilityFailure,
  type PreparedScope,
  prepareScope,
  READINESS_DOES_NOT_DISQUALIFY,
  type RuleMask,
  ruleScanner,
} from './eligibility';
import {
  cutMessage,
  RELAXABLE_CODES,
  reasonsFor,
  type ShortfallFacts,
  shortfallMessage,
} from './explain';
import { isSocFramework, type MatchContext, type MatchScope } from './scope';
import {
  type FitComponent,
  fitPoints,
  fitScore,
  type RankingInput,
  type ScoringScope,
  scoringScope,
  toRankingInput,
} from './scoring';
import { byFit, type DiversityAttribute, PROPOSAL_COUNT, selectProposals } from './selection';
import { checkDeadline, type DeadlineCheck } from '../timeline';
import { addDays, type IsoDate } from './dates';
import { daysToFinish, weeksToDays } from './timeline';

/**
 * Matching a buyer's scope to three audit firms: hard eligibility, a fit score from a
 * commercial-free projection of each firm, then selection with rotation and diversity.
 * Stored with every match so any proposal can be explained and replayed later; bump it
 * whenever a rule, weight or constant changes what `match` returns.
 */
export const ALGORITHM_VERSION = 'match-1.1.0';

/** Partial fits shown to the buyer when fewer than three firms qualify. */
export const PARTIAL_FIT_COUNT = 3;

export interface Proposal {
  firmId: string;
  slug: string;
  name: string;
  /** 1 for the first proposal; alternates continue the count. */
  rank: number;
  score: number;
  breakdown: FitComponent[];
  reasons: string[];
  /**
   * The firm's published price band for the buyer's size, per requested framework it lists one
   * for. Shown to the buyer; never read by the ranking.
   */
  priceBands?: PriceBand[];
}

export interface PriceBand {
  framework: FrameworkId;
  minUsd: number;
  maxUsd: number;
}

export interface CutBy {
  code: EligibilityCode;
  /** Candidate firms this rule ruled out (a firm counts once per rule, but may fail several). */
  count: number;
  message: string;
}

export interface Shortfall {
  eligibleCount: number;
  /** Active firms offering at least one requested framework: the pool `cutBy` counts within. */
  candidateCount: number;
  message: string;
  /** Most firms ruled out first. */
  cutBy: CutBy[];
}

/** A firm that failed exactly one rule, and one the buyer could relax: shown as such, never contacted. */
export interface PartialFit {
  firmId: string;
  slug: string;
  name: string;
  score: number;
  breakdown: FitComponent[];
  rule: EligibilityCode;
  failures: EligibilityFailure[];
}

export interface MatchResult {
  algorithmVersion: string;
  inputs: { scope: MatchScope; context: MatchContext };
  proposals: Proposal[];
  /** Next best eligible firms, in order, for replacement offers. */
  alternates: Proposal[];
  shortfall: Shortfall | null;
  /** Only filled when there is a shortfall. */
  partialFits: PartialFit[];
  /** Things the buyer should know about how this match was made. */
  notes: string[];
  /** The buyer's date against the timeline model's fastest path from its starting point. */
  deadline: DeadlineCheck;
  /**
   * When the date rules firms out: the earliest date by which three firms (or as many as could
   * ever fit) can deliver, so the buyer can send the request with it instead. Null otherwise.
   */
  suggestedNeededBy: IsoDate | null;
}

interface Scored {
  id: string;
  score: number;
  firmType: Firm['firmType'];
  headquarters: string;
  firm: Firm;
  input: RankingInput;
}

/** Scored from the commercial-free projection only; the firm rides along for display. */
function scored(firm: Firm, s: ScoringScope): Scored {
  const input = toRankingInput(firm);
  return {
    id: input.id,
    score: fitPoints(input, s),
    firmType: input.firmType,
    headquarters: input.headquarters,
    firm,
    input,
  };
}

export function match(firms: readonly Firm[], scope: MatchScope, ctx: MatchContext): MatchResult {
  if (scope.frameworks.length === 0) {
    throw new RangeError('A match needs at least one requested framework');
  }
  const prepared = prepareScope(scope, ctx);
  const isEligible = eligibilityTester(prepared);
  const scan = ruleScanner(prepared);
  const scoring = scoringScope(scope);
  const eligible: Scored[] = [];
  const rejected = new RejectedTally(scoring, prepared);
  // Only a firm offering every requested framework in the buyer's region can be eligible: the
  // shortest such list, in catalog order, is checked.
  const index = catalogIndex(firms);
  // The same rules read from the snapshot's flat facts where they could be built (catalog-facts.ts).
  const facts = catalogFacts(firms, ctx.today);
  const failedRules = facts ? factsScanner(facts, firms, prepared) : null;
  const frameworks = [...new Set(scope.frameworks.map((r) => r.framework))];
  const lists = frameworks.map((f) => index.byFrameworkAndRegion.get(`${f}|${scope.region}`) ?? []);
  for (const position of lists.reduce((a, b) => (b.length < a.length ? b : a))) {
    const firm = firms[position]!;
    if (failedRules ? failedRules(position) === 0 : isEligible(firm))
      eligible.push(scored(firm, scoring));
  }
  // Fewer than three: the shortfall is explained from every candidate's failed rules.
  if (eligible.length < PROPOSAL_COUNT) {
    for (const position of candidatePositions(index, frameworks, firms.length)) {
      const mask = failedRules ? failedRules(position) : scan(firms[position]!);
      if (mask !== 0) rejected.add(firms[position]!, mask);
    }
  }

  const selection = selectProposals(eligible, ctx.rotation);
  const toProposal = (s: Scored, index: number, diversity?: DiversityAttribute[]): Proposal => {
    const { breakdown } = fitScore(s.input, scoring);
    return {
      firmId: s.firm.id,
      slug: s.firm.slug,
      name: s.firm.name,
      rank: index + 1,
      score: s.score,
      breakdown,
      priceBands: priceBandsFor(s.firm, scope),
      reasons: reasonsFor({
        firm: s.firm,
        scope,
        today: ctx.today,
        breakdown,
        diversity,
      }),
    };
  };
  const proposals = selection.proposals.map((s, i) =>
    toProposal(s, i, s === selection.diversity?.added ? selection.diversity.attributes : undefined),
  );
  const alternates = selection.alternates.map((s, i) => toProposal(s, i + proposals.length));

  let shortfall: Shortfall | null = null;
  let partialFits: PartialFit[] = [];
  if (eligible.length < PROPOSAL_COUNT) {
    // Every candidate was tallied: the loop never switched to the yes/no test.
    shortfall = describeShortfall(eligible.length, rejected, scope, ctx);
    partialFits = partialFitsOf(rejected.nearest, prepared, scoring);
  }

  const notes: string[] = [];
  if (
    scope.controlsBuiltBy.length > 0 &&
    scope.frameworks.some((r) => isSocFramework(r.framework))
  ) {
    notes.push(READINESS_DOES_NOT_DISQUALIFY);
  }

  const deadline = checkDeadline(
    scope.frameworks,
    scope.neededBy,
    ctx.today,
    scope.headcount,
    scope.startingPoint,
  );
  let suggestedNeededBy: IsoDate | null = null;
  if (deadline.status !== 'ok' || (shortfall && rejected.timingOnly.length > 0)) {
    // The later of the model's earliest date and the day the firms still missing can deliver.
    const missing = Math.max(0, PROPOSAL_COUNT - eligible.length);
    const firmDay =
      missing > 0
        ? rejected.timingOnly[Math.min(missing, rejected.timingOnly.length) - 1]
        : undefined;
    const fromFirms = firmDay === undefined ? deadline.earliest : addDays(ctx.today, firmDay);
    // ISO dates order as strings: the later of the two.
    const [, candidate = deadline.earliest] = [fromFirms, deadline.earliest].sort();
    suggestedNeededBy = candidate > scope.neededBy || deadline.status === 'past' ? candidate : null;
  }

  return {
    algorithmVersion: ALGORITHM_VERSION,
    inputs: { scope, context: { today: ctx.today, rotation: ctx.rotation } },
    proposals,
    alternates,
    shortfall,
    partialFits,
    notes,
    deadline,
    suggestedNeededBy,
  };
}

function priceBandsFor(firm: Firm, scope: MatchScope): PriceBand[] {
  const band = sizeBandFor(scope.headcount);
  return scope.frameworks.flatMap((r) => {
    const range = firm.services
      .find((s) => s.framework === r.framework)
      ?.priceRanges.find((p) => p.sizeBand === band);
    return range ? [{ framework: r.framework, minUsd: range.minUsd, maxUsd: range.maxUsd }] : [];
  });
}

/** Days until a firm that failed only on timing can deliver every requested framework. */
function daysUntilDelivery(firm: Firm, p: PreparedScope): number {
  let days = 0;
  for (const r of p.requests) {
    const service = firm.services.find((s) => s.framework === r.framework);
    if (!service) continue;
    days = Math.max(
      days,
      daysToFinish(weeksToDays(service.leadTimeWeeks), r.readinessDays, r.auditDays),
    );
  }
  return days;
}

/**
 * Where a catalog's candidates sit: the positions of the active firms offering each framework,
 * and of those serving each region, in catalog order. Worked out once per catalog array and kept
 * while the array lives; a catalog is an immutable snapshot (FirmCatalog replaces the array when
 * anything changes), so `match` stays a function of its arguments. At 10,000 firms this spares
 * every match a walk over the firms that could never be proposed.
 */
interface CatalogIndex {
  byFramework: Map<string, number[]>;
  /** Keyed `framework|region`. */
  byFrameworkAndRegion: Map<string, number[]>;
}

const catalogIndexes = new WeakMap<readonly Firm[], CatalogIndex>();

function catalogIndex(firms: readonly Firm[]): CatalogIndex {
  const known = catalogIndexes.get(firms);
  if (known) return known;
  const index: CatalogIndex = { byFramework: new Map(), byFrameworkAndRegion: new Map() };
  const add = (map: Map<string, number[]>, key: string, position: number) => {
    const list = map.get(key);
    if (list) list.push(position);
    else map.set(key, [position]);
  };
  firms.forEach((firm, position) => {
    if (firm.status !== 'active') return;
    for (const framework of new Set(firm.services.map((s) => s.framework))) {
      add(index.byFramework, framework, position);
      for (const region of new Set(firm.regions))
        add(index.byFrameworkAndRegion, `${framework}|${region}`, position);
    }
  });
  catalogIndexes.set(firms, index);
  return index;
}

/**
 * The catalog with new live state (capacity taken, pauses) for the firms at the given positions:
 * a new array, as a snapshot never changes, whose other firms are the same objects. What is
 * worked out per catalog and does not depend on live state (the candidate index) is handed on,
 * and the rule facts are patched for the changed firms only.
 */
export function withLiveState(
  firms: readonly Firm[],
  changes: ReadonlyMap<number, readonly LiveService[]>,
): Firm[] {
  const next = firms.slice();
  for (const [position, live] of changes) {
    const firm = firms[position] as Firm;
    next[position] = {
      ...firm,
      services: firm.services.map((service) => {
        const now = live.find((l) => l.framework === service.framework);
        return now ? { ...service, ...now } : service;
      }),
    };
  }
  const index = catalogIndexes.get(firms);
  if (index) catalogIndexes.set(next, index);
  carryFacts(firms, next, changes.keys());
  return next;
}

/**
 * The positions of the firms the request is really about — active, and doing at least some of
 * the work asked — in catalog order. No other firm can be eligible, and a shortfall does not
 * count them.
 */
function candidatePositions(
  index: CatalogIndex,
  frameworks: readonly string[],
  catalogSize: number,
): readonly number[] {
  const lists = frameworks.map((f) => index.byFramework.get(f) ?? []);
  if (lists.length === 1) return lists[0]!;
  // Several frameworks: a firm offering two of them is still visited once, in its catalog place.
  const marked = new Uint8Array(catalogSize);
  for (const list of lists) for (const position of list) marked[position] = 1;
  const positions: number[] = [];
  for (let position = 0; position < catalogSize; position++)
    if (marked[position] === 1) positions.push(position);
  return positions;
}

/** Bits of the rules a buyer could relax (see RELAXABLE_CODES). */
const RELAXABLE_MASK: RuleMask = ELIGIBILITY_CODES.reduce(
  (mask, code, i) => (RELAXABLE_CODES.has(code) ? mask | (1 << i) : mask),
  0,
);

type NearFit = Scored & { rule: EligibilityCode };

const TIMING_BIT: RuleMask = 1 << ELIGIBILITY_CODES.indexOf('cannot-start-in-time');

/**
 * What a shortfall and its partial fits need to know about the candidates that were ruled out:
 * counts per rule and the best few near fits, so nothing is kept per rejected firm.
 */
class RejectedTally {
  /** Candidates that failed at least one rule. */
  rejectedCount = 0;
  /** Per rule (ELIGIBILITY_CODES order): how many of them failed it. */
  readonly cutCounts: number[] = ELIGIBILITY_CODES.map(() => 0);
  /** The best-fitting few that failed exactly one relaxable rule, best first. */
  readonly nearest: NearFit[] = [];
  /** Days until delivery of the firms ruled out by the buyer's date alone, soonest first (at most three). */
  readonly timingOnly: number[] = [];

  constructor(
    private readonly scoring: ScoringScope,
    private readonly prepared: PreparedScope,
  ) {}

  add(firm: Firm, mask: RuleMask): void {
    this.rejectedCount++;
    if (mask === TIMING_BIT) {
      const days = daysUntilDelivery(firm, this.prepared);
      let at = this.timingOnly.length;
      while (at > 0 && (this.timingOnly[at - 1] as number) > days) at--;
      if (at < PROPOSAL_COUNT) {
        this.timingOnly.splice(at, 0, days);
        if (this.timingOnly.length > PROPOSAL_COUNT) this.timingOnly.pop();
      }
    }
    for (let i = 0; i < this.cutCounts.length; i++) {
      if (mask & (1 << i)) this.cutCounts[i] = (this.cutCounts[i] ?? 0) + 1;
    }
    const singleRule = (mask & (mask - 1)) === 0;
    if (singleRule && (mask & RELAXABLE_MASK) !== 0) {
      const rule = ELIGIBILITY_CODES[31 - Math.clz32(mask)] as EligibilityCode;
      keepBest(
        this.nearest,
        Object.assign(scored(firm, this.scoring), { rule }),
        PARTIAL_FIT_COUNT,
      );
    }
  }
}

/**
 * Inserts `item` into `best` (kept in byFit order, at most `limit` long) after any equal
 * item: the same first `limit` as a stable sort of every item offered.
 */
function keepBest<T extends Scored>(best: T[], item: T, limit: number): void {
  let at = best.length;
  while (at > 0 && byFit(item, best[at - 1] as T) < 0) at--;
  if (at >= limit) return;
  best.splice(at, 0, item);
  if (best.length > limit) best.pop();
}

function describeShortfall(
  eligibleCount: number,
  scan: RejectedTally,
  scope: MatchScope,
  ctx: MatchContext,
): Shortfall {
  const facts: ShortfallFacts = {
    scope,
    today: ctx.today,
    candidateCount: eligibleCount + scan.rejectedCount,
  };
  const cutBy = ELIGIBILITY_CODES.map((code, i) => ({ code, count: scan.cutCounts[i] ?? 0 }))
    .filter((c) => c.count > 0)
    // A stable sort: rules that cut as many firms keep the order they are checked in.
    .sort((a, b) => b.count - a.count)
    .map(({ code, count }) => ({ code, count, message: cutMessage(code, count, facts) }));
  return {
    eligibleCount,
    candidateCount: facts.candidateCount,
    message: shortfallMessage(eligibleCount, cutBy[0]?.message ?? null, facts),
    cutBy,
  };
}

function partialFitsOf(
  nearest: NearFit[],
  prepared: PreparedScope,
  scoring: ScoringScope,
): PartialFit[] {
  return nearest.map((s) => ({
    firmId: s.firm.id,
    slug: s.firm.slug,
    name: s.firm.name,
    score: s.score,
    breakdown: fitScore(s.input, scoring).breakdown,
    rule: s.rule,
    // Explanations are written only for the few firms shown.
    failures: checkEligibility(s.firm, prepared).failures,
  }));
}

export type { IsoDate } from './dates';
export { type DeadlineCheck, NEEDED_BY_NOT_FUTURE } from '../timeline';
export {
  type Eligibility,
  type EligibilityCode,
  type EligibilityFailure,
  CONSULTANCY_COOLING_OFF_YEARS,
  ELIGIBILITY_CODES,
  READINESS_DOES_NOT_DISQUALIFY,
  capacityLeft,
  eligibility,
  isPaused,
} from './eligibility';
export {
  explainIneligible,
  explainIneligibleFirm,
  failedRules,
  RELAXABLE_CODES,
  reasonsFor,
} from './explain';
export {
  CERTIFICATION_BODY_STANDARD,
  CREDENTIAL_REQUIREMENTS,
  isCurrent,
  isQualified,
  type Qualification,
  qualification,
} from './qualification';
export {
  type MatchContext,
  type MatchScope,
  type RequestedFramework,
  DEFAULT_LANGUAGE,
} from './scope';
export {
  COMMERCIAL_FIRM_FIELDS,
  type CommercialFirmField,
  FIT_COMPONENTS,
  FIT_WEIGHTS,
  type FitComponent,
  fitPoints,
  type FitComponentId,
  type FitScore,
  fitScore,
  NEUTRAL,
  type RankingInput,
  REVIEW_PRIOR_MEAN,
  REVIEW_PRIOR_WEIGHT,
  RESPONSE_FAST_HOURS,
  RESPONSE_SLOW_HOURS,
  smoothedRating,
  toRankingInput,
} from './scoring';
export {
  ALTERNATE_COUNT,
  DIVERSITY_WINDOW_POINTS,
  NEAR_TIE_POINTS,
  PROPOSAL_COUNT,
  rankWithRotation,
  selectProposals,
} from './selection';
export {
  earliestFinish,
  earliestStart,
  HIPAA_ASSESSMENT_WEEKS,
  HITRUST_E1_WEEKS,
  HITRUST_I1_WEEKS,
  HITRUST_R2_WEEKS,
  ISO_CERTIFICATION_WEEKS,
  MINIMUM_AUDIT_WEEKS,
  minimumAuditWeeks,
  PCI_ROC_WEEKS,
  PCI_SAQ_WEEKS,
  SOC_MIN_OBSERVATION_WEEKS,
  SOC_REPORT_WEEKS,
  SOC_TYPE1_WEEKS,
  SOC_TYPE2_WEEKS,
} from './timeline';
