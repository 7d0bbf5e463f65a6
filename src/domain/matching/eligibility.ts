import type { Firm, FirmService } from '../firm';
import { FRAMEWORK_SHORT_NAMES, type FrameworkId, REGION_LABELS } from '../vocabulary';
import { addYears, dayNumber, type IsoDate, longDate, longMonth, monthOf } from './dates';
import { auditLabel } from './labels';
import { qualification } from './qualification';
import {
  isIsoFramework,
  isSocFramework,
  type MatchContext,
  type MatchScope,
  normaliseName,
  type RequestedFramework,
} from './scope';
import { earliestFinish, minimumAuditWeeks } from './timeline';

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
  month: string;
  excluded: Set<string>;
  controlsBuiltBy: Set<string>;
  consultants: Set<string>;
  /** Consultancy links that ended before this date no longer conflict. */
  linkCutoff: IsoDate;
}

export function prepareScope(scope: MatchScope, ctx: MatchContext): PreparedScope {
  // Reject malformed dates here rather than comparing garbage strings later.
  dayNumber(ctx.today);
  dayNumber(scope.neededBy);
  return {
    scope,
    today: ctx.today,
    month: monthOf(ctx.today),
    excluded: new Set(scope.excludeFirmIds.map(normaliseName)),
    controlsBuiltBy: new Set(scope.controlsBuiltBy.map(normaliseName)),
    consultants: new Set(scope.managementSystemConsultants.map(normaliseName)),
    linkCutoff: addYears(ctx.today, -CONSULTANCY_COOLING_OFF_YEARS),
  };
}

export function eligibility(firm: Firm, scope: MatchScope, ctx: MatchContext): Eligibility {
  return checkEligibility(firm, prepareScope(scope, ctx));
}

/** Names the firm by id or slug, as the buyer may have given either. */
function isNamed(firm: Firm, names: Set<string>): boolean {
  return names.has(normaliseName(firm.id)) || names.has(normaliseName(firm.slug));
}

export function checkEligibility(firm: Firm, p: PreparedScope): Eligibility {
  const failures: EligibilityFailure[] = [];
  const fail = (code: EligibilityCode, framework: FrameworkId | null, message: string) =>
    failures.push({ code, framework, message });

  if (firm.status !== 'active') {
    fail('firm-not-active', null, `Not active on Auditmatch (${firm.status})`);
  }
  if (!firm.regions.includes(p.scope.region)) {
    fail('region-not-served', null, `Does not serve ${REGION_LABELS[p.scope.region]}`);
  }
  if (isNamed(firm, p.excluded)) {
    fail('excluded-by-buyer', null, 'You asked not to be introduced to this firm');
  }
  for (const request of p.scope.frameworks) {
    checkFramework(firm, request, p, fail);
  }
  return { eligible: failures.length === 0, failures };
}

type Fail = (code: EligibilityCode, framework: FrameworkId | null, message: string) => void;

function checkFramework(firm: Firm, request: RequestedFramework, p: PreparedScope, fail: Fail) {
  const { framework } = request;
  const name = FRAMEWORK_SHORT_NAMES[framework];
  const service = firm.services.find((s) => s.framework === framework);
  if (!service) {
    // Credentials for work the firm does not offer are beside the point; say only that.
    fail('framework-not-offered', framework, `Does not offer ${name}`);
  } else {
    checkService(service, request, p, fail);
    const qualified = qualification(firm, framework, p.today);
    if (!qualified.qualified) {
      fail(
        'no-qualifying-credential',
        framework,
        `Not qualified for ${name}: ${qualified.problem}`,
      );
    }
  }

  // Conflicts are checked even without a service: a conflicted firm must never surface, not even as a partial fit.

  if (isSocFramework(framework) && isNamed(firm, p.controlsBuiltBy)) {
    fail(
      'soc-independence-conflict',
      framework,
      `Designed, implemented or operates your controls, so it cannot be your ${name} auditor. ${READINESS_DOES_NOT_DISQUALIFY}`,
    );
  }
  if (isIsoFramework(framework)) {
    const link = firm.consultancyLinks.find(
      (l) =>
        p.consultants.has(normaliseName(l.consultancy)) &&
        (l.endedOn === null || l.endedOn >= p.linkCutoff),
    );
    if (link) {
      const when =
        link.endedOn === null || link.endedOn >= p.today
          ? 'is linked to'
          : `was linked until ${longDate(link.endedOn, p.today)} to`;
      fail(
        'iso-impartiality-conflict',
        framework,
        `${firm.name} ${when} ${link.consultancy}, your management-system consultant: ISO/IEC 17021-1 bars it from certifying your ${name} system within ${CONSULTANCY_COOLING_OFF_YEARS} years of that link`,
      );
    }
  }
}

function checkService(
  service: FirmService,
  request: RequestedFramework,
  p: PreparedScope,
  fail: Fail,
) {
  const { framework, variant } = request;
  const name = FRAMEWORK_SHORT_NAMES[framework];
  if (variant !== undefined && !service.variants.includes(variant)) {
    fail('variant-not-offered', framework, `Does not perform ${auditLabel(framework, variant)}`);
  }
  if (isPaused(service, p.today)) {
    const until = service.pausedUntil ? ` until ${longDate(service.pausedUntil, p.today)}` : '';
    fail('service-paused', framework, `Has paused new ${name} work${until}`);
  }
  if (capacityLeft(service, p.month) <= 0) {
    fail('capacity-full', framework, `No ${name} capacity left in ${longMonth(p.month)}`);
  }
  const finish = earliestFinish(p.today, service.leadTimeWeeks, framework, variant);
  if (finish > p.scope.neededBy) {
    const minimum = minimumAuditWeeks(framework, variant);
    fail(
      'cannot-start-in-time',
      framework,
      `Cannot deliver ${auditLabel(framework, variant)} by ${longDate(p.scope.neededBy, p.today)}: ` +
        `${service.leadTimeWeeks} weeks before it can start plus at least ${minimum} weeks of audit means ${longDate(finish, p.today)} at the earliest`,
    );
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
