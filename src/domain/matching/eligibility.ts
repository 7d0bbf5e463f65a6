import type { ConsultancyLink, Firm, FirmService } from '../firm';
import { FRAMEWORK_SHORT_NAMES, type FrameworkId, REGION_LABELS } from '../vocabulary';
import {
  addYears,
  dayNumber,
  fromDayNumber,
  type IsoDate,
  longDate,
  longMonth,
  monthOf,
} from './dates';
import { auditLabel } from './labels';
import { isQualified, qualification } from './qualification';
import {
  isIsoFramework,
  isSocFramework,
  type MatchContext,
  type MatchScope,
  normaliseName,
  type RequestedFramework,
} from './scope';
import {
  daysToFinish,
  leadAndAuditDays,
  minimumAuditWeeks,
  readinessDays,
  weeksToDays,
} from './timeline';

/**
 * Hard eligibility: rules a firm must pass to be proposed at all. Fit decides the order among
 * eligible firms; nothing about fit, and nothing commercial, can let a firm past these rules.
 */

/** In the order they are checked and reported. */
export const ELIGIBILITY_CODES = [
  'firm-not-active',
  'region-not-served',
  'excluded-by-buyer',
  'framework-not-offered',
  'variant-not-offered',
  'service-paused',
  'capacity-full',
  'cannot-start-in-time',
  'no-qualifying-credential',
  'soc-independence-conflict',
  'iso-impartiality-conflict',
] as const;
export type EligibilityCode = (typeof ELIGIBILITY_CODES)[number];

export interface EligibilityFailure {
  code: EligibilityCode;
  /** The requested framework the rule failed for; null for rules about the firm as a whole. */
  framework: FrameworkId | null;
  /** One plain sentence a buyer or an operator can read. */
  message: string;
}

export interface Eligibility {
  eligible: boolean;
  failures: EligibilityFailure[];
}

/**
 * ISO/IEC 17021-1 impartiality: a certification body may not certify a management system that
 * a consultancy linked to it helped build within the last two years.
 */
export const CONSULTANCY_COOLING_OFF_YEARS = 2;

/** Said wherever the SOC independence rule is explained, so no firm is dropped for readiness work. */
export const READINESS_DOES_NOT_DISQUALIFY =
  'A readiness assessment alone does not disqualify a SOC auditor; only designing, implementing or operating your controls does.';

/** One requested framework with what every firm is checked against worked out once. */
export interface PreparedRequest {
  request: RequestedFramework;
  framework: FrameworkId;
  variant: string | undefined;
  isSoc: boolean;
  isIso: boolean;
  /** Whole days of the shortest audit of this framework and variant, to add to a firm's lead time. */
  auditDays: number;
  /** Whole days of the fastest readiness from the buyer's starting point; runs during the lead time. */
  readinessDays: number;
}

/** The scope with its name lists normalised once, so checking thousands of firms stays cheap. */
export interface PreparedScope {
  scope: MatchScope;
  requests: PreparedRequest[];
  today: IsoDate;
  /** Days from today to the buyer's date: timing is checked in whole days, without calendar work per firm. */
  daysToDeadline: number;
  todayDay: number;
  month: string;
  excluded: Set<string>;
  controlsBuiltBy: Set<string>;
  /**
   * Consultancies whose advice is recent enough to bar a linked certification body, by normalised
   * name (and firm id or slug, as a buyer may name a firm): advice that ended before `linkCutoff`
   * no longer counts.
   */
  consultants: Set<string>;
  /** Consultancy links (and consultancy advice) that ended before this date no longer conflict. */
  linkCutoff: IsoDate;
  /** Credentials must last until this date: the report or certificate date, never before today. */
  qualifiedThrough: IsoDate;
}

