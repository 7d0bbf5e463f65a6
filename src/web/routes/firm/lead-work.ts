import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { cancelCall, pickOfferedTime, rescheduleCall } from '../../../services/calls';
import { ServiceError } from '../../../services/context';
import { briefSummary } from '../../../services/emails';
import type { FirmWho } from '../../../services/firm/actor';
import { type LeadDetail, leadDetail } from '../../../services/firm/leads';
import { quoteContext, quoteSheet, submitQuote } from '../../../services/firm/quotes';
import { plainText } from '../../../domain/text';
import { askBuyer } from '../../../services/messages';
import { type FormFields, one } from '../../forms/fields';
import { feeField, feeToField } from '../../forms/field-names';
import { localInstant, slotInstant } from '../../forms/times';
import { redirectAfter } from '../../forms/parse';
import { parseQuoteForm } from './forms';

/**
 * Working one lead — ask the buyer, quote, pick or move or cancel the short call — the same from
 * the workspace (/firm/leads/{id}, a signed-in member) and from the firm's email link
 * (/b/{token}, a firm that is not yet a user). Each door says who acts and how its pages look;
 * the services check the brief belongs to that actor.
 */
export interface LeadDoor {
  who: FirmWho;
  briefId: string;
  /** Where the lead's forms post and redirect to. */
  base: string;
  showLead(
    reply: FastifyReply,
    lead: LeadDetail,
    page: { notice: string | null; errors: Record<string, string> },
  ): unknown;
  showQuote(reply: FastifyReply, form: QuoteFormProps): unknown;
}

export interface QuoteFormProps {
  summary: string;
  sheet: ReturnType<typeof quoteSheet>;
  replacing: boolean;
  fields: FormFields;
  errors: Record<string, string>;
  csrf: string;
}

export const LEAD_NOTICES: Record<string, string> = {
  accepted:
    'You accepted the brief and committed to quote. The whole scope sheet is below; ask the buyer anything here.',
  declined:
    'You declined the brief. The buyer is offered another firm; you never received their details.',
  quoted:
    'Your quote is on the buyer’s page, side by side with the other firms’ quotes; the buyer was emailed.',
  asked: 'Your question is on the buyer’s page, and the buyer was emailed a link to answer.',
  booked: 'The call is booked: the invitation and the buyer’s details are in your email.',
  moved: 'The call has moved: both sides got the updated invitation.',
  cancelled: 'The call is cancelled; both calendars got the cancellation.',
};

const question = plainText(2000, { multiline: true }).pipe(
  z.string().min(5, 'write your question'),
);

function quoteFields(quote: Awaited<ReturnType<typeof quoteContext>>['quote']): FormFields {
  if (!quote) return {};
  const fields: FormFields = {
    startDate: quote.startDate,
    reportDate: quote.reportDate,
    validUntil: quote.validUntil,
    assumptions: quote.assumptions,
    callCouldChange: quote.callCouldChange,
  };
  for (const line of quote.lineItems) {
    fields[feeField(line.framework, line.phase)] = String(line.minUsd);
    if (line.maxUsd !== line.minUsd)
      fields[feeToField(line.framework, line.phase)] = String(line.maxUsd);
  }
  return fields;
}

/**
 * Registers the lead's routes under `prefix` ('/leads/:briefId' in /firm, '/:token' in /b), with
 * `doorOf` reading who acts from the request (session or signed link).
 */
