import type { FrameworkId } from '../vocabulary';
import { addDays, type IsoDate } from './dates';

/**
 * The shortest realistic audit, from the start of fieldwork to the report or certificate, for
 * the "can it be done by the buyer's date" rule. These are deliberately minimums: the rule
 * only removes firms that cannot make the date even on the fastest path, and the estimator
 * (not the matcher) shows typical durations.
 */

/** SOC Type 1: controls as of one date, so fieldwork on design plus writing the report. */
export const SOC_TYPE1_WEEKS = 6;
/**
 * SOC Type 2: the AICPA sets no minimum observation window; 3 months (13 weeks) is the
 * shortest window firms commonly accept for a first report (many ask for 6–12).
 */
export const SOC_MIN_OBSERVATION_WEEKS = 13;
/** Testing the window's evidence and issuing the report once the window closes. */
export const SOC_REPORT_WEEKS = 6;
export const SOC_TYPE2_WEEKS = SOC_MIN_OBSERVATION_WEEKS + SOC_REPORT_WEEKS;
/** ISO certification: stage 1 (documentation review), the gap before stage 2, stage 2, decision. */
export const ISO_CERTIFICATION_WEEKS = 8;
/** HIPAA: a third-party assessment against the Security Rule, no certificate to issue. */
export const HIPAA_ASSESSMENT_WEEKS = 4;
/** PCI DSS Report on Compliance by a QSA: onsite assessment plus the ROC and attestation. */
export const PCI_ROC_WEEKS = 8;
/** PCI DSS self-assessment questionnaire completed with a QSA's help. */
export const PCI_SAQ_WEEKS = 3;
/** HITRUST: validated assessment plus HITRUST's own quality-assurance review before it certifies. */
export const HITRUST_E1_WEEKS = 8;
export const HITRUST_I1_WEEKS = 12;
export const HITRUST_R2_WEEKS = 16;

interface AuditDuration {
  /** Used when the buyer names no variant: the quickest path the framework allows. */
  anyVariant: number;
  variants: Record<string, number>;
}

export const MINIMUM_AUDIT_WEEKS: Record<FrameworkId, AuditDuration> = {
  soc2: {
    anyVariant: SOC_TYPE1_WEEKS,
    variants: { type1: SOC_TYPE1_WEEKS, type2: SOC_TYPE2_WEEKS },
  },
  soc1: {
    anyVariant: SOC_TYPE1_WEEKS,
    variants: { type1: SOC_TYPE1_WEEKS, type2: SOC_TYPE2_WEEKS },
  },
  iso27001: { anyVariant: ISO_CERTIFICATION_WEEKS, variants: {} },
  iso42001: { anyVariant: ISO_CERTIFICATION_WEEKS, variants: {} },
  iso27701: { anyVariant: ISO_CERTIFICATION_WEEKS, variants: {} },
  hipaa: { anyVariant: HIPAA_ASSESSMENT_WEEKS, variants: {} },
  'pci-dss': { anyVariant: PCI_SAQ_WEEKS, variants: { roc: PCI_ROC_WEEKS, saq: PCI_SAQ_WEEKS } },
  hitrust: {
    anyVariant: HITRUST_E1_WEEKS,
    variants: { e1: HITRUST_E1_WEEKS, i1: HITRUST_I1_WEEKS, r2: HITRUST_R2_WEEKS },
  },
};

export function minimumAuditWeeks(framework: FrameworkId, variant?: string): number {
  const duration = MINIMUM_AUDIT_WEEKS[framework];
  // A variant we hold no figure for (e.g. an ISO edition) takes the framework's own minimum.
  return (variant !== undefined ? duration.variants[variant] : undefined) ?? duration.anyVariant;
}

/** The first day fieldwork can start with a firm whose lead time is `leadTimeWeeks`. */
export function earliestStart(today: IsoDate, leadTimeWeeks: number): IsoDate {
  return addDays(today, weeksToDays(leadTimeWeeks));
}

/** Days from today until the report or certificate, on the fastest path. */
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