export function prepareScope(
  scope: MatchScope,
  ctx: MatchContext,
  options: { qualifiedThrough?: IsoDate } = {},
): PreparedScope {
  // Reject malformed dates here rather than comparing garbage strings later.
  const todayDay = dayNumber(ctx.today);
  const linkCutoff = addYears(ctx.today, -CONSULTANCY_COOLING_OFF_YEARS);
  const through = options.qualifiedThrough ?? scope.neededBy;
  return {
    scope,
    requests: scope.frameworks.map((request) => ({
      request,
      framework: request.framework,
      variant: request.variant,
      isSoc: isSocFramework(request.framework),
      isIso: isIsoFramework(request.framework),
      auditDays: leadAndAuditDays(0, request.framework, request.variant),
      readinessDays: readinessDays(request.framework, scope.headcount, scope.startingPoint),
    })),
    today: ctx.today,
    todayDay,
    daysToDeadline: dayNumber(scope.neededBy) - todayDay,
    month: monthOf(ctx.today),
    excluded: nameSet(scope.excludeFirmIds),
    controlsBuiltBy: nameSet(scope.controlsBuiltBy),
    consultants: nameSet(
      scope.managementSystemConsultants
        .filter((c) => c.advisedUntil === undefined || lastDayOfMonth(c.advisedUntil) >= linkCutoff)
        .map((c) => c.name),
    ),
    linkCutoff,
    qualifiedThrough: through > ctx.today ? through : ctx.today,
  };
}

/** '2025-02' → '2025-02-28': advice in a month counts until that month ends. */
function lastDayOfMonth(month: string): IsoDate {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return fromDayNumber(
    dayNumber(`${month.slice(0, 4)}-${month.slice(5, 7)}-01`) +
      new Date(Date.UTC(y, m, 0)).getUTCDate() -
      1,
  );
}

/** Blank entries (an empty form row) must not match a firm's blank field. */
function nameSet(names: readonly string[]): Set<string> {
  return new Set(names.map(normaliseName).filter((n) => n !== ''));
}

export function eligibility(firm: Firm, scope: MatchScope, ctx: MatchContext): Eligibility {
  return checkEligibility(firm, prepareScope(scope, ctx));
}

/** Names the firm by id or slug, as the buyer may have given either. */
function isNamed(firm: Firm, names: Set<string>): boolean {
  return (
    names.size > 0 && (names.has(normaliseName(firm.id)) || names.has(normaliseName(firm.slug)))
  );
}

/**
 * Where the rules report failures: which rule, for which requested framework. Sentences are
 * written afterwards from the same facts (`failureMessage`), and only when someone will read
 * them, so a scan of the whole catalog allocates nothing per firm.
 */
interface FailureSink {
  /** Records a failed rule; true when the firm needs no further checking. */
  fail(code: EligibilityCode, request: PreparedRequest | null): boolean;
}

export function checkEligibility(firm: Firm, p: PreparedScope): Eligibility {
  const failures: EligibilityFailure[] = [];
  checkRules(firm, p, {
    fail(code, request) {
      failures.push({
        code,
        framework: request === null ? null : request.framework,
        message: failureMessage(code, request, firm, p),
      });
      return false;
    },
  });
  return { eligible: failures.length === 0, failures };
}

/**
 * The fastest answer to "may this firm be proposed?": the same rules as `checkEligibility`,
 * stopping at the first one that fails. One tester per match; not meant to be shared.
 */
export function eligibilityTester(p: PreparedScope): (firm: Firm) => boolean {
  const sink = {
    failed: false,
    fail(): boolean {
      sink.failed = true;
      return true;
    },
  };
  return (firm) => {
    sink.failed = false;
    checkRules(firm, p, sink);
    return !sink.failed;
  };
}

/** Bit i set when rule ELIGIBILITY_CODES[i] failed; 0 when eligible. */
export type RuleMask = number;

const RULE_BITS = new Map<EligibilityCode, number>(
  ELIGIBILITY_CODES.map((code, i) => [code, 1 << i]),
);

/**
 * A scanner for explaining a shortfall: every rule each firm failed, without the explanations.
 * One scanner per match; it is not meant to be shared between matches.
 */