export function registerLeadWork(
  app: FastifyInstance,
  prefix: string,
  doorOf: (request: FastifyRequest) => Promise<LeadDoor>,
  routeOptions: object = {},
) {
  const { ctx } = app;
  const fieldsOf = (request: FastifyRequest) => (request.body ?? {}) as FormFields;

  async function showLead(
    reply: FastifyReply,
    door: LeadDoor,
    notice: string | null,
    errors: Record<string, string> = {},
  ) {
    return door.showLead(reply, await leadDetail(ctx, door.who, door.briefId), { notice, errors });
  }

  /** Runs a step on the lead; a refusal shows the lead again with the message at `field`. */
  async function act(
    reply: FastifyReply,
    door: LeadDoor,
    field: string,
    done: string,
    step: () => Promise<unknown>,
  ) {
    return redirectAfter(reply, `${door.base}?done=${done}`, step, (status, message) =>
      showLead(reply.code(status), door, null, { [field]: message }),
    );
  }

  app.get(prefix, routeOptions, async (request, reply) => {
    const door = await doorOf(request);
    const done = one(request.query as FormFields, 'done');
    return showLead(reply, door, done ? (LEAD_NOTICES[done] ?? null) : null);
  });

  app.post(`${prefix}/messages`, routeOptions, async (request, reply) => {
    const door = await doorOf(request);
    const text = question.safeParse(one(fieldsOf(request), 'body') ?? '');
    if (!text.success)
      return showLead(reply.code(400), door, null, {
        body: text.error.issues[0]?.message ?? 'write your question',
      });
    return act(reply, door, 'body', 'asked', () =>
      askBuyer(ctx, door.who, door.briefId, text.data),
    );
  });

  app.get(`${prefix}/quote`, routeOptions, async (request, reply) => {
    const door = await doorOf(request);
    const context = await quoteContext(ctx, door.who, door.briefId);
    if (!context.requestOpen)
      throw new ServiceError(410, 'The buyer has closed this request; it takes no more quotes.');
    return door.showQuote(reply, {
      summary: briefSummary(context.scope),
      sheet: quoteSheet(context.scope),
      replacing: context.quote !== null,
      fields: quoteFields(context.quote),
      errors: {},
      csrf: reply.generateCsrf(),
    });
  });

  app.post(`${prefix}/quote`, routeOptions, async (request, reply) => {
    const door = await doorOf(request);
    const context = await quoteContext(ctx, door.who, door.briefId);
    const sheet = quoteSheet(context.scope);
    const fields = fieldsOf(request);
    const form = (errors: Record<string, string>) => ({
      summary: briefSummary(context.scope),
      sheet,
      replacing: context.quote !== null,
      fields,
      errors,
      csrf: reply.generateCsrf(),
    });
    const parsed = parseQuoteForm(fields, sheet);
    if (!parsed.ok) return door.showQuote(reply.code(400), form(parsed.errors));
    try {
      await submitQuote(ctx, door.who, door.briefId, parsed.value);
      return reply.redirect(`${door.base}?done=quoted`, 303);
    } catch (error) {
      if (!(error instanceof ServiceError) || !error.field) throw error;
      return door.showQuote(reply.code(error.status), form({ [error.field]: error.message }));
    }
  });

  const callAction = `${prefix}/calls/:callId`;
  const callId = (request: FastifyRequest) => {
    const id = (request.params as { callId: string }).callId;
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new ServiceError(404, 'This call is not one of yours.');
    return id;
  };

  app.post(`${callAction}/pick`, routeOptions, async (request, reply) => {
    const door = await doorOf(request);
    const id = callId(request);
    return act(reply, door, 'call', 'booked', () =>
      pickOfferedTime(ctx, door.who, id, slotInstant(one(fieldsOf(request), 'slot'))),
    );
  });

  app.post(`${callAction}/reschedule`, routeOptions, async (request, reply) => {
    const door = await doorOf(request);
    const id = callId(request);
    // The firm types the new time on its own clock.
    const firm = await ctx.db.kysely
      .selectFrom('briefs')
      .innerJoin('firms', 'firms.id', 'briefs.firmId')
      .select('firms.timeZone')
      .where('briefs.id', '=', door.briefId)
      .executeTakeFirst();
    const start = localInstant(one(fieldsOf(request), 'when'), firm?.timeZone ?? 'UTC');
    return act(reply, door, 'call', 'moved', () =>
      rescheduleCall(ctx, { side: 'firm', who: door.who }, id, start),
    );
  });

  app.post(`${callAction}/cancel`, routeOptions, async (request, reply) => {
    const door = await doorOf(request);
    const id = callId(request);
    const reason = plainText(300).safeParse(one(fieldsOf(request), 'reason') ?? '');
    return act(reply, door, 'call', 'cancelled', () =>
      cancelCall(
        ctx,
        { side: 'firm', who: door.who },
        id,
        reason.success && reason.data ? reason.data : 'the firm cancelled',
      ),
    );
  });
}
