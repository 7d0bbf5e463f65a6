import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { OFFERED_SLOT_COUNT } from '../../../domain/lifecycle/calls';
import { buyerView, shareDetails } from '../../../services/buyer';
import { bookCall, cancelCall, rescheduleCall } from '../../../services/calls';
import { ServiceError } from '../../../services/context';
import { formatCsv } from '../../../domain/csv';
import { chooseQuote } from '../../../services/firm/quotes';
import { answerFirm } from '../../../services/messages';
import { plainText } from '../../../domain/text';
import { type FormFields, one } from '../../forms/fields';
import { localInstant, slotInstant } from '../../forms/times';
import { redirectAfter } from '../../forms/parse';
import { RATE_LIMITS } from '../../plugins/security';
import { privatePageOf, sendBuyerPage } from './page';

/**
 * The buyer's journey after the brief, on its private page: answer a firm's questions (or share
 * an answer with all), share its details with a firm, book one short call (a published slot, or
 * three times of its own), move or cancel it, mark its preferred quote, download the comparison.
 */

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const messageBody = plainText(2000, { multiline: true }).pipe(
  z.string().min(2, 'write a few words'),
);

/** Who moves or cancels a call: the buyer of this request. */
type CallSide = { side: 'buyer'; requestId: string };

export default async function journeyRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const tokenRoute = { config: { rateLimit: RATE_LIMITS.tokenLink } };
  const body = (fields: unknown) => (fields ?? {}) as FormFields;

  /** Runs the step; a refusal re-renders the private page with the message at its place. */
  async function act(
    reply: FastifyReply,
    token: string,
    id: string,
    errorKey: string,
    done: string,
    step: () => Promise<unknown>,
  ) {
    return redirectAfter(reply, `/r/${token}?done=${done}`, step, (status, message) =>
      sendBuyerPage(reply.code(status), ctx, {
        token,
        id,
        errors: { [errorKey]: message },
        notice: null,
      }),
    );
  }

  /** A step about one brief: the brief's id must look like one before any service sees it. */
  function onBrief(
    action: string,
    step: (
      page: { token: string; id: string; briefId: string },
      fields: FormFields,
      reply: FastifyReply,
    ) => Promise<unknown>,
  ) {
    app.post<{ Params: { token: string; briefId: string } }>(
      `/:token/briefs/:briefId/${action}`,
      tokenRoute,
      async (request, reply) => {
        const { briefId } = request.params;
        if (!ID.test(briefId)) throw new ServiceError(404, 'This firm did not receive your brief.');
        return step({ ...privatePageOf(request), briefId }, body(request.body), reply);
      },
    );
  }

  onBrief('messages', async ({ token, id, briefId }, fields, reply) => {
    const text = messageBody.safeParse(one(fields, 'body') ?? '');
    if (!text.success)
      return sendBuyerPage(reply.code(400), ctx, {
        token,
        id,
        errors: { [`body-${briefId}`]: text.error.issues[0]?.message ?? 'write a few words' },
        notice: null,
      });
    const inReplyTo = one(fields, 'inReplyTo');
    return act(reply, token, id, `body-${briefId}`, 'answered', () =>
      answerFirm(ctx, id, briefId, text.data, {
        shareWithAll: one(fields, 'shareWithAll') === 'yes',
        ...(inReplyTo && ID.test(inReplyTo) ? { inReplyTo } : {}),
      }),
    );
  });

  onBrief('share', async ({ token, id, briefId }, _fields, reply) =>
    act(reply, token, id, `call-${briefId}`, 'shared', () => shareDetails(ctx, id, briefId)),
  );

  onBrief('call', async ({ token, id, briefId }, fields, reply) => {
    const timeZone = one(fields, 'timeZone') ?? 'UTC';
    const offered = Array.from({ length: OFFERED_SLOT_COUNT }, (_, i) =>
      one(fields, `offer${i + 1}`),
    ).filter((v) => v);
    const booking =
      one(fields, 'slot') !== undefined
        ? ({ kind: 'slot', start: slotInstant(one(fields, 'slot')), published: false } as const)
        : ({ kind: 'offer', slots: offered.map((v) => localInstant(v, timeZone)) } as const);
    return act(
      reply,
      token,
      id,
      `call-${briefId}`,
      booking.kind === 'slot' ? 'booked' : 'offered',
      () => bookCall(ctx, id, briefId, booking, timeZone),
    );
  });

  /** The brief a call belongs to: where the page returns to after a move or a cancellation. */
  async function briefOfCall(callId: string): Promise<string> {
    if (!ID.test(callId)) throw new ServiceError(404, 'This call is not one of yours.');
    const call = await ctx.db.kysely
      .selectFrom('calls')
      .select('briefId')
      .where('id', '=', callId)
      .executeTakeFirst();
    return call?.briefId ?? '';
  }

  /** Moving or cancelling the call, as the buyer; the page returns to the call's brief. */
  for (const [action, done, step] of [
    [
      'reschedule',
      'moved',
      (buyer: CallSide, callId: string, fields: FormFields) =>
        rescheduleCall(ctx, buyer, callId, slotInstant(one(fields, 'slot'))),
    ],
    [
      'cancel',
      'cancelled',
      (buyer: CallSide, callId: string, fields: FormFields) => {
        const reason = plainText(300).safeParse(one(fields, 'reason') ?? '');
        return cancelCall(
          ctx,
          buyer,
          callId,
          reason.success && reason.data ? reason.data : 'the buyer cancelled',
        );
      },
    ],
  ] as const) {
    app.post<{ Params: { token: string; callId: string } }>(
      `/:token/calls/:callId/${action}`,
      tokenRoute,
      async (request, reply) => {
        const { token, id } = privatePageOf(request);
        const { callId } = request.params;
        const briefId = await briefOfCall(callId);
        return act(reply, token, id, `call-${briefId}`, done, () =>
          step({ side: 'buyer', requestId: id }, callId, body(request.body)),
        );
      },
    );
  }

  app.post<{ Params: { token: string; quoteId: string } }>(
    '/:token/quotes/:quoteId/choose',
    tokenRoute,
    async (request, reply) => {
      const { token, id } = privatePageOf(request);
      const { quoteId } = request.params;
      if (!ID.test(quoteId))
        throw new ServiceError(404, 'This quote is not one of yours to choose.');
      await chooseQuote(ctx, id, quoteId);
      return reply.redirect(`/r/${token}#quotes-title`, 303);
    },
  );

  /** The comparison as a spreadsheet: one row per line, a column per firm, "not quoted" where absent. */
  app.get<{ Params: { token: string } }>(
    '/:token/quotes.csv',
    tokenRoute,
    async (request, reply) => {
      const { id } = privatePageOf(request);
      const view = await buyerView(ctx, id);
      const live = view.quotes.filter((q) => q.status !== 'withdrawn');
      const range = (r: { minUsd: number; maxUsd: number }) =>
        r.minUsd === r.maxUsd ? String(r.minUsd) : `${r.minUsd}-${r.maxUsd}`;
      const rows: string[][] = [
        ['Line', ...live.map((q) => q.firmName)],
        ...view.comparison.rows.map((r) => [
          r.label,
          ...r.cells.map((c) => (c ? range(c) : 'not quoted')),
        ]),
        [
          'Year one',
          ...view.comparison.yearOne.map((t) => `${range(t)}${t.complete ? '' : ' (incomplete)'}`),
        ],
        [
          'Whole cycle',
          ...view.comparison.fullCycle.map(
            (t) => `${range(t)}${t.complete ? '' : ' (incomplete)'}`,
          ),
        ],
        ['Valid until', ...live.map((q) => q.validUntil)],
      ];
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="quotes-${view.reference}.csv"`)
        .send(formatCsv(rows));
    },
  );
}
