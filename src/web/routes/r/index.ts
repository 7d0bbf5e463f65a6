import type { FastifyInstance, FastifyReply } from 'fastify';
import type { WithdrawMode } from '../../../domain/lifecycle/decisions';
import { z } from 'zod';
import { sendBriefs } from '../../../services/briefs';
import {
  buyerView,
  COMPLAINT_KINDS,
  type ComplaintKind,
  eraseRequestData,
  fileComplaint,
  withdrawRequest,
} from '../../../services/buyer';
import { ServiceError } from '../../../services/context';
import { plainText } from '../../../domain/text';
import { type FormFields, many, one } from '../../forms/fields';
import { sendPage } from '../../render';
import { WithdrawPage } from '../../views/pages/buyer/private';
import journeyRoutes from './journey';
import { defineArea, registerEach } from '../area';
import confirmationRoutes from './confirm';
import { openPrivatePage, privatePageOf, sendBuyerPage } from './page';
import { RATE_LIMITS } from '../../plugins/security';

const NOINDEX = { noindex: true } as const;

/** Anything but an explicit "keep the firm I chose" stops everything. */
const withdrawMode = (value: string | undefined): WithdrawMode =>
  value === 'keep-chosen' ? 'keep-chosen' : 'everything';

/** The buyer's private page: choose firms, stop them, delete the data, report a firm. */
async function privatePageRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const tokenRoute = { config: { rateLimit: RATE_LIMITS.tokenLink } };

  const showBuyerPage = (
    reply: FastifyReply,
    token: string,
    id: string,
    errors: Record<string, string> = {},
    notice: string | null = null,
  ) => sendBuyerPage(reply, ctx, { token, id, errors, notice });

  app.get<{ Params: { token: string } }>('/:token', tokenRoute, async (request, reply) => {
    const { id } = privatePageOf(request);
    const query = request.query as FormFields;
    const notice = one(query, 'done');
    const NOTICES: Record<string, string> = {
      briefs:
        'Your brief is on its way. Each firm answers within the response window; you will get an email when one accepts.',
      withdrawn: 'Your request is withdrawn. Firms holding it have been told.',
      narrowed: 'The other firms have been told to stop; the firm you chose keeps your request.',
      answered: 'Sent. The firm sees it on its lead page, and we emailed it the link.',
      shared: 'Your details are on their way to the firm.',
      booked:
        'Your call is booked: the invitation is in your email, and the firm has your details for it.',
      offered: 'Your times are on their way to the firm; it picks one, and you get the invitation.',
      moved: 'The call has moved: the updated invitation is in your email.',
      cancelled: 'The call is cancelled; both calendars get the cancellation.',
      reported: 'Thank you. Your report reached the operator, who will look into it.',
      deleted: 'Your data is deleted.',
    };
    return sendBuyerPage(reply, ctx, {
      token: request.params.token,
      id,
      errors: {},
      notice: notice ? (NOTICES[notice] ?? null) : null,
      timeZone: one(query, 'tz'),
    });
  });

  /** A form on the private page: the request the guard opened, and the fields as posted. */
  const onPost = (
    action: string,
    handle: (
      page: { token: string; id: string },
      fields: FormFields,
      reply: FastifyReply,
    ) => Promise<unknown>,
  ) =>
    app.post(`/:token/${action}`, tokenRoute, async (request, reply) =>
      handle(privatePageOf(request), (request.body ?? {}) as FormFields, reply),
    );

  onPost('briefs', async ({ token, id }, fields, reply) => {
    const firms = many(fields, 'firm').filter((f) => /^[0-9a-f-]{36}$/.test(f));
    try {
      await sendBriefs(ctx, id, firms);
      return reply.redirect(`/r/${token}?done=briefs`, 303);
    } catch (error) {
      if (error instanceof ServiceError)
        return showBuyerPage(reply.code(error.status), token, id, { firms: error.message });
      throw error;
    }
  });

  /** Stopping firms takes two steps: this page says exactly who is told, and asks to confirm. */
  app.get<{ Params: { token: string } }>('/:token/withdraw', tokenRoute, async (request, reply) => {
    const { token, id } = privatePageOf(request);
    const view = await buyerView(ctx, id);
    const mode = withdrawMode(one(request.query as FormFields, 'mode'));
    return sendPage(
      reply,
      WithdrawPage({ view, token, mode, csrf: reply.generateCsrf(), error: null }),
      { title: 'Stop firms', ...NOINDEX },
    );
  });

  onPost('withdraw', async ({ token, id }, fields, reply) => {
    const mode = withdrawMode(one(fields, 'mode'));
    const again = async (status: number, error: string) => {
      return sendPage(
        reply.code(status),
        WithdrawPage({
          view: await buyerView(ctx, id),
          token,
          mode,
          csrf: reply.generateCsrf(),
          error,
        }),
        { title: 'Stop firms', ...NOINDEX },
      );
    };
    if (one(fields, 'confirm') !== 'yes') return again(400, 'Tick the box to confirm.');
    try {
      await withdrawRequest(ctx, id, mode);
      return reply.redirect(
        `/r/${token}?done=${mode === 'keep-chosen' ? 'narrowed' : 'withdrawn'}`,
        303,
      );
    } catch (error) {
      if (error instanceof ServiceError) return again(error.status, error.message);
      throw error;
    }
  });

  onPost('delete', async ({ token, id }, fields, reply) => {
    if (one(fields, 'confirm') !== 'yes') {
      return showBuyerPage(reply.code(400), token, id, {
        confirm: 'Tick the box to confirm you want your data deleted.',
      });
    }
    await eraseRequestData(ctx, id, 'buyer');
    return reply.redirect(`/r/${token}?done=deleted`, 303);
  });

  const complaintBody = plainText(2000, { multiline: true }).pipe(
    z.string().min(10, 'Please describe what happened in at least a few words.'),
  );
  onPost('complaints', async ({ token, id }, fields, reply) => {
    const kind = one(fields, 'kind');
    const body = complaintBody.safeParse(one(fields, 'body') ?? '');
    // Own keys only: "constructor" or "__proto__" are `in` every object.
    if (!kind || !Object.hasOwn(COMPLAINT_KINDS, kind))
      return showBuyerPage(reply.code(400), token, id, {
        kind: 'Choose what happened from the list.',
      });
    if (!body.success)
      return showBuyerPage(reply.code(400), token, id, {
        body: body.error.issues[0]?.message ?? 'Describe what happened.',
      });
    try {
      // An empty choice is no firm, not a firm with the id "" (which the database refuses).
      await fileComplaint(ctx, id, {
        firmId: one(fields, 'firm') || null,
        kind: kind as ComplaintKind,
        body: body.data,
      });
      return reply.redirect(`/r/${token}?done=reported`, 303);
    } catch (error) {
      if (error instanceof ServiceError)
        return showBuyerPage(reply.code(error.status), token, id, { firm: error.message });
      throw error;
    }
  });
}

/**
 * The buyer's side under /r: no account, the private link in each address is the key, so every
 * `:token` page here is a capability page. The private page and everything on it (/r/{token}/…)
 * are guarded once: the token must open a request. The preview and the request form are on the open
 * site (public/match.ts); the review link is its own area (/reviews).
 */
export default defineArea({
  async routes(app) {
    await app.register(confirmationRoutes);
    await app.register(async (page) => {
      page.addHook('preHandler', openPrivatePage);
      await registerEach(page, [privatePageRoutes, journeyRoutes]);
    });
  },
  capabilityPages: true,
});
