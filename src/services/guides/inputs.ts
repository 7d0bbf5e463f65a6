import { z } from 'zod';
import type {
  AdvisorAi,
  CompanyStage,
  CustomerKind,
  HeldFramework,
  Market,
} from '../../domain/advisor';
import type { Holdings } from '../../domain/crosswalk';
import { EXISTING_PROGRAMS } from '../../domain/estimate';
import {
  FRAMEWORK_IDS,
  type FrameworkId,
  FRAMEWORK_SHORT_NAMES,
  TSC_CATEGORIES,
} from '../../domain/vocabulary';

/**
 * The guide inputs (advisor, estimator, overlap map), one Zod schema each. The JSON API
 * validates bodies with them as they are; the HTML forms gather their query strings into the
 * same shape first, so a form and the API can never disagree about what is valid.
 */

// ---- Closed sets the advisor asks about, with the words the form shows. ----

/** A Record over the domain's union type: adding a kind there fails the build here. */
export const CUSTOMER_LABELS: Record<CustomerKind, string> = {
  smb: 'Small and mid-sized businesses',
  enterprise: 'Large enterprises',
  regulated: 'Regulated buyers (finance, health, insurance)',
  'public-sector': 'Government and public sector',
  defense: 'US defence contractors and their suppliers',
};
export const MARKET_LABELS: Record<Market, string> = {
  us: 'United States',
  eu: 'European Union',
  uk: 'United Kingdom',
  other: 'Elsewhere',
};
export const HELD_LABELS: Record<HeldFramework, string> = {
  soc2: FRAMEWORK_SHORT_NAMES.soc2,
  iso27001: `${FRAMEWORK_SHORT_NAMES.iso27001}:2022`,
  'iso27001-2013': `${FRAMEWORK_SHORT_NAMES.iso27001}:2013 (old edition)`,
  iso42001: FRAMEWORK_SHORT_NAMES.iso42001,
  iso27701: FRAMEWORK_SHORT_NAMES.iso27701,
  hipaa: FRAMEWORK_SHORT_NAMES.hipaa,
  'pci-dss': FRAMEWORK_SHORT_NAMES['pci-dss'],
};
export const STAGE_LABELS: Record<CompanyStage, string> = {
  'pre-revenue': 'Not selling yet (no revenue)',
  'early-revenue': 'First customers (under about $1m a year)',
  scaling: 'Growing (about $1m–$20m a year)',
  established: 'Established (over about $20m a year)',
};
export const AI_USE_LABELS: Record<AdvisorAi, string> = {
  none: 'No AI, in the product or in how we work',
  internal: 'We use AI tools inside the company, not in the product',
  'uses-ai': 'AI is one feature of the product (our own or a supplier’s model)',
  'ai-is-the-product': 'AI is the product: we build or train it',
};
export const ASKED_FOR_LABELS: Partial<Record<FrameworkId, string>> = Object.fromEntries(
  FRAMEWORK_IDS.map((f) => [f, FRAMEWORK_SHORT_NAMES[f]]),
);
export const COMPANY_STAGES_ADVISOR = Object.keys(STAGE_LABELS) as CompanyStage[];
export const AI_USES = Object.keys(AI_USE_LABELS) as AdvisorAi[];
export const CUSTOMER_KINDS = Object.keys(CUSTOMER_LABELS) as CustomerKind[];
export const MARKETS = Object.keys(MARKET_LABELS) as Market[];
export const HELD_FRAMEWORKS = Object.keys(HELD_LABELS) as HeldFramework[];

export const ESTIMATE_FRAMEWORKS = ['soc2', 'iso42001', 'iso27001'] as const;
export const SOC_VARIANTS = ['type1', 'type2'] as const;
export const WINDOW_MONTHS = [3, 6, 9, 12] as const;
export const CROSSWALK_FROM = ['soc2', 'iso27001'] as const;

const distinct = <T>(list: readonly T[]) => new Set(list).size === list.length;

const flag = (what: string) => z.boolean(`${what} must be true or false`).default(false);

