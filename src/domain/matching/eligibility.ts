import type { Firm, FirmService } from '../firm';
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
import { leadAndAuditDays, minimumAuditWeeks } from './timeline';

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

/** The scope with its name lists normalised once, so checking thousands of firms stays cheap. */
export interface PreparedScope {
  scope: MatchScope;
  today: IsoDate;
  /** Days from today to the buyer's date: timing is checked in whole days, without calendar work per firm. */
  daysToDeadline: number;
  todayDay: number;
  month: string;
  excluded: Set<string>;
  controlsBuiltBy: Set<string>;
  consultants: Set<string>;
  /** Consultancy links that ended before this date no longer conflict. */
  linkCutoff: IsoDate;
}

export function prepareScope(scope: MatchScope, ctx: MatchContext): PreparedScope {
  // Reject malformed dates here rather than comparing garbage strings later.
  const todayDay = dayNumber(ctx.today);
  return {
    scope,
    today: ctx.today,
    todayDay,
    daysToDeadline: dayNumber(scope.neededBy) - todayDay,
    month: monthOf(ctx.today),
    excluded: nameSet(scope.excludeFirmIds),
    controlsBuiltBy: nameSet(scope.controlsBuiltBy),
    consultants: nameSet(scope.managementSystemConsultants),
    linkCutoff: addYears(ctx.today, -CONSULTANCY_COOLING_OFF_YEARS),
  };
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
 * Where the rules report failures. Messages come as thunks so a scan of the whole catalog
 * (which only needs to know which rules failed) never spends time writing sentences.
 */
interface FailureSink {
  fail(code: EligibilityCode, framework: FrameworkId | null, message: () => string): void;
}

export function checkEligibility(firm: Firm, p: PreparedScope): Eligibility {
  const failures: EligibilityFailure[] = [];
  checkRules(firm, p, {
    fail(code, framework, message) {
      failures.push({ code, framework, message: message() });
    },
  });
  return { eligible: failures.length === 0, failures };
}

/** Bit i set when rule ELIGIBILITY_CODES[i] failed; 0 when eligible. */
export type RuleMask = number;

/**
 * A fast scanner for matching a whole catalog: which rules each firm failed, without the
 * explanations. One scanner per match; it is not meant to be shared between matches.
 */
export function ruleScanner(p: PreparedScope): (firm: Firm) => RuleMask {
  const sink = {
    mask: 0,
    fail(code: EligibilityCode) {
      sink.mask |= 1 << ELIGIBILITY_CODES.indexOf(code);
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

function checkRules(firm: Firm, p: PreparedScope, sink: FailureSink): void {
  if (firm.status !== 'active') {
    sink.fail('firm-not-active', null, () => `Not active on Auditmatch (${firm.status})`);
  }
  if (!firm.regions.includes(p.scope.region)) {
    sink.fail('region-not-served', null, () => `Does not serve ${REGION_LABELS[p.scope.region]}`);
  }
  if (isNamed(firm, p.excluded)) {
    sink.fail('excluded-by-buyer', null, () => 'You asked not to be introduced to this firm');
  }
  for (const request of p.scope.frameworks) {
    checkFramework(firm, request, p, sink);
  }
}

function checkFramework(
  firm: Firm,
  request: RequestedFramework,
  p: PreparedScope,
  sink: FailureSink,
): void {
  const { framework } = request;
  const name = FRAMEWORK_SHORT_NAMES[framework];
  const service = firm.services.find((s) => s.framework === framework);
  if (!service) {
    // Credentials for work the firm does not offer are beside the point; say only that.
    sink.fail('framework-not-offered', framework, () => `Does not offer ${name}`);
  } else {
    checkService(service, request, p, sink);
    if (!isQualified(firm, framework, p.today)) {
      sink.fail(
        'no-qualifying-credential',
        framework,
        () => `Not qualified for ${name}: ${qualification(firm, framework, p.today).problem}`,
      );
    }
  }

  // Conflicts are checked even without a service: a conflicted firm must never surface, not even as a partial fit.
  if (isSocFramework(framework) && isNamed(firm, p.controlsBuiltBy)) {
    sink.fail(
      'soc-independence-conflict',
      framework,
      () =>
        `Designed, implemented or operates your controls, so it cannot be your ${name} auditor. ${READINESS_DOES_NOT_DISQUALIFY}`,
    );
  }
  if (isIsoFramework(framework) && p.consultants.size > 0) {
    const link = firm.consultancyLinks.find(
      (l) =>
        p.consultants.has(normaliseName(l.consultancy)) &&
        (l.endedOn === null || l.endedOn >= p.linkCutoff),
    );
    if (link) {
      sink.fail('iso-impartiality-conflict', framework, () => {
        const when =
          link.endedOn === null || link.endedOn >= p.today
            ? 'is linked to'
            : `was linked until ${longDate(link.endedOn, p.today)} to`;
        return `${firm.name} ${when} ${link.consultancy}, your management-system consultant: ISO/IEC 17021-1 bars it from certifying your ${name} system within ${CONSULTANCY_COOLING_OFF_YEARS} years of that link`;
      });
    }
  }
}

function checkService(
  service: FirmService,
  request: RequestedFramework,
  p: PreparedScope,
  sink: FailureSink,
): void {
  const { framework, variant } = request;
  const name = FRAMEWORK_SHORT_NAMES[framework];
  if (variant !== undefined && !service.variants.includes(variant)) {
    sink.fail(
      'variant-not-offered',
      framework,
      () => `Does not perform ${auditLabel(framework, variant)}`,
    );
  }
  if (isPaused(service, p.today)) {
    sink.fail('service-paused', framework, () => {
      const until = service.pausedUntil ? ` until ${longDate(service.pausedUntil, p.today)}` : '';
      return `Has paused new ${name} work${until}`;
    });
  }
  if (capacityLeft(service, p.month) <= 0) {
    sink.fail(
      'capacity-full',
      framework,
      () => `No ${name} capacity left in ${longMonth(p.month)}`,
    );
  }
  const days = leadAndAuditDays(service.leadTimeWeeks, framework, variant);
  if (days > p.daysToDeadline) {
    sink.fail('cannot-start-in-time', framework, () => {
      const finish = fromDayNumber(p.todayDay + days);
      const minimum = minimumAuditWeeks(framework, variant);
      return (
        `Cannot deliver ${auditLabel(framework, variant)} by ${longDate(p.scope.neededBy, p.today)}: ` +
        `${service.leadTimeWeeks} weeks before it can start plus at least ${minimum} weeks of audit means ${longDate(finish, p.today)} at the earliest`
      );
    });
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
