import { z } from 'zod';
import { isPrivateAddress } from '../../outbox/webhook';
import { FIRM_TYPES, FRAMEWORK_IDS, valuesOf } from '../../domain/vocabulary';
import { CredentialRecord } from '../firm-import/record';
import { COUNTRY_CODES } from '../firm-import/iso-codes';
import { plainText } from '../../domain/text';

/**
 * The inputs of the firm workspace, one schema each. The firm's profile itself is validated by
 * `FirmRecord` (src/services/firm-import/record.ts), the one schema every route into a profile
 * shares; a credential by `CredentialRecord` inside `CredentialSubmission`.
 */

export const WorkEmail = z
  .string({ error: 'enter your work email address' })
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('enter a valid work email address'));

const PersonName = plainText(120).pipe(z.string().min(2, 'enter your name'));

const httpsUrl = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .max(500, 'must be at most 500 characters')
    .pipe(z.url({ protocol: /^https$/, hostname: z.regexes.domain, error: message }));

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const note = plainText(1000, { multiline: true }).default('');

/** Claim a listed profile, or apply as a firm that is not listed yet. */
export const ApplicationSchema = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        kind: z.literal('claim'),
        firm: z
          .string({ error: 'choose your firm from the list' })
          .max(60)
          .regex(SLUG, 'choose your firm from the list'),
        name: PersonName,
        email: WorkEmail,
        note,
      })
      .strict(),
    z
      .object({
        kind: z.literal('new'),
        firmName: plainText(120).pipe(z.string().min(2, "enter your firm's name")),
        firmType: z.enum(FIRM_TYPES, 'choose what kind of firm you are'),
        website: httpsUrl("enter your firm's website as a full https:// address"),
        headquarters: z.enum(
          COUNTRY_CODES,
          'enter the two-letter country code of your head office, e.g. US or DE',
        ),
        name: PersonName,
        email: WorkEmail,
        note,
      })
      .strict(),
  ],
  { error: 'choose whether you claim a listed firm or apply as a new one' },
);
export type ApplicationInput = z.infer<typeof ApplicationSchema>;

export const InviteSchema = z
  .object({
    email: WorkEmail,
    name: plainText(120).optional(),
  })
  .strict();
export type InviteInput = z.infer<typeof InviteSchema>;

export const DECLINE_REASON_LABELS = {
  'no-capacity': 'No capacity in time',
  'out-of-scope': 'Outside what we audit',
  budget: 'Budget too low for the scope',
  conflict: 'Independence conflict',
  other: 'Other',
};
export const DECLINE_REASONS = valuesOf(DECLINE_REASON_LABELS);

/** A firm's answer to a brief in its inbox; the same answers as the email link. */
export const LeadAnswerSchema = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('accept') }).strict(),
    z
      .object({
        action: z.literal('decline'),
        reason: z.enum(DECLINE_REASONS, 'choose a reason for declining'),
      })
      .strict(),
  ],
  { error: 'choose to accept or decline' },
);
export type LeadAnswer = z.infer<typeof LeadAnswerSchema>;

/**
 * The same answer as a JSON body (`POST /api/v1/leads/{id}/answer`): one flat object, so an
 * unknown field or a missing reason is named in the problem details.
 */
export const LeadAnswerBody = z
  .object({
    action: z.enum(['accept', 'decline'], 'choose to accept or decline'),
    reason: z
      .enum(DECLINE_REASONS, 'choose a reason for declining')
      .optional()
      .describe('Required when declining.'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.action === 'decline' && v.reason === undefined)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'choose a reason for declining' });
    if (v.action === 'accept' && v.reason !== undefined)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'only a decline has a reason' });
  });
export type LeadAnswerBodyInput = z.infer<typeof LeadAnswerBody>;

/** The flat body as the answer the services take. */
export function toLeadAnswer(body: LeadAnswerBodyInput): LeadAnswer {
  return body.action === 'accept'
    ? { action: 'accept' }
    : { action: 'decline', reason: body.reason ?? 'other' };
}

// ---- Credentials ----

export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;
const PDF_MAGIC = Buffer.from('%PDF-');

export const EvidencePdf = z
  .instanceof(Buffer, { error: 'attach the evidence as a PDF file' })
  .refine((b) => b.length <= EVIDENCE_MAX_BYTES, 'the PDF must be at most 5 MB')
  .refine(
    (b) => b.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC),
    'the file is not a PDF (a PDF starts with %PDF-)',
  );

