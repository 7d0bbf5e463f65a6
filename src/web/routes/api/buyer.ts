import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isTimeZone } from '../../../domain/calls/zones';
import { sendBriefs } from '../../../services/briefs';
import {
  type BuyerView,
  buyerView,
  eraseRequestData,
  requestIdForAccessToken,
  shareDetails,
  withdrawRequest,
} from '../../../services/buyer';
import { bookCall, cancelCall, rescheduleCall } from '../../../services/calls';
import { chooseQuote } from '../../../services/firm/quotes';
import { plainText } from '../../../domain/text';
import { answerFirm } from '../../../services/messages';
import { Problem, sendProblem } from '../../plugins/errors';
import { RATE_LIMITS } from '../../plugins/security';
import { guardEach } from './guard';

/**
 * The buyer's journey as JSON, for platforms that embed "get three quotes" for their customers:
 * the buyer's private-page token is the bearer capability, and every call goes through the same
 * services as the private page — choose firms, answer questions, compare quotes, share details,
 * book, move or cancel the one short call, withdraw, delete.
 */

const instant = z.iso.datetime({ message: 'must be a UTC instant such as 2027-03-09T01:00:00Z' });
const uuid = z.uuid('must be an id from GET /buyer');

const Range = z.object({ minUsd: z.number(), maxUsd: z.number() });
const Call = z.object({
  id: z.string(),
  status: z.enum(['offered', 'booked']),
  startsAt: z.string().nullable(),
  offered: z.array(z.string()),
  buyerTimeZone: z.string(),
});
const BuyerOut = z.object({
  reference: z.string(),
  status: z.string().describe('unconfirmed, confirmed, active, withdrawn, expired or deleted'),
  open: z.boolean(),
  expiresAt: z.string(),
  canChooseMore: z
    .number()
    .describe(
      'How many more firms may receive the brief now (at most three hold it, across all your open requests).',
    ),
  firms: z.array(
    z.object({
      firmId: z.string(),
      name: z.string(),
      rank: z.number(),
      reasons: z.array(z.string()),
      proposal: z
        .string()
        .describe('proposed (you may choose it), chosen (it received your brief)'),
      unavailable: z.string().nullable().describe('Why a proposed firm can no longer be chosen.'),
      brief: z
        .object({
          id: z.string(),
          status: z
            .string()
            .describe('sent, accepted (it will quote), declined, expired, withdrawn'),
          respondBy: z.string(),
          quoteBy: z.string().nullable(),
          withdrawn: z.string().nullable(),
          contactShared: z
            .boolean()
            .describe('The firm has your contact details (a booked call, or you shared them).'),
          messages: z.array(
            z.object({
              id: z.string(),
              author: z.enum(['firm', 'buyer']),
              body: z.string(),
              shared: z.boolean(),
              createdAt: z.string(),
            }),
          ),
          call: Call.nullable(),
          slots: z
            .array(z.string())
            .describe('Times the firm publishes for the short call, free for both sides (UTC).'),
          firmTimeZone: z.string(),
        })
        .nullable(),
    }),
  ),
  replacements: z.array(
    z.object({ firmId: z.string(), name: z.string(), reasons: z.array(z.string()) }),
  ),
  quotes: z.array(
    z.object({
      id: z.string(),
      firmId: z.string(),
      firmName: z.string(),
      status: z.string(),
      lines: z.array(
        z.object({
          framework: z.string(),
          phase: z.string(),
          label: z.string(),
          minUsd: z.number(),
          maxUsd: z.number(),
        }),
      ),
      startDate: z.string(),
      reportDate: z.string(),
      validUntil: z.string(),
      assumptions: z.string(),
      callCouldChange: z.string(),
      withdrawnReason: z.string().nullable(),
    }),
  ),
  comparison: z
    .object({
      rows: z.array(
        z.object({
          label: z.string(),
          period: z.string(),
          flagged: z.boolean(),
          cells: z.array(Range.nullable()),
        }),
      ),
      yearOne: z.array(Range.extend({ complete: z.boolean(), missing: z.array(z.string()) })),
      fullCycle: z.array(Range.extend({ complete: z.boolean(), missing: z.array(z.string()) })),
    })
    .describe(
      'Live quotes side by side, in the order of `quotes` without the withdrawn ones; a null cell is "not quoted".',
    ),
});

