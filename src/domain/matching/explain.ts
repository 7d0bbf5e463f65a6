import type { Credential, Firm } from '../firm';
import {
  FIRM_TYPE_LABELS,
  FRAMEWORK_SHORT_NAMES,
  type FrameworkId,
  REGION_LABELS,
} from '../vocabulary';
import { type IsoDate, longDate, longMonth, monthOf } from './dates';
import {
  type Eligibility,
  type EligibilityCode,
  type EligibilityFailure,
  eligibility,
  READINESS_DOES_NOT_DISQUALIFY,
} from './eligibility';
import { auditLabel, count, listWords, requestLabel } from './labels';
import { qualification } from './qualification';
import { type MatchContext, type MatchScope, languageOf } from './scope';
import type { FitComponent, FitComponentId } from './scoring';
import type { DiversityAttribute } from './selection';
import { earliestStart } from './timeline';

/**
 * Plain-language explanations: "why this firm", "why not this firm", and an honest account of
 * a shortfall. Every sentence is derived from the same facts the rules and the score used.
 */

export function explainIneligible(result: Eligibility): string {
  if (result.eligible) return 'Meets every requirement of this request.';
  const messages = [...new Set(result.failures.map((f) => f.message))];
  return `Not proposed: ${messages.join('; ')}.`;
}

export function explainIneligibleFirm(firm: Firm, scope: MatchScope, ctx: MatchContext): string {
  return explainIneligible(eligibility(firm, scope, ctx));
}

/** The distinct rules a firm failed, in checking order: one firm counts once per rule. */
export function failedRules(failures: readonly EligibilityFailure[]): EligibilityCode[] {
  return [...new Set(failures.map((f) => f.code))];
}

function credentialReason(framework: FrameworkId, credentials: Credential[]): string | null {
  const name = FRAMEWORK_SHORT_NAMES[framework];
  const [credential] = credentials;
  if (!credential) return null;
  switch (credential.kind) {
    case 'iso-accreditation':
      return framework === 'hipaa'
        ? `Accredited certification body (${credential.issuer})`
        : `Accredited by ${credential.issuer} for ${name}`;
    case 'cpa-licence':
      return framework === 'hipaa'
        ? 'Licensed CPA firm'
        : `Licensed CPA firm with a current peer review, qualified to issue ${name} reports`;
    case 'pci-qsa':
      return `PCI Qualified Security Assessor company (${credential.issuer})`;
    case 'hitrust-assessor':
      return 'HITRUST authorised external assessor';
    default:
      return null;
  }
}

/** Components that speak for a firm only when it does well on them. */
const PRAISE_THRESHOLD = 0.75;

export interface ReasonFacts {
  firm: Firm;
  scope: MatchScope;
  today: IsoDate;
  breakdown: FitComponent[];
  /** Set when the firm was brought into the three for diversity. */
  diversity?: DiversityAttribute[];
}

/** "Why this firm", most telling first: qualification, timing, then the fit that scored. */
export function reasonsFor(facts: ReasonFacts): string[] {
  const { firm, scope, today, breakdown } = facts;
  const reasons: string[] = [];
  for (const request of scope.frameworks) {
    const reason = credentialReason(
      request.framework,
      qualification(firm, request.framework, today).credentials,
    );
    if (reason) reasons.push(reason);
    if (request.variant !== undefined) reasons.push(`Performs ${requestLabel(request)}`);
  }
  const leads = scope.frameworks.map(
    (r) => firm.services.find((s) => s.framework === r.framework)?.leadTimeWeeks ?? 0,
  );
  reasons.push(`Can start by ${longDate(earliestStart(today, Math.max(0, ...leads)), today)}`);
  for (const c of breakdown) {
    if (!c.applicable || c.value < PRAISE_THRESHOLD || !praises(c.component, firm, scope)) continue;
    reasons.push(c.note);
  }
  if (facts.diversity?.length) {
    reasons.push(diversityReason(firm, facts.diversity));
  }
  return [...new Set(reasons)];
}

/** Some components score well by default (no reviews yet, English); only real facts are praise. */
function praises(component: FitComponentId, firm: Firm, scope: MatchScope): boolean {
  if (component === 'reviews') return firm.reviewCount > 0 && firm.reviewMean !== null;
  if (component === 'language') return languageOf(scope) !== 'en';
  return true;
}