/** A credential as the firm submits it: the import's credential record plus its evidence. */
export const CredentialSubmission = z
  .object({
    credential: CredentialRecord,
    evidenceFile: EvidencePdf.nullable().default(null),
  })
  .strict()
  .superRefine(
    (s, ctx) => {
      // Read as possibly invalid: the check runs even while other fields still have problems.
      const url = (s.credential as { evidenceUrl?: unknown } | undefined)?.evidenceUrl;
      if (!s.evidenceFile && (url === null || url === undefined || url === '')) {
        ctx.addIssue({
          code: 'custom',
          path: ['credential', 'evidenceUrl'],
          message: "upload the evidence as a PDF or give an https link to the issuer's register",
        });
      }
    },
    {
      when: (payload) =>
        typeof payload.value === 'object' &&
        payload.value !== null &&
        !payload.issues.some((i) => i.path?.[0] === 'evidenceFile'),
    },
  );
export type CredentialSubmissionInput = z.input<typeof CredentialSubmission>;
export type CredentialSubmission = z.output<typeof CredentialSubmission>;

// ---- Quotes ----

import { phasesFor, QUOTE_PHASES } from '../../domain/quotes';

export { phasesFor, QUOTE_PHASE_LABELS, QUOTE_PHASES, type QuotePhase } from '../../domain/quotes';

const isoDate = (what: string) =>
  z
    .string({ error: `enter the ${what} (YYYY-MM-DD)` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `enter the ${what} as a date (YYYY-MM-DD)`)
    .refine(
      (v) =>
        !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
        new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
      'must be a real calendar date',
    );

const usd = (what: string) =>
  z
    .number({ error: `enter the ${what} in whole US dollars` })
    .int(`enter the ${what} in whole US dollars`)
    .min(0, 'must not be negative')
    .max(10_000_000, 'must be at most $10,000,000');

/**
 * One line of a quote: a fixed fee (`feeUsd`), or an indicative range (`minUsd` to `maxUsd`) when
 * the firm cannot fix the fee before the call. Read as a range either way.
 */
export const QuoteLineItem = z
  .object({
    framework: z.enum(FRAMEWORK_IDS, 'must be one of the frameworks in the scope'),
    phase: z.enum(QUOTE_PHASES, 'must be one of the listed phases'),
    feeUsd: usd('fee')
      .optional()
      .describe('A fixed fee. Give this, or minUsd and maxUsd for an indicative range.'),
    minUsd: usd('lowest fee').optional(),
    maxUsd: usd('highest fee').optional(),
  })
  .strict()
  .superRefine((item, ctx) => {
    if (!phasesFor(item.framework).includes(item.phase)) {
      ctx.addIssue({
        code: 'custom',
        path: ['phase'],
        message: `is not a phase of ${item.framework}`,
      });
    }
    const fixed = item.feeUsd !== undefined;
    const range = item.minUsd !== undefined || item.maxUsd !== undefined;
    if (fixed === range) {
      ctx.addIssue({
        code: 'custom',
        path: ['feeUsd'],
        message: 'give a fee, or a lowest and highest fee for a range',
      });
    } else if (range && (item.minUsd === undefined || item.maxUsd === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [item.minUsd === undefined ? 'minUsd' : 'maxUsd'],
        message: 'a range needs its lowest and highest fee',
      });
    } else if (range && (item.maxUsd as number) < (item.minUsd as number)) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxUsd'],
        message: 'must not be below the lowest fee',
      });
    }
  })
  .transform(({ framework, phase, feeUsd, minUsd, maxUsd }) => ({
    framework,
    phase,
    minUsd: feeUsd ?? (minUsd as number),
    maxUsd: feeUsd ?? (maxUsd as number),
  }));

/** An itemised quote against the buyer's scope sheet. */
export const QuoteSchema = z
  .object({
    lineItems: z
      .array(QuoteLineItem)
      .min(1, 'enter a fee for at least one phase')
      .max(40)
      .refine(
        (items) => new Set(items.map((i) => `${i.framework}/${i.phase}`)).size === items.length,
        'list each phase once',
      ),
    startDate: isoDate('start date'),
    reportDate: isoDate('report or certificate date'),
    assumptions: plainText(2000, { multiline: true }).default(''),
    callCouldChange: plainText(1000, { multiline: true })
      .default('')
      .describe('What the short call could change in this quote.'),
    validUntil: isoDate('date the quote is valid until'),
  })
  .strict()
  .superRefine(
    (q, ctx) => {
      if (q.reportDate < q.startDate) {
        ctx.addIssue({
          code: 'custom',
          path: ['reportDate'],
          message: 'must not be before the start date',
        });
      }
    },
    {
      // Checked as soon as both dates are valid, even while a fee still has a problem.
      when: (payload) =>
        typeof payload.value === 'object' &&
        payload.value !== null &&
        !payload.issues.some((i) => i.path?.[0] === 'startDate' || i.path?.[0] === 'reportDate'),
    },
  );