function toJson(view: BuyerView): z.infer<typeof BuyerOut> {
  const iso = (t: number) => new Date(t).toISOString();
  return {
    reference: view.reference,
    status: view.status,
    open: view.open,
    expiresAt: view.expiresAt,
    canChooseMore: view.canChooseMore,
    firms: view.proposals.map((p) => ({
      firmId: p.firmId,
      name: p.name,
      rank: p.rank,
      reasons: p.reasons,
      proposal: p.status,
      unavailable: p.unavailable,
      brief: p.brief
        ? {
            id: p.brief.id,
            status: p.brief.status,
            respondBy: p.brief.respondBy,
            quoteBy: p.brief.quoteBy,
            withdrawn: p.brief.withdrawn,
            contactShared: p.brief.contactShared,
            messages: p.brief.messages,
            call: p.brief.call
              ? {
                  ...p.brief.call,
                  startsAt: p.brief.call.start === null ? null : iso(p.brief.call.start),
                  offered: p.brief.call.offered.map(iso),
                }
              : null,
            slots: p.brief.slots.map(iso),
            firmTimeZone: p.brief.firmTimeZone,
          }
        : null,
    })),
    replacements: view.replacements.map((r) => ({
      firmId: r.firmId,
      name: r.name,
      reasons: r.reasons,
    })),
    quotes: view.quotes.map((q) => ({
      id: q.id,
      firmId: q.firmId,
      firmName: q.firmName,
      status: q.status,
      lines: q.lineItems,
      startDate: q.startDate,
      reportDate: q.reportDate,
      validUntil: q.validUntil,
      assumptions: q.assumptions,
      callCouldChange: q.callCouldChange,
      withdrawnReason: q.withdrawnReason,
    })),
    comparison: {
      rows: view.comparison.rows.map((r) => ({
        label: r.label,
        period: r.period,
        flagged: r.flagged,
        cells: r.cells.map((c) => (c ? { minUsd: c.minUsd, maxUsd: c.maxUsd } : null)),
      })),
      yearOne: view.comparison.yearOne,
      fullCycle: view.comparison.fullCycle,
    },
  };
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match =
    typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header.trim()) : null;
  return match?.[1];
}

const Ok = z.object({ ok: z.literal(true) });
const ERRORS = { 400: Problem, 401: Problem, 404: Problem, 409: Problem, 410: Problem };
const auth =
  'Send the private-page token of the request (the part after /r/ in the buyer’s link) as `Authorization: Bearer <token>`.';