export function ruleScanner(p: PreparedScope): (firm: Firm) => RuleMask {
  const sink = {
    mask: 0,
    fail(code: EligibilityCode): boolean {
      sink.mask |= RULE_BITS.get(code) ?? 0;
      return false;
    },
  };
  return (firm) => {
    sink.mask = 0;
    checkRules(firm, p, sink);
    return sink.mask;
  };
}

export function rulesInMask(mask: RuleMask): EligibilityCode[] {
  return ELIGIBILITY_CODES.filter((_, i) => (mask & (1 << i)) !== 0);
}

/** Every hard rule, in reporting order; the sink may stop the walk at the first failure. */
function checkRules(firm: Firm, p: PreparedScope, sink: FailureSink): void {
  if (firm.status !== 'active' && sink.fail('firm-not-active', null)) return;
  if (!firm.regions.includes(p.scope.region) && sink.fail('region-not-served', null)) return;
  if (isNamed(firm, p.excluded) && sink.fail('excluded-by-buyer', null)) return;
  for (const request of p.requests) {
    if (checkFramework(firm, request, p, sink)) return;
  }
}

function serviceFor(firm: Firm, framework: FrameworkId): FirmService | undefined {
  for (const service of firm.services) if (service.framework === framework) return service;
  return undefined;
}

/** True when the sink asked to stop. */
function checkFramework(
  firm: Firm,
  request: PreparedRequest,
  p: PreparedScope,
  sink: FailureSink,
): boolean {
  const service = serviceFor(firm, request.framework);
  if (!service) {
    // Credentials for work the firm does not offer are beside the point; say only that.
    if (sink.fail('framework-not-offered', request)) return true;
  } else {
    if (checkService(service, request, p, sink)) return true;
    if (
      !isQualified(firm, request.framework, p.today, p.qualifiedThrough) &&
      sink.fail('no-qualifying-credential', request)
    ) {
      return true;
    }
  }
  // Conflicts are checked even without a service: a conflicted firm must never surface, not even as a partial fit.
  if (
    request.isSoc &&
    isNamed(firm, p.controlsBuiltBy) &&
    sink.fail('soc-independence-conflict', request)
  ) {
    return true;
  }
  if (request.isIso && isoConflict(firm, p) && sink.fail('iso-impartiality-conflict', request)) {
    return true;
  }
  return false;
}

/** True when the sink asked to stop. */
function checkService(
  service: FirmService,
  request: PreparedRequest,
  p: PreparedScope,
  sink: FailureSink,
): boolean {
  const { variant } = request;
  if (
    variant !== undefined &&
    !service.variants.includes(variant) &&
    sink.fail('variant-not-offered', request)
  ) {
    return true;
  }
  if (isPaused(service, p.today) && sink.fail('service-paused', request)) return true;
  if (capacityLeft(service, p.month) <= 0 && sink.fail('capacity-full', request)) return true;
  if (
    leadAndAuditDaysFor(service, request) > p.daysToDeadline &&
    sink.fail('cannot-start-in-time', request)
  ) {
    return true;
  }
  return false;
}

function leadAndAuditDaysFor(service: FirmService, request: PreparedRequest): number {
  return daysToFinish(weeksToDays(service.leadTimeWeeks), request.readinessDays, request.auditDays);
}

/**
 * The firm's tie to one of the buyer's management-system consultants that is recent enough to
 * conflict (ISO/IEC 17021-1 impartiality), if any.
 */
export function conflictingLink(firm: Firm, p: PreparedScope): ConsultancyLink | undefined {
  if (p.consultants.size === 0) return undefined;
  return firm.consultancyLinks.find(
    (l) =>
      p.consultants.has(normaliseName(l.consultancy)) &&
      (l.endedOn === null || l.endedOn >= p.linkCutoff),
  );
}

/** The buyer named this certification body itself as the consultancy that built its system. */
function isNamedConsultant(firm: Firm, p: PreparedScope): boolean {
  return isNamed(firm, p.consultants) || p.consultants.has(normaliseName(firm.name));
}

