import { FRAMEWORK_VARIANTS } from '../../domain/frameworks';
import {
  ACCREDITATION_BODIES,
  accreditationBodyId,
  OTHER_ACCREDITATION_BODY,
} from '../../domain/accreditation';
import { z } from 'zod';
import {
  COMPANY_STAGES,
  CREDENTIAL_KINDS,
  type CredentialKind,
  FIRM_PLANS,
  FIRM_STATUSES,
  FIRM_TYPES,
  FRAMEWORK_IDS,
  type FirmType,
  type FrameworkId,
  INDUSTRIES,
  REGIONS,
  SIZE_BANDS,
  VERIFICATION_STATUSES,
} from '../../domain/vocabulary';
import { COUNTRY_CODES, LANGUAGE_CODES } from './iso-codes';
import { hasUnsafeText, normaliseLineBreaks } from '../../domain/text';

/**
 * The firm record: one schema for every way a firm's profile enters the system (the import
 * command, the demo seed, the firm's own profile editor). It mirrors the domain `Firm` minus
 * what the platform computes from activity (id, reviews, response times).
 *
 * Every message is written for the person fixing a spreadsheet, not for a developer, and
 * cross-field rules run as soon as the fields they read are valid, so one bad cell never
 * hides the next problem.
 */

/**
 * What each kind of firm may offer. Only a CPA firm can sign a SOC report and only a
 * certification body can issue an ISO certificate; the assessments are open to both.
 */
export const FRAMEWORKS_BY_FIRM_TYPE: Readonly<Record<FirmType, readonly FrameworkId[]>> = {
  'cpa-firm': ['soc2', 'soc1', 'hipaa', 'pci-dss', 'hitrust'],
  'certification-body': ['iso27001', 'iso42001', 'iso27701', 'hipaa', 'pci-dss', 'hitrust'],
  'cpa-and-certification-body': FRAMEWORK_IDS,
};

/** Which credentials a kind of firm can hold (the vocabulary: "firm type decides"). */
export const CREDENTIALS_BY_FIRM_TYPE: Readonly<Record<FirmType, readonly CredentialKind[]>> = {
  'cpa-firm': ['cpa-licence', 'aicpa-peer-review', 'pci-qsa', 'hitrust-assessor'],
  'certification-body': [
    'iso-accreditation',
    'non-accredited-certificate',
    'pci-qsa',
    'hitrust-assessor',
  ],
  'cpa-and-certification-body': CREDENTIAL_KINDS,
};

/** Credential kinds whose meaning lies in the ISO standards they name. */
export const ISO_CREDENTIAL_KINDS: readonly CredentialKind[] = [
  'iso-accreditation',
  'non-accredited-certificate',
];

/** "ISO/IEC 42001", "ISO/IEC 17021-1", "ISO 9001", optionally with ":2023". */
export const ISO_STANDARD_PATTERN = /^ISO(?:\/IEC)? \d{4,5}(?:-\d{1,2})?(?::\d{4})?$/;

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MONTH_PATTERN = /^\d{4}-(?:0[1-9]|1[0-2])$/;

type RawIssue = z.core.$ZodRawIssue;

/** Zod's default messages name types ("expected string"); an importer needs the fix. */
function say(invalid: string) {
  return (issue: RawIssue) => (issue.input === undefined ? 'Required.' : invalid);
}

function objectError(what: string) {
  return (issue: RawIssue) => {
    if (issue.code === 'unrecognized_keys') {
      return `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}.`;
    }
    return issue.input === undefined ? 'Required.' : `Must be ${what}.`;
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Run a cross-field check once the fields it reads are valid (others may still be wrong). */
function whenValid(...fields: string[]) {
  return {
    when: (payload: z.core.ParsePayload) =>
      isObject(payload.value) &&
      !payload.issues.some((issue) => fields.includes(String(issue.path?.[0]))),
  };
}

/** A cross-field check: the problem `check` finds, if any, stands on `field` with its value. */
function issueOn<T extends Record<string, unknown>>(
  field: keyof T & string,
  check: (record: T) => string | null,
) {
  return (record: T, ctx: z.RefinementCtx<T>) => {
    const message = check(record);
    if (message !== null)
      ctx.addIssue({ code: 'custom', message, path: [field], input: record[field] });
  };
}

/** Indexes of list entries that already have a problem of their own at `field` (or anywhere). */
function entriesWithIssues(issues: readonly RawIssue[], list: string, field?: string): Set<number> {
  const bad = new Set<number>();
  for (const issue of issues) {
    const path = issue.path ?? [];
    if (path[0] !== list || typeof path[1] !== 'number') continue;
    if (field === undefined || path[2] === field || path.length === 2) bad.add(path[1]);
  }
  return bad;
}

function text(max: number) {
  return (
    z
      .string({ error: say('Must be text.') })
      .trim()
      .min(1, 'Must not be empty.')
      .max(max, `Must be at most ${max} characters.`)
      // Line breaks and control characters break CSV exports; text-direction overrides disguise names.
      .refine(
        (value) => !hasUnsafeText(value),
        'Must be one line of text, without line breaks, control or text-direction characters.',
      )
  );
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: say(`Must be one of: ${values.join(', ')}.`) });
}

