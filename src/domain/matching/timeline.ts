import { FRAMEWORK_VARIANTS } from '../frameworks';
import { minimumAuditWeeks as modelAuditWeeks, minimumReadinessWeeks } from '../timeline';
import { FRAMEWORK_IDS, type FrameworkId, type StartingPoint } from '../vocabulary';
import { addDays, type IsoDate } from './dates';

/**
 * The matcher's view of the timeline model (src/domain/timeline): the shortest realistic audit
 * and readiness, so "can it be done by the buyer's date" agrees with the estimator's fastest
 * path. These are minimums: the rule only removes firms that cannot make the date even on the
 * fastest path; the estimator shows typical durations.
 */

/** SOC Type 1: fieldwork on design plus writing the report. */
export const SOC_TYPE1_WEEKS = modelAuditWeeks('soc2', 'type1');
/** SOC Type 2: the shortest usual window (3 months; the AICPA sets none) plus testing and report. */
export const SOC_TYPE2_WEEKS = modelAuditWeeks('soc2', 'type2');
export const SOC_MIN_OBSERVATION_WEEKS = SOC_TYPE2_WEEKS - SOC_TYPE1_WEEKS;
export const SOC_REPORT_WEEKS = SOC_TYPE1_WEEKS;
/** ISO certification: stage 1, the gap before stage 2, stage 2, decision. */
export const ISO_CERTIFICATION_WEEKS = modelAuditWeeks('iso27001');
export const HIPAA_ASSESSMENT_WEEKS = modelAuditWeeks('hipaa');
export const PCI_ROC_WEEKS = modelAuditWeeks('pci-dss', 'roc');
export const PCI_SAQ_WEEKS = modelAuditWeeks('pci-dss', 'saq');
export const HITRUST_E1_WEEKS = modelAuditWeeks('hitrust', 'e1');
export const HITRUST_I1_WEEKS = modelAuditWeeks('hitrust', 'i1');
export const HITRUST_R2_WEEKS = modelAuditWeeks('hitrust', 'r2');

interface AuditDuration {
  /** Used when the buyer names no variant: the quickest path the framework allows. */
  anyVariant: number;
  variants: Record<string, number>;
}

export const MINIMUM_AUDIT_WEEKS = Object.fromEntries(
  FRAMEWORK_IDS.map((f) => [
    f,
    {
      anyVariant: modelAuditWeeks(f),
      variants: Object.fromEntries(FRAMEWORK_VARIANTS[f].map((v) => [v, modelAuditWeeks(f, v)])),
    },
  ]),
) as Record<FrameworkId, AuditDuration>;

export function minimumAuditWeeks(framework: FrameworkId, variant?: string): number {
  const duration = MINIMUM_AUDIT_WEEKS[framework];
  // A variant we hold no figure for (e.g. an ISO edition) takes the framework's own minimum.
  return (variant !== undefined ? duration.variants[variant] : undefined) ?? duration.anyVariant;
}

/** Whole days of the fastest readiness before the audit can start, from the buyer's starting point. */
export function readinessDays(
  framework: FrameworkId,
  headcount: number,
  startingPoint: StartingPoint | undefined,
): number {
  return weeksToDays(minimumReadinessWeeks(framework, headcount, startingPoint));
}

/**
 * Fieldwork starts once the firm is free and the buyer is ready: the two waits run side by
 * side, so the later of them counts, then the audit.
 */
export function daysToFinish(leadDays: number, readyDays: number, auditDays: number): number {
  return Math.max(leadDays, readyDays) + auditDays;
}

/** The first day fieldwork can start with a firm whose lead time is `leadTimeWeeks`. */
export function earliestStart(today: IsoDate, leadTimeWeeks: number): IsoDate {
  return addDays(today, weeksToDays(leadTimeWeeks));
}

/** Days from today until the report or certificate, on the fastest path, for a buyer ready now. */
export function leadAndAuditDays(
  leadTimeWeeks: number,
  framework: FrameworkId,
  variant?: string,
): number {
  return weeksToDays(leadTimeWeeks) + weeksToDays(minimumAuditWeeks(framework, variant));
}

/** The earliest the report or certificate can be in the buyer's hands. */
export function earliestFinish(
  today: IsoDate,
  leadTimeWeeks: number,
  framework: FrameworkId,
  variant?: string,
): IsoDate {
  return addDays(today, leadAndAuditDays(leadTimeWeeks, framework, variant));
}

/** Whole days in `weeks` (negative counts as none), as every timing rule rounds them. */
export function weeksToDays(weeks: number): number {
  return Math.round(Math.max(0, weeks) * 7);
}