/** A quote as sent (a line's fee fixed or as a range); the service reads it through QuoteSchema. */
export type QuoteInput = z.input<typeof QuoteSchema>;

// ---- Integrations ----

export const ApiKeyLabel = z
  .object({ label: plainText(60).pipe(z.string().min(1, 'name the key, e.g. "CRM sync"')) })
  .strict();

export const WEBHOOK_EVENT_LABELS = {
  'brief.received': 'A brief arrives',
  'lead.accepted': 'A lead is accepted',
  'quote.chosen': 'A buyer chooses your quote',
  'brief.declined': 'Your firm declines a brief',
  'brief.expired': 'A brief expires unanswered',
  'brief.withdrawn':
    'A brief is withdrawn (by the buyer, or because your firm can no longer hold it)',
  'contact.shared': 'A buyer shares its details with your firm',
  'call.booked': 'A buyer books (or moves) its short call with your firm',
  'call.cancelled': 'A short call is cancelled',
};
export type WebhookEvent = keyof typeof WEBHOOK_EVENT_LABELS;
export const WEBHOOK_EVENTS = valuesOf(WEBHOOK_EVENT_LABELS);

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Where webhooks go: https to a public host. Outside production, http://127.0.0.1 (or
 * localhost) is allowed too, so a test receiver on the loopback can sign-check deliveries.
 */
export function webhookEndpointSchema(allowLoopbackHttp: boolean) {
  return z
    .object({
      url: z
        .string({ error: 'enter the https:// address that receives the events' })
        .trim()
        .max(500, 'must be at most 500 characters')
        .pipe(z.url({ error: 'enter a full https:// address' }))
        .superRefine((value, ctx) => {
          // Zod runs this even when z.url() above refused the value: that issue is reported already.
          if (!URL.canParse(value)) return;
          const url = new URL(value);
          const loopback = LOOPBACK_HOSTS.has(url.hostname);
          if (url.username || url.password) {
            ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password' });
          } else if (
            loopback &&
            allowLoopbackHttp &&
            (url.protocol === 'http:' || url.protocol === 'https:')
          ) {
            return;
          } else if (url.protocol !== 'https:') {
            ctx.addIssue({ code: 'custom', message: 'must start with https://' });
          } else if (loopback || isPrivateAddress(url.hostname) || !url.hostname.includes('.')) {
            ctx.addIssue({
              code: 'custom',
              message: 'must be a public address, not a private or local one',
            });
          }
        }),
      events: z
        .array(z.enum(WEBHOOK_EVENTS, 'choose events from the list'))
        .min(1, 'choose at least one event')
        .max(WEBHOOK_EVENTS.length)
        .refine((list) => new Set(list).size === list.length, 'list each event once'),
    })
    .strict();
}
export type WebhookEndpointInput = z.infer<ReturnType<typeof webhookEndpointSchema>>;

export const LEADS_PAGE_DEFAULT = 50;
export const LEADS_PAGE_MAX = 200;

/** `GET /api/v1/leads` query. */
export const LeadsQuerySchema = z
  .object({
    status: z
      .enum(
        ['sent', 'accepted', 'declined', 'expired', 'withdrawn'],
        'must be sent, accepted, declined, expired or withdrawn',
      )
      .optional(),
    since: z.iso
      .datetime({ message: 'must be a date and time like 2026-01-31T09:00:00Z', offset: true })
      .optional()
      .describe(
        'Leads sent after this instant, oldest first (for a CRM that keeps up). Without it: newest first.',
      ),
    cursor: z
      .string()
      .max(400, 'is too long')
      .optional()
      .describe(
        'The `nextCursor` of the previous page; continues in the same order and direction.',
      ),
    limit: z.coerce
      .number('must be a number')
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(LEADS_PAGE_MAX, `must be at most ${LEADS_PAGE_MAX}`)
      .default(LEADS_PAGE_DEFAULT)
      .describe(`Leads per page (default ${LEADS_PAGE_DEFAULT}, at most ${LEADS_PAGE_MAX}).`),
  })
  .strict();
export type LeadsQuery = z.infer<typeof LeadsQuerySchema>;