const buyerApi: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const config = { rateLimit: RATE_LIMITS.tokenLink };

  /** The request behind the bearer token, or a 401 problem. */
  async function requestOf(request: FastifyRequest, reply: FastifyReply): Promise<string | null> {
    const token = bearer(request);
    const id = token ? await requestIdForAccessToken(ctx, token) : null;
    if (!id) {
      reply.header('www-authenticate', 'Bearer realm="auditmatch-buyer"');
      sendProblem(
        reply,
        401,
        'Sign-in required',
        'Send the private-page token of the request as "Authorization: Bearer <token>".',
      );
      return null;
    }
    reply.header('cache-control', 'no-store');
    return id;
  }

  // The bearer token is this file's guard, checked once for every route.
  const requestIdOf = guardEach(app, requestOf);

  const ok = { ok: true as const };

  app.get(
    '/buyer',
    {
      config,
      schema: {
        summary: 'Read the request: firms, briefs, questions, quotes side by side, calls',
        description: auth,
        tags: ['buyer'],
        response: { 200: BuyerOut, 401: Problem },
      },
    },
    async (request) => {
      const id = requestIdOf(request);
      return toJson(await buyerView(ctx, id));
    },
  );

  app.post(
    '/buyer/briefs',
    {
      config,
      schema: {
        summary: 'Send the anonymised brief to firms you choose',
        description: `${auth} At most three firms hold your request at a time, across all your open requests.`,
        tags: ['buyer'],
        body: z.object({ firms: z.array(uuid).min(1, 'choose at least one firm').max(3) }).strict(),
        response: { 200: Ok, ...ERRORS },
      },
    },
    async (request) => {
      const id = requestIdOf(request);
      await sendBriefs(ctx, id, request.body.firms);
      return ok;
    },
  );

  app.post(
    '/buyer/briefs/:briefId/messages',
    {
      config,
      schema: {
        summary: 'Answer a firm (or write to it)',
        description: `${auth} No email addresses or phone numbers to a firm that does not have your details yet. \`shareWithAll\` copies the answer to every firm that accepted.`,
        tags: ['buyer'],
        params: z.object({ briefId: uuid }),
        body: z
          .object({
            body: plainText(2000, { multiline: true }).pipe(z.string().min(2, 'write a few words')),
            shareWithAll: z.boolean().default(false),
            inReplyTo: uuid.optional(),
          })
          .strict(),
        response: { 200: z.object({ id: z.string(), sharedWith: z.number() }), ...ERRORS },
      },
    },
    async (request) => {
      const id = requestIdOf(request);
      const { body, shareWithAll, inReplyTo } = request.body;
      return answerFirm(ctx, id, request.params.briefId, body, {
        shareWithAll,
        ...(inReplyTo ? { inReplyTo } : {}),
      });
    },
  );

  app.post(
    '/buyer/briefs/:briefId/share',
    {
      config,
      schema: {
        summary: 'Share your contact details with a firm that accepted',
        description: `${auth} Otherwise a firm gets them only when you book its call.`,
        tags: ['buyer'],
        params: z.object({ briefId: uuid }),
        response: { 200: Ok, ...ERRORS },
      },
    },
    async (request) => {
      const id = requestIdOf(request);
      await shareDetails(ctx, id, request.params.briefId);
      return ok;
    },
  );

  const timeZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Tokyo');
  app.post(
    '/buyer/briefs/:briefId/call',
    {
      config,
      schema: {
        summary: 'Book the one short call',
        description: `${auth} Give \`slot\` (one of the firm's published \`slots\`) or \`offered\` (three times of your own, at least a day ahead, for the firm to pick). The firm receives your contact details with the booking.`,
        tags: ['buyer'],
        params: z.object({ briefId: uuid }),
        body: z
          .object({
            slot: instant.optional(),
            offered: z.array(instant).length(3, 'offer exactly three times').optional(),
            timeZone,
          })
          .strict()
          .refine((b) => (b.slot === undefined) !== (b.offered === undefined), {
            message: 'give either slot or offered',
            path: ['slot'],
          }),
        response: { 200: Ok, ...ERRORS },
      },
    },
    async (request) => {
      const id = requestIdOf(request);
      const { slot, offered } = request.body;
      const booking = slot
        ? ({ kind: 'slot', start: Date.parse(slot), published: false } as const)
        : ({ kind: 'offer', slots: (offered ?? []).map((t) => Date.parse(t)) } as const);
      await bookCall(ctx, id, request.params.briefId, booking, request.body.timeZone);
      return ok;
    },
  );

  app.post(
    '/buyer/calls/:callId/reschedule',
    {
      config,
      schema: {
        summary: 'Move a booked call to another published slot',
        description: auth,
        tags: ['buyer'],
        params: z.object({ callId: uuid }),
        body: z.object({ slot: instant }).strict(),
        response: { 200: Ok, ...ERRORS },
      },
    },
    async (request) => {
      const id = requestIdOf(request);
      await rescheduleCall(
        ctx,
        { side: 'buyer', requestId: id },
        request.params.callId,
        Date.parse(request.body.slot),
      );
      return ok;
    },
  );

  app.post(
    '/buyer/calls/:callId/cancel',
    {
      config,
      schema: {
        summary: 'Cancel a call',
        description: auth,
        tags: ['buyer'],
        params: z.object({ callId: uuid }),
        body: z.object({ reason: plainText(300).default('') }).strict(),
        response: { 200: Ok, ...ERRORS },
      },
    },
    async (request) => {
      const id = requestIdOf(request);
      await cancelCall(
        ctx,
        { side: 'buyer', requestId: id },
        request.params.callId,
        request.body.reason || 'the buyer cancelled',
      );
      return ok;
    },
  );

  app.post(
    '/buyer/quotes/:quoteId/choose',
    {
      config,
      schema: {
        summary: 'Mark a quote as your choice',
        description: auth,
        tags: ['buyer'],
        params: z.object({ quoteId: uuid }),
        response: { 200: Ok, ...ERRORS },
      },
    },
    async (request) => {
      const id = requestIdOf(request);
      await chooseQuote(ctx, id, request.params.quoteId);
      return ok;
    },
  );

  app.post(
    '/buyer/withdraw',
    {
      config,
      schema: {
        summary: 'Withdraw the request, or keep only the firm whose quote you chose',
        description: `${auth} Every firm that loses the brief is told which request.`,
        tags: ['buyer'],
        body: z
          .object({
            mode: z.enum(['everything', 'keep-chosen'], 'must be everything or keep-chosen'),
          })
          .strict(),
        response: { 200: Ok, ...ERRORS },
      },
    },
    async (request) => {
      const id = requestIdOf(request);
      await withdrawRequest(ctx, id, request.body.mode);
      return ok;
    },
  );

  app.delete(
    '/buyer',
    {
      config,
      schema: {
        summary: 'Delete your data',
        description: `${auth} Your contact details are erased at once; firms holding the request are told it is withdrawn.`,
        tags: ['buyer'],
        response: { 200: Ok, ...ERRORS },
      },
    },
    async (request) => {
      const id = requestIdOf(request);
      await eraseRequestData(ctx, id, 'buyer');
      return ok;
    },
  );
};

export default buyerApi;