function wholeNumber(min: number, max: number) {
  const message = `Must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}.`;
  return z
    .int({ error: say(message) })
    .min(min, message)
    .max(max, message);
}

const yesNo = z.boolean({ error: say('Must be true or false.') });

const HTTPS_URL_MESSAGE = 'Must be a full https:// address, e.g. https://example.com/about.';
const httpsUrl = z
  .url({ protocol: /^https$/, hostname: z.regexes.domain, error: say(HTTPS_URL_MESSAGE) })
  .max(500, 'Must be at most 500 characters.')
  // A URL check alone is exported as format "uri", which allows http; the pattern tells
  // JSON Schema readers what the check above enforces.
  .meta({ pattern: '^https://' });

const isoDate = z.iso.date({
  error: say('Must be a real date written YYYY-MM-DD, e.g. 2027-03-31.'),
});

/**
 * A list whose entries must differ. `key` picks what must be unique (undefined skips an
 * entry); entries with a problem of their own are not reported twice.
 */
function listOf<T extends z.ZodType>(
  item: T,
  options: {
    min?: number;
    minMessage?: string;
    key?: (entry: unknown) => unknown;
    keyField?: string;
  } = {},
) {
  const { min = 0, minMessage, key = (entry: unknown) => entry, keyField } = options;
  const list = z.array(item, { error: say('Must be a list.') });
  return (min > 0 ? list.min(min, minMessage ?? `List at least ${min}.`) : list).superRefine(
    (entries, ctx) => {
      // Paths inside a list start at the entry index; an entry whose key field is already
      // wrong gets no second message about repeating.
      const bad = new Set<number>();
      for (const issue of ctx.issues) {
        const [index, name] = issue.path ?? [];
        if (typeof index !== 'number') continue;
        if (keyField === undefined || name === undefined || name === keyField) bad.add(index);
      }
      const seen = new Set<unknown>();
      entries.forEach((entry, index) => {
        if (bad.has(index)) return;
        const value = key(entry);
        if (value === undefined) return;
        if (!seen.has(value)) {
          seen.add(value);
          return;
        }
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(value)} appears more than once; list it once.`,
          path: keyField === undefined ? [index] : [index, keyField],
          input: entry,
        });
      });
    },
    { when: (payload) => Array.isArray(payload.value) },
  );
}

function field(entry: unknown, name: string): unknown {
  return isObject(entry) ? entry[name] : undefined;
}

export const PriceRangeRecord = z
  .strictObject(
    {
      sizeBand: oneOf(SIZE_BANDS).describe('Company headcount band the price applies to.'),
      minUsd: wholeNumber(0, 10_000_000).describe('Lowest first-year fee in whole US dollars.'),
      maxUsd: wholeNumber(0, 10_000_000).describe('Highest first-year fee in whole US dollars.'),
    },
    { error: objectError('a price range with sizeBand, minUsd and maxUsd') },
  )
  .superRefine(
    issueOn('maxUsd', (range) =>
      range.minUsd > range.maxUsd ? `Must be at least minUsd (${range.minUsd}).` : null,
    ),
    whenValid('minUsd', 'maxUsd'),
  )
  .meta({ id: 'PriceRange' });

export const FirmServiceRecord = z
  .strictObject(
    {
      framework: oneOf(FRAMEWORK_IDS),
      variants: listOf(text(20))
        .default(() => [])
        .describe(
          'Variants the firm performs: soc2/soc1 type1, type2; iso27701 2019, 2025; ' +
            'pci-dss roc, saq; hitrust e1, i1, r2; none for the other frameworks.',
        ),
      priceRanges: listOf(PriceRangeRecord, {
        key: (range) => field(range, 'sizeBand'),
        keyField: 'sizeBand',
      })
        .default(() => [])
        .describe(
          'First-year fee ranges by company size; empty when the firm does not publish prices.',
        ),
      leadTimeWeeks: wholeNumber(0, 52).describe('Weeks from signing to the start of fieldwork.'),
      monthlyCapacity: wholeNumber(0, 500).describe('New engagements accepted per calendar month.'),
      // No default on purpose: absent means "keep the live counter" on re-import (0 for a new
      // service), so refreshing profile data never hands out capacity a firm has used.
      capacityUsed: wholeNumber(0, 500)
        .optional()
        .describe(
          'Engagements already taken in capacityMonth (equal to monthlyCapacity when full). ' +
            'Absent: 0 for a new service, the stored count for an existing one.',
        ),
      capacityMonth: z
        .string({ error: say('Must be a month written YYYY-MM, e.g. 2026-12.') })
        .regex(MONTH_PATTERN, 'Must be a month written YYYY-MM, e.g. 2026-12.')
        .optional()
        .describe(
          'Month that capacityUsed counts (YYYY-MM); the importer fills in the current month when absent.',
        ),
      paused: yesNo
        .default(false)
        .describe('True while the firm takes no new leads for this framework.'),
      pausedUntil: isoDate
        .nullable()
        .default(null)
        .describe('Date the pause ends (YYYY-MM-DD), or null for an open-ended pause.'),
    },
    { error: objectError('a service object') },
  )
  .superRefine(
    (service, ctx) => {
      const allowed = FRAMEWORK_VARIANTS[service.framework];
      if (allowed.length === 0) {
        if (service.variants.length > 0) {
          ctx.addIssue({
            code: 'custom',
            message: `${service.framework} has no variants; leave variants empty.`,
            path: ['variants'],
            input: service.variants,
          });
        }
        return;
      }
      if (service.variants.length === 0) {
        ctx.addIssue({
          code: 'custom',
          message: `List the ${service.framework} variants the firm performs: ${allowed.join(', ')}.`,
          path: ['variants'],
          input: service.variants,
        });
      }
      service.variants.forEach((variant, index) => {
        if (!allowed.includes(variant)) {
          ctx.addIssue({
            code: 'custom',
            message: `"${variant}" is not a ${service.framework} variant; use ${allowed.join(' or ')}.`,
            path: ['variants', index],
            input: variant,
          });
        }
      });
    },
    whenValid('framework', 'variants'),
  )
  .superRefine(
    issueOn('capacityUsed', (service) =>
      service.capacityUsed !== undefined && service.capacityUsed > service.monthlyCapacity
        ? `Must not exceed monthlyCapacity (${service.monthlyCapacity}).`
        : null,
    ),
    whenValid('capacityUsed', 'monthlyCapacity'),
  )
  .superRefine(
    issueOn('pausedUntil', (service) =>
      service.pausedUntil !== null && !service.paused
        ? 'Only a paused service has an end date for its pause; set paused to true or clear this.'
        : null,
    ),
    whenValid('paused', 'pausedUntil'),
  )
  .meta({ id: 'FirmService' });

export const CredentialRecord = z
  .strictObject(
    {
      kind: oneOf(CREDENTIAL_KINDS),
      issuer: text(120).describe(
        'Who issued it: a state board, AICPA, PCI SSC. For an ISO accreditation, the accreditation body by its id from the IAF MLA list (ANAB, UKAS, DAkkS, …; see docs/import-format.md), or "other" for a body outside the MLA, which never qualifies.',
      ),
      identifier: text(80).describe(
        "The issuer's number for the licence, review or accreditation.",
      ),
      scopeStandards: listOf(text(40))
        .default(() => [])
        .describe(
          'Standards certified under it, e.g. ISO/IEC 42001; required for ISO accreditations and certificates.',
        ),
      schemeStandards: listOf(text(40))
        .default(() => [])
        .describe(
          'Conformity-assessment standards of an accreditation, e.g. ISO/IEC 17021-1, ISO/IEC 42006.',
        ),
      validFrom: isoDate,
      validTo: isoDate
        .nullable()
        .default(null)
        .describe('Expiry date, or null when it does not expire.'),
      verification: oneOf(VERIFICATION_STATUSES)
        .default('pending')
        .describe('Import as pending; an operator verifies against the issuer before it counts.'),
      evidenceUrl: httpsUrl
        .nullable()
        .default(null)
        .describe('Public page at the issuer showing the credential.'),
    },
    { error: objectError('a credential object') },
  )
  .superRefine(
    (credential, ctx) => {
      if (!ISO_CREDENTIAL_KINDS.includes(credential.kind)) return;
      if (credential.scopeStandards.length === 0) {
        ctx.addIssue({
          code: 'custom',
          message: `List the standards this ${credential.kind} covers, e.g. ISO/IEC 42001.`,
          path: ['scopeStandards'],
          input: credential.scopeStandards,
        });
      }
      for (const list of ['scopeStandards', 'schemeStandards'] as const) {
        credential[list].forEach((standard, index) => {
          if (!ISO_STANDARD_PATTERN.test(standard)) {
            ctx.addIssue({
              code: 'custom',
              message: `Write ISO standards like "ISO/IEC 42001" or "ISO/IEC 17021-1", not "${standard}".`,
              path: [list, index],
              input: standard,
            });
          }
        });
      }
    },
    whenValid('kind', 'scopeStandards', 'schemeStandards'),
  )
  .superRefine(
    (credential, ctx) => {
      // An accreditation counts only from an IAF MLA signatory: the body is chosen from the list.
      if (
        credential.kind === 'iso-accreditation' &&
        accreditationBodyId(credential.issuer) === null
      ) {
        ctx.addIssue({
          code: 'custom',
          message: `Name the accreditation body by its id from the IAF MLA list (for example ${ACCREDITATION_BODIES.slice(
            0,
            4,
          )
            .map((b) => b.id)
            .join(
              ', ',
            )}), or "${OTHER_ACCREDITATION_BODY}" for a body outside it; "${credential.issuer}" is not on the list.`,
          path: ['issuer'],
          input: credential.issuer,
        });
      }
    },
    whenValid('kind', 'issuer'),
  )
  .superRefine(
    issueOn('validTo', (credential) =>
      credential.validTo !== null && credential.validTo < credential.validFrom
        ? `Must not be before validFrom (${credential.validFrom}).`
        : null,
    ),
    whenValid('validFrom', 'validTo'),
  )
  .meta({ id: 'Credential' });

export const ConsultancyLinkRecord = z
  .strictObject(
    {
      consultancy: text(120).describe('Name of the consultancy the firm is or was tied to.'),
      endedOn: isoDate
        .nullable()
        .default(null)
        .describe('Date the tie ended, or null while it is current.'),
    },
    { error: objectError('a consultancy link object') },
  )
  .meta({ id: 'ConsultancyLink' });

export const FirmRecord = z
  .strictObject(
    {
      slug: z
        .string({ error: say('Must be text.') })
        .min(3, 'Must be at least 3 characters.')
        .max(60, 'Must be at most 60 characters.')
        .regex(
          SLUG_PATTERN,
          'Use lowercase letters, digits and single hyphens, e.g. brindlewood-audit.',
        )
        .describe("The firm's stable key: a re-import with the same slug updates the firm."),
      name: text(120),
      firmType: oneOf(FIRM_TYPES),
      status: oneOf(FIRM_STATUSES).default('active'),
      demo: yesNo.default(false).describe('True for invented firms shown on demo sites.'),
      website: httpsUrl.nullable().default(null),
      description: z
        .string({ error: say('Must be text.') })
        // Spreadsheets and editors differ in line breaks; store one kind.
        .overwrite(normaliseLineBreaks)
        .trim()
        .max(1000, 'Must be at most 1000 characters.')
        .refine(
          (value) => !hasUnsafeText(value, { multiline: true }),
          'Must not contain control or text-direction characters (line breaks and tabs are fine).',
        )
        .default(''),
      headquarters: z
        .enum(COUNTRY_CODES, {
          error: say(
            'Must be a two-letter ISO 3166-1 country code in capitals, e.g. US, GB or DE.',
          ),
        })
        .describe('Country of the head office as an ISO 3166-1 alpha-2 code.'),
      regions: listOf(oneOf(REGIONS), { min: 1, minMessage: 'List at least one region.' }),
      languages: listOf(
        z.enum(LANGUAGE_CODES, {
          error: say(
            'Must be a two-letter ISO 639-1 language code in lowercase, e.g. en, de or ja.',
          ),
        }),
        { min: 1, minMessage: 'List at least one language.' },
      ).describe('Languages the firm audits in, as ISO 639-1 codes.'),
      industries: listOf(oneOf(INDUSTRIES)).default(() => []),
      stages: listOf(oneOf(COMPANY_STAGES)).default(() => []),
      aiSpecialism: yesNo.default(false),
      bookingUrl: httpsUrl.nullable().default(null),
      leadEmail: z
        .email({ error: say('Must be an email address, e.g. leads@firm.example.') })
        .max(254)
        .nullable()
        .default(null)
        .describe('Where briefs are sent until the firm has team members in its workspace.'),
      plan: oneOf(FIRM_PLANS).default('free').describe('Commercial plan; never part of ranking.'),
      services: listOf(FirmServiceRecord, {
        min: 1,
        minMessage: 'Add at least one service.',
        key: (service) => field(service, 'framework'),
        keyField: 'framework',
      }),
      credentials: listOf(CredentialRecord, {
        // Same identity the import uses to update a stored credential.
        key: (credential) => {
          const parts = ['kind', 'identifier'].map((name) => field(credential, name));
          return parts.every((part) => typeof part === 'string') ? parts.join(' / ') : undefined;
        },
      }).default(() => []),
      consultancyLinks: listOf(ConsultancyLinkRecord).default(() => []),
    },
    { error: objectError('a firm object') },
  )
  .superRefine((firm, ctx) => {
    // The entries may still hold invalid values here (that is the point of running early),
    // so read them as unknown and judge only those whose own field is valid.
    const badServices = entriesWithIssues(ctx.issues, 'services', 'framework');
    const offered = FRAMEWORKS_BY_FIRM_TYPE[firm.firmType];
    (firm.services as readonly unknown[]).forEach((service, index) => {
      const framework = field(service, 'framework');
      if (badServices.has(index) || typeof framework !== 'string') return;
      if (!offered.includes(framework as FrameworkId)) {
        ctx.addIssue({
          code: 'custom',
          message: `A ${firm.firmType} cannot offer ${framework}; it may offer ${offered.join(', ')}.`,
          path: ['services', index, 'framework'],
          input: framework,
        });
      }
    });
    const badCredentials = entriesWithIssues(ctx.issues, 'credentials', 'kind');
    const held = CREDENTIALS_BY_FIRM_TYPE[firm.firmType];
    (firm.credentials as readonly unknown[]).forEach((credential, index) => {
      const kind = field(credential, 'kind');
      if (badCredentials.has(index) || typeof kind !== 'string') return;
      if (!held.includes(kind as CredentialKind)) {
        ctx.addIssue({
          code: 'custom',
          message: `A ${firm.firmType} cannot hold a ${kind}; it may hold ${held.join(', ')}.`,
          path: ['credentials', index, 'kind'],
          input: kind,
        });
      }
    });
  }, whenValid('firmType'))
  .meta({
    id: 'FirmRecord',
    title: 'Firm record',
    description:
      'An audit firm as imported into Auditmatch: profile, services per framework, credentials ' +
      'and consultancy links. Reviews and response times are computed by the platform.',
  });

/** What a file or form may contain (defaults not yet applied). */
export type FirmRecordInput = z.input<typeof FirmRecord>;
/** A validated record with every default applied. */
export type FirmRecord = z.output<typeof FirmRecord>;
export type FirmServiceRecord = z.output<typeof FirmServiceRecord>;
export type CredentialRecord = z.output<typeof CredentialRecord>;
export type ConsultancyLinkRecord = z.output<typeof ConsultancyLinkRecord>;
export type PriceRangeRecord = z.output<typeof PriceRangeRecord>;

/**
 * A whole import file: a bare array of records or `{ firms: [...] }` (the object form may name
 * its JSON Schema in `$schema`, so editors check the file while it is typed).
 */
export const FirmImportFile = z.union([
  z.array(FirmRecord),
  z.strictObject({
    $schema: z.string().optional(),
    firms: z.array(FirmRecord),
  }),
]);