/**
 * ISO/IEC 17021-1 impartiality: the body advised on the buyer's system itself, or is linked to a
 * consultancy that did, within the cooling-off period.
 */
export function isoConflict(firm: Firm, p: PreparedScope): boolean {
  return (
    p.consultants.size > 0 && (isNamedConsultant(firm, p) || conflictingLink(firm, p) !== undefined)
  );
}

/** One plain sentence for a failed rule, from the facts the rule looked at. */
function failureMessage(
  code: EligibilityCode,
  request: PreparedRequest | null,
  firm: Firm,
  p: PreparedScope,
): string {
  if (request === null) {
    if (code === 'firm-not-active') return `Not active on Auditmatch (${firm.status})`;
    if (code === 'region-not-served') return `Does not serve ${REGION_LABELS[p.scope.region]}`;
    return 'You asked not to be introduced to this firm';
  }
  const { framework, variant } = request;
  const name = FRAMEWORK_SHORT_NAMES[framework];
  // Rules about the service only fail when the firm offers it.
  const service = serviceFor(firm, framework) as FirmService;
  switch (code) {
    case 'framework-not-offered':
      return `Does not offer ${name}`;
    case 'variant-not-offered':
      return `Does not perform ${auditLabel(framework, variant)}`;
    case 'service-paused': {
      const until = service.pausedUntil ? ` until ${longDate(service.pausedUntil, p.today)}` : '';
      return `Has paused new ${name} work${until}`;
    }
    case 'capacity-full':
      return `No ${name} capacity left in ${longMonth(p.month)}`;
    case 'cannot-start-in-time': {
      const finish = fromDayNumber(p.todayDay + leadAndAuditDaysFor(service, request));
      const minimum = minimumAuditWeeks(framework, variant);
      const readyWeeks = Math.round(request.readinessDays / 7);
      const wait =
        readyWeeks > service.leadTimeWeeks
          ? `at least ${readyWeeks} weeks of readiness from where you start`
          : `${service.leadTimeWeeks} weeks before it can start`;
      return (
        `Cannot deliver ${auditLabel(framework, variant)} by ${longDate(p.scope.neededBy, p.today)}: ` +
        `${wait} plus at least ${minimum} weeks of audit means ${longDate(finish, p.today)} at the earliest`
      );
    }
    case 'no-qualifying-credential':
      return `Not qualified for ${name}: ${qualification(firm, framework, p.today, p.qualifiedThrough).problem}`;
    case 'soc-independence-conflict':
      return `Designed, implemented or operates your controls, so it cannot be your ${name} auditor. ${READINESS_DOES_NOT_DISQUALIFY}`;
    default: {
      if (isNamedConsultant(firm, p)) {
        return `You named ${firm.name} as a consultancy that helped build your management system: ISO/IEC 17021-1 bars it from certifying your ${name} system within ${CONSULTANCY_COOLING_OFF_YEARS} years of that advice`;
      }
      const link = conflictingLink(firm, p) as ConsultancyLink;
      const when =
        link.endedOn === null || link.endedOn >= p.today
          ? 'is linked to'
          : `was linked until ${longDate(link.endedOn, p.today)} to`;
      return `${firm.name} ${when} ${link.consultancy}, your management-system consultant: ISO/IEC 17021-1 bars it from certifying your ${name} system within ${CONSULTANCY_COOLING_OFF_YEARS} years of that link`;
    }
  }
}

/** A pause ends by itself once its end date has passed; a pause without an end date holds. */
export function isPaused(
  service: Pick<FirmService, 'paused' | 'pausedUntil'>,
  today: IsoDate,
): boolean {
  return service.paused && (service.pausedUntil === null || service.pausedUntil >= today);
}

/** Counters belong to one month: in any other month the firm's whole capacity is free again. */
export function capacityLeft(
  service: Pick<FirmService, 'monthlyCapacity' | 'capacityUsed' | 'capacityMonth'>,
  month: string,
): number {
  const used = service.capacityMonth === month ? service.capacityUsed : 0;
  return service.monthlyCapacity - used;
}