/** A count people type: whole, at least one, and bounded so nothing downstream overflows. */
const count = (what: string, max: number) =>
  z
    .number({
      error: (i) => (i.input === undefined ? `enter the number of ${what}` : 'must be a number'),
    })
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max.toLocaleString('en-US')}`)
    .int('must be a whole number');

export const AdvisorInputSchema = z
  .object({
    aiExposure: z.enum(AI_USES, 'choose how your company uses AI'),
    stage: z.enum(COMPANY_STAGES_ADVISOR, 'choose your stage from the list').optional(),
    askedFor: z
      .array(z.enum(FRAMEWORK_IDS, 'choose frameworks from the list'))
      .max(FRAMEWORK_IDS.length)
      .refine(distinct, 'list each framework once')
      .default([]),
    customers: z
      .array(z.enum(CUSTOMER_KINDS, 'choose customer kinds from the list'))
      .max(CUSTOMER_KINDS.length)
      .refine(distinct, 'list each kind of customer once')
      .default([]),
    markets: z
      .array(z.enum(MARKETS, 'choose markets from the list'))
      .max(MARKETS.length)
      .refine(distinct, 'list each market once')
      .default([]),
    healthData: flag('healthData'),
    cardData: flag('cardData'),
    personalDataAtScale: flag('personalDataAtScale'),
    holds: z
      .array(z.enum(HELD_FRAMEWORKS, 'choose frameworks from the list'))
      .max(HELD_FRAMEWORKS.length)
      .refine(distinct, 'list each framework once')
      .default([]),
  })
  .strict();
export type AdvisorInput = z.infer<typeof AdvisorInputSchema>;

export const EstimateInputSchema = z
  .object({
    framework: z.enum(ESTIMATE_FRAMEWORKS, 'choose SOC 2, ISO/IEC 42001 or ISO/IEC 27001'),
    variant: z.enum(SOC_VARIANTS, 'choose Type I or Type II').optional(),
    windowMonths: z
      .number('must be a number of months')
      .min(3, 'must be at least 3 months')
      .max(12, 'must be at most 12 months')
      .int('must be a whole number of months')
      .optional(),
    categories: z
      .array(z.enum(TSC_CATEGORIES, 'choose Trust Services Categories from the list'))
      .max(TSC_CATEGORIES.length)
      .refine(distinct, 'list each category once')
      .optional(),
    headcount: count('people in scope', 1_000_000),
    systems: count('systems in scope', 10_000),
    locations: count('locations', 10_000),
    existingProgram: z
      .enum(EXISTING_PROGRAMS, 'choose an existing program from the list')
      .default('none'),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.framework === 'soc2') {
      if (input.windowMonths !== undefined && input.variant === 'type1') {
        ctx.addIssue({
          code: 'custom',
          path: ['windowMonths'],
          message: 'a Type I report has no observation window',
        });
      }
      return;
    }
    for (const field of ['variant', 'windowMonths', 'categories'] as const) {
      if (input[field] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'applies to SOC 2 only' });
      }
    }
  });
export type EstimateRequest = z.infer<typeof EstimateInputSchema>;

/** `?from=soc2&to=iso42001&have=security,confidentiality`: lists arrive comma-separated. */
export const CrosswalkQuerySchema = z
  .object({
    from: z
      .array(z.enum(CROSSWALK_FROM, 'must be soc2, iso27001 or both (comma-separated)'))
      .min(1, 'name what you hold: soc2, iso27001 or both')
      .refine(distinct, 'list each framework once'),
    to: z.enum(['iso42001'], 'only iso42001 is mapped so far').default('iso42001'),
    have: z
      .array(z.enum(TSC_CATEGORIES, 'must be Trust Services Categories (comma-separated)'))
      .max(TSC_CATEGORIES.length)
      .refine(distinct, 'list each category once')
      .default([]),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.have.length > 0 && !q.from.includes('soc2')) {
      ctx.addIssue({
        code: 'custom',
        path: ['have'],
        message: 'categories apply only when from includes soc2',
      });
    }
  });
export type CrosswalkQuery = z.infer<typeof CrosswalkQuerySchema>;

export function holdingsOf(q: Pick<CrosswalkQuery, 'from' | 'have'>): Holdings {
  return {
    ...(q.from.includes('soc2') ? { soc2: q.have.filter((c) => c !== 'security') } : {}),
    iso27001: q.from.includes('iso27001'),
  };
}

/** Query values are strings or, when repeated, arrays; a list may also be comma-separated. */
function listParam(value: unknown): unknown {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) =>
    typeof v === 'string' ? v.split(',') : [v],
  );
  return parts.map((p) => (typeof p === 'string' ? p.trim() : p)).filter((p) => p !== '');
}

export function gatherCrosswalkQuery(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...query };
  for (const key of ['from', 'have'] as const) {
    if (key in query) out[key] = listParam(query[key]);
  }
  if (!('from' in query)) out.from = [];
  return out;
}
