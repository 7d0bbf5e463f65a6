import { FRAMEWORK_VARIANTS } from '../../domain/frameworks';
import { z } from 'zod';
import {
  AI_EXPOSURES,
  BUDGET_BANDS,
  COMPANY_STAGES,
  FRAMEWORK_IDS,
  INDUSTRIES,
  DEFAULT_STARTING_POINT,
  REGIONS,
  STARTING_POINTS,
  TSC_CATEGORIES,
} from '../../domain/vocabulary';
import { plainText } from '../../domain/text';

/**
 * The buyer's scope and contact: one schema each, used by the HTML forms (after the form
 * fields are gathered into the same shape) and by the JSON API.
 */

export const RequestedFrameworkSchema = z
  .object({
    framework: z.enum(FRAMEWORK_IDS, 'must be one of the listed frameworks'),
    variant: z.string().max(10).optional(),
    categories: z
      .array(z.enum(TSC_CATEGORIES, 'must be a Trust Services Category'))
      .max(5)
      .optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const allowed = FRAMEWORK_VARIANTS[f.framework];
    if (f.variant !== undefined && !allowed.includes(f.variant)) {
      ctx.addIssue({
        code: 'custom',
        path: ['variant'],
        message: allowed.length
          ? `must be one of ${allowed.join(', ')}`
          : 'this framework has no variants',
      });
    }
    if (f.categories && f.framework !== 'soc2') {
      ctx.addIssue({
        code: 'custom',
        path: ['categories'],
        message: 'only SOC 2 has Trust Services Categories',
      });
    }
  });

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
      new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'must be a real calendar date',
  );

const nameList = z.array(plainText(120).pipe(z.string().min(1))).max(20, 'list at most 20 names');

const consultancyName = plainText(120).pipe(z.string().min(1, 'enter the consultancy name'));
/**
 * A consultancy that helped build the buyer's management system, with the month its advice
 * ended when known (the impartiality window runs from there). A bare name is accepted too, as
 * requests stored before the month was asked for hold them.
 */
export const ConsultantSchema = z.union([
  consultancyName.transform((name): { name: string; advisedUntil?: string } => ({ name })),
  z
    .object({
      name: consultancyName,
      advisedUntil: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month (YYYY-MM)')
        .optional()
        .describe('The last month the consultancy advised you; leave out while it still does.'),
    })
    .strict(),
]);

export const ScopeSchema = z
  .object({
    frameworks: z
      .array(RequestedFrameworkSchema)
      .min(1, 'choose at least one framework')
      .max(4, 'choose at most four frameworks')
      .refine(
        (list) => new Set(list.map((f) => f.framework)).size === list.length,
        'list each framework once',
      ),
    stage: z.enum(COMPANY_STAGES, 'choose your company stage'),
    headcount: z.coerce
      .number('must be a number')
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1_000_000, 'must be at most 1,000,000'),
    region: z.enum(REGIONS, 'choose a region'),
    industry: z.enum(INDUSTRIES, 'choose an industry'),
    neededBy: isoDate,
    // Optional so older clients keep working; from scratch is the honest assumption when unsaid.
    startingPoint: z
      .enum(STARTING_POINTS, 'choose where you are starting from')
      .default(DEFAULT_STARTING_POINT),
    budget: z.enum(BUDGET_BANDS, 'choose a budget band').optional(),
    aiExposure: z.enum(AI_EXPOSURES, 'choose how your product uses AI'),
    language: z
      .string()
      .regex(/^[a-z]{2}$/, 'must be a two-letter language code')
      .optional(),
    excludeFirms: nameList.default([]),
    controlsBuiltBy: nameList.default([]),
    managementSystemConsultants: z
      .array(ConsultantSchema)
      .max(20, 'list at most 20 consultancies')
      .default([]),
  })
  .strict();
export type ScopeInput = z.infer<typeof ScopeSchema>;

export const ContactSchema = z
  .object({
    name: plainText(120).pipe(z.string().min(2, 'enter your name')),
    email: z
      .string()
      .trim()
      .toLowerCase()
      .max(254, 'must be at most 254 characters')
      .pipe(z.email('enter a valid work email address')),
    company: plainText(160).pipe(z.string().min(2, 'enter your company name')),
    phone: plainText(40)
      .refine(
        (v) => v === '' || /^[+()0-9 .-]{6,40}$/.test(v),
        'enter a phone number with digits only',
      )
      .optional(),
  })
  .strict();
export type ContactInput = z.infer<typeof ContactSchema>;

/** The exact words the buyer agrees to; stored with the request as the record of consent. */
export const CONSENT_TEXT =
  'I agree that Auditmatch may store my contact details to arrange introductions, and may share them only with the audit firms I choose, after each accepts my anonymised brief. I can withdraw or delete my data at any time.';

export const QuoteRequestSchema = z
  .object({
    scope: ScopeSchema,
    contact: ContactSchema,
    consent: z.literal(true, 'you must agree to how your details are used'),
  })
  .strict();
export type QuoteRequestInput = z.infer<typeof QuoteRequestSchema>;