function diversityReason(firm: Firm, attributes: DiversityAttribute[]): string {
  const differences: string[] = [];
  if (attributes.includes('firmType'))
    differences.push(`a ${lowerFirst(FIRM_TYPE_LABELS[firm.firmType])}`);
  if (attributes.includes('headquarters')) differences.push(`based in ${firm.headquarters}`);
  return `Chosen over a slightly closer fit so your three are not all alike (${differences.join(', ')})`;
}

/** 'Certification body' → 'certification body', but 'CPA firm' keeps its acronym. */
function lowerFirst(label: string): string {
  return /^[A-Z][A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

/** Rules a buyer could relax, or that pass with time: only these make a firm a "partial fit". */
export const RELAXABLE_CODES: ReadonlySet<EligibilityCode> = new Set<EligibilityCode>([
  'region-not-served',
  'framework-not-offered',
  'variant-not-offered',
  'service-paused',
  'capacity-full',
  'cannot-start-in-time',
]);

export interface ShortfallFacts {
  scope: MatchScope;
  today: IsoDate;
  /** Active firms offering at least one requested framework: those the request was really about. */
  candidateCount: number;
}

/** One clause per rule, e.g. 'only 2 of 14 firms can deliver by 15 March'. */
export function cutMessage(code: EligibilityCode, cut: number, facts: ShortfallFacts): string {
  const { scope, today, candidateCount } = facts;
  const left = candidateCount - cut;
  const onlyOf = (plural: string, singular: string) =>
    left === 0
      ? `no firm ${singular}`
      : `only ${left} of ${count(candidateCount, 'firm', 'firms')} ${left === 1 ? singular : plural}`;
  const names = scope.frameworks.map((r) => FRAMEWORK_SHORT_NAMES[r.framework]);
  switch (code) {
    case 'firm-not-active':
      return `${count(cut, 'firm is', 'firms are')} not active`;
    case 'region-not-served':
      return onlyOf(
        `serve ${REGION_LABELS[scope.region]}`,
        `serves ${REGION_LABELS[scope.region]}`,
      );
    case 'excluded-by-buyer':
      return `you excluded ${count(cut, 'firm', 'firms')}`;
    case 'framework-not-offered': {
      const all = `${names.length === 2 ? 'both' : 'all of'} ${listWords(names)}`;
      return onlyOf(`offer ${all}`, `offers ${all}`);
    }
    case 'variant-not-offered': {
      const variants = listWords(
        scope.frameworks.filter((r) => r.variant !== undefined).map(requestLabel),
      );
      return onlyOf(`perform ${variants}`, `performs ${variants}`);
    }
    case 'service-paused':
      return `${count(cut, 'firm has', 'firms have')} paused new work`;
    case 'capacity-full':
      return `${count(cut, 'firm has', 'firms have')} no capacity left in ${longMonth(monthOf(today))}`;
    case 'cannot-start-in-time': {
      const deliver = `can deliver by ${longDate(scope.neededBy, today)}`;
      return onlyOf(deliver, deliver);
    }
    case 'no-qualifying-credential':
      return `${count(cut, 'firm lacks', 'firms lack')} a verified, current credential for ${listWords(names)}`;
    case 'soc-independence-conflict':
      return `${count(cut, 'firm designed, implemented or operates', 'firms designed, implemented or operate')} your controls. ${READINESS_DOES_NOT_DISQUALIFY}`;
    case 'iso-impartiality-conflict':
      return `${count(cut, 'firm is', 'firms are')} linked to your management-system consultant`;
  }
}

export function shortfallMessage(
  eligibleCount: number,
  topCut: string | null,
  facts: ShortfallFacts,
): string {
  const asked = listWords(facts.scope.frameworks.map((r) => auditLabel(r.framework, r.variant)));
  if (facts.candidateCount === 0) {
    return `No active firm on Auditmatch offers ${asked} yet, so we cannot propose any.`;
  }
  const head =
    eligibleCount === 0
      ? `No firm meets every requirement of your ${asked} request yet.`
      : `Only ${count(eligibleCount, 'firm meets', 'firms meet')} every requirement of your ${asked} request, so we propose ${eligibleCount} rather than 3.`;
  return topCut ? `${head} What ruled out the most firms: ${topCut}.` : head;
}
