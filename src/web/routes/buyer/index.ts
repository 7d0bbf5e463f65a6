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
import {
  confirmRequest,
  countPreview,
  findConfirmation,
  previewMatch,
  resendFromConfirmation,
  resendPrivateLinks,
  submitRequest,
} from '../../../services/intake';
import type { ScopeInput } from '../../../services/intake/schemas';
import { plainText } from '../../../domain/text';
import { type FormFields, many, one } from '../../forms/fields';
import { parseRequestForm, parseScopeForm, scopeToFields } from '../../forms/scope-form';
import { renderDocument, sendPage } from '../../render';
import { MatchPage, RequestSentPage } from '../../views/pages/buyer/match';
import {
  ConfirmedAlreadyPage,
  ConfirmPage,
  DuplicateClosedPage,
  LostLinkPage,
  WithdrawPage,
} from '../../views/pages/buyer/private';
import journeyRoutes from './journey';
import reviewRoutes from './reviews';
import { requestForToken, sendBuyerPage } from './page';
import { TOKEN_SLOT, TokenPageCache } from '../../plugins/page-cache';
import { perEmailLimit, RATE_LIMITS } from '../../plugins/security';
import { isoDay } from '../../../domain/matching/dates';

const NOINDEX = { noindex: true } as const;

/** Anything but an explicit "keep the firm I chose" stops everything. */
const withdrawMode = (value: string | undefined): WithdrawMode =>
  value === 'keep-chosen' ? 'keep-chosen' : 'everything';

/** The buyer journey: preview, request, confirm, choose firms, and the private page. */
export default async function buyerRoutes(app: FastifyInstance) {
  const { ctx } = app;
  await app.register(journeyRoutes);
  await app.register(reviewRoutes);

  // A preview page is the same for everyone who asks for the same scope while the catalog (with
  // its live state), the rotation and the day stay put: rendered once, each visitor's CSRF
  // token goes in place.
  const previewPages = new TokenPageCache<ScopeInput>();
  const previewKey = async (url: string) =>
    `${await ctx.catalog.matchStateKey()}|${isoDay(ctx.now())}|${url}`;

  app.get('/match', { config: { rateLimit: RATE_LIMITS.preview } }, async (request, reply) => {
    const fields = request.query as FormFields;
    const csrf = reply.generateCsrf();
    const meta = {
      title: 'Get three quotes',
      description:
        'Tell us your scope once and see the three audit firms that fit, before giving any contact details.',
      canonical: '/match',
    };
    if (one(fields, 'preview') !== '1') {
      return sendPage(
        reply,
        MatchPage({ fields, errors: {}, result: null, scopePairs: null, csrf }),
        meta,
      );
    }
    const key = await previewKey(request.url);
    const cached = previewPages.get(key);
    if (cached) {
      countPreview(ctx, cached.data);
      return previewPages.send(request, reply, cached, csrf);
    }
    const parsed = parseScopeForm(fields);
    if (!parsed.ok) {
      return sendPage(
        reply.code(400),
        MatchPage({ fields, errors: parsed.errors, result: null, scopePairs: null, csrf }),
        meta,
      );
    }
    let result: Awaited<ReturnType<typeof previewMatch>>;
    try {
      result = await previewMatch(ctx, parsed.value);
    } catch (error) {
      if (!(error instanceof ServiceError) || !error.field) throw error;
      return sendPage(
        reply.code(error.status),
        MatchPage({
          fields,
          errors: { neededBy: error.message },
          result: null,
          scopePairs: null,
          csrf,
        }),
        meta,
      );
    }
    const html = renderDocument(
      reply,
      MatchPage({
        fields,
        errors: {},
        result,
        scopePairs: scopeToFields(parsed.value),
        csrf: TOKEN_SLOT,
      }),
      { ...meta, noindex: true },
    );
    // Kept only if nothing moved while matching, so an entry never holds another version's firms.
    const page =
      key === (await previewKey(request.url)) ? previewPages.put(key, html, parsed.value) : null;
    return page
      ? previewPages.send(request, reply, page, csrf)
      : reply.type('text/html; charset=utf-8').send(html.replaceAll(TOKEN_SLOT, csrf));
  });

  app.post('/requests', { config: { rateLimit: RATE_LIMITS.intake } }, async (request, reply) => {
    const fields = (request.body ?? {}) as FormFields;
    // Bots fill every field; people never see this one. Pretend success, store nothing.
    if (typeof fields.website === 'string' && fields.website !== '')
      return reply.redirect('/requests/sent', 303);
    const parsed = parseRequestForm(fields);
    if (!parsed.ok) {
      const scope = parseScopeForm(fields);
      const result = scope.ok ? await previewMatch(ctx, scope.value).catch(() => null) : null;
      return sendPage(
        reply.code(400),
        MatchPage({
          fields,
          errors: parsed.errors,
          result,
          scopePairs: scope.ok ? scopeToFields(scope.value) : null,
          csrf: reply.generateCsrf(),
        }),
        { title: 'Get three quotes', ...NOINDEX },
      );
    }
    // The form's CSRF token is unique to each rendered form: it doubles as the form's idempotency
    // key, so Back + submit, a double click or a retry of the same form stores one request.
    try {
      const { reference } = await submitRequest(ctx, parsed.value, one(fields, '_csrf'));
      return reply.redirect(`/requests/sent?ref=${encodeURIComponent(reference)}`, 303);
    } catch (error) {
      // A date already past re-renders the form at the field; other refusals go to the error page.
      if (!(error instanceof ServiceError) || error.field !== 'scope.neededBy') throw error;
      return sendPage(
        reply.code(400),
        MatchPage({
          fields,
          errors: { neededBy: error.message },
          result: null,
          scopePairs: null,
          csrf: reply.generateCsrf(),
        }),
        { title: 'Get three quotes', ...NOINDEX },
      );
    }
  });

  app.get('/requests/sent', async (request, reply) => {
    const ref = one(request.query as FormFields, 'ref');
    return sendPage(
      reply,
      RequestSentPage({ reference: ref && /^AM-[A-Z0-9]{8}$/.test(ref) ? ref : null }),
      { title: 'Check your inbox', ...NOINDEX },
    );
  });

  const tokenRoute = { config: { rateLimit: RATE_LIMITS.tokenLink } };

  app.get<{ Params: { token: string } }>(
    '/r/confirm/:token',
    tokenRoute,
    async (request, reply) => {
      const target = await findConfirmation(ctx, request.params.token);
      if (!target)
        throw new ServiceError(
          404,
          'This confirmation link is not valid. If you lost your private link, ask for it again at /r/lost.',
        );
      if (target.status === 'confirmed' || target.status === 'active') {
        // Used before: say so, and offer the private link again (to the address that confirmed it).
        return sendPage(
          reply,
          ConfirmedAlreadyPage({
            token: request.params.token,
            reference: target.reference,
            csrf: reply.generateCsrf(),
            sent: false,
          }),
          { title: 'Already confirmed', ...NOINDEX },
        );
      }
      if (target.status !== 'unconfirmed')
        throw new ServiceError(
          410,
          'This request is closed. You can send a new one from the match page.',
        );
      if (target.expired)
        throw new ServiceError(
          410,
          'This confirmation link has expired. Please send your request again.',
        );
      return sendPage(
        reply,
        ConfirmPage({
          token: request.params.token,
          reference: target.reference,
          duplicateOf: target.duplicateOf?.reference ?? null,
          csrf: reply.generateCsrf(),
        }),
        { title: 'Confirm your request', ...NOINDEX },
      );
    },
  );

  app.post<{ Params: { token: string } }>(
    '/r/confirm/:token/resend',
    tokenRoute,
    async (request, reply) => {
      const { reference } = await resendFromConfirmation(ctx, request.params.token);
      return sendPage(
        reply,
        ConfirmedAlreadyPage({
          token: request.params.token,
          reference,
          csrf: reply.generateCsrf(),
          sent: true,
        }),
        { title: 'Already confirmed', ...NOINDEX },
      );
    },
  );

  /** "I lost my private link": the same answer whether or not the address has a request. */
  app.get('/r/lost', async (_request, reply) =>
    sendPage(reply, LostLinkPage({ csrf: reply.generateCsrf(), sent: false, error: null }), {
      title: 'Your private link',
      ...NOINDEX,
    }),
  );

  app.post(
    '/r/lost',
    { config: { rateLimit: RATE_LIMITS.signIn }, preHandler: perEmailLimit(app) },
    async (request, reply) => {
      const email = z
        .string()
        .trim()
        .max(254)
        .pipe(z.email())
        .safeParse(one((request.body ?? {}) as FormFields, 'email') ?? '');
      if (!email.success)
        return sendPage(
          reply.code(400),
          LostLinkPage({
            csrf: reply.generateCsrf(),
            sent: false,
            error: 'Enter the email address you sent your request from.',
          }),
          { title: 'Your private link', ...NOINDEX },
        );
      await resendPrivateLinks(ctx, email.data);
      return sendPage(
        reply,
        LostLinkPage({ csrf: reply.generateCsrf(), sent: true, error: null }),
        { title: 'Your private link', ...NOINDEX },
      );
    },
  );

  app.post<{ Params: { token: string } }>(
    '/r/confirm/:token',
    tokenRoute,
    async (request, reply) => {
      const choice = one((request.body ?? {}) as FormFields, 'choice');
      const confirmed = await confirmRequest(
        ctx,
        request.params.token,
        choice === 'resend' || choice === 'replace' ? choice : undefined,
      );
      if (confirmed.kind === 'confirmed') return reply.redirect(`/r/${confirmed.accessToken}`, 303);
      if (choice === 'resend') {
        return sendPage(reply, DuplicateClosedPage({ reference: confirmed.openReference }), {
          title: 'Your request is already open',
          ...NOINDEX,
        });
      }
      // Another request for the same need is open: the buyer decides before anything is matched.
      return sendPage(
        reply.code(409),
        ConfirmPage({
          token: request.params.token,
          reference: '',
          duplicateOf: confirmed.openReference,
          csrf: reply.generateCsrf(),
        }),
        { title: 'Confirm your request', ...NOINDEX },
      );
    },
  );

  const requestFor = (token: string) => requestForToken(ctx, token);
  const showBuyerPage = (
    reply: FastifyReply,
    token: string,
    id: string,
    errors: Record<string, string> = {},
    notice: string | null = null,
  ) => sendBuyerPage(reply, ctx, { token, id, errors, notice });

  app.get<{ Params: { token: string } }>('/r/:token', tokenRoute, async (request, reply) => {
    const id = await requestFor(request.params.token);
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

  app.post<{ Params: { token: string } }>(
    '/r/:token/briefs',
    tokenRoute,
    async (request, reply) => {
      const { token } = request.params;
      const id = await requestFor(token);
      const firms = many((request.body ?? {}) as FormFields, 'firm').filter((f) =>
        /^[0-9a-f-]{36}$/.test(f),
      );
      try {
        await sendBriefs(ctx, id, firms);
        return reply.redirect(`/r/${token}?done=briefs`, 303);
      } catch (error) {
        if (error instanceof ServiceError)
          return showBuyerPage(reply.code(error.status), token, id, { firms: error.message });
        throw error;
      }
    },
  );

  /** Stopping firms takes two steps: this page says exactly who is told, and asks to confirm. */
  app.get<{ Params: { token: string } }>(
    '/r/:token/withdraw',
    tokenRoute,
    async (request, reply) => {
      const { token } = request.params;
      const view = await buyerView(ctx, await requestFor(token));
      const mode = withdrawMode(one(request.query as FormFields, 'mode'));
      return sendPage(
        reply,
        WithdrawPage({ view, token, mode, csrf: reply.generateCsrf(), error: null }),
        { title: 'Stop firms', ...NOINDEX },
      );
    },
  );

  app.post<{ Params: { token: string } }>(
    '/r/:token/withdraw',
    tokenRoute,
    async (request, reply) => {
      const { token } = request.params;
      const id = await requestFor(token);
      const fields = (request.body ?? {}) as FormFields;
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
    },
  );

  app.post<{ Params: { token: string } }>(
    '/r/:token/delete',
    tokenRoute,
    async (request, reply) => {
      const { token } = request.params;
      const id = await requestFor(token);
      if (one((request.body ?? {}) as FormFields, 'confirm') !== 'yes') {
        return showBuyerPage(reply.code(400), token, id, {
          confirm: 'Tick the box to confirm you want your data deleted.',
        });
      }
      await eraseRequestData(ctx, id, 'buyer');
      return reply.redirect(`/r/${token}?done=deleted`, 303);
    },
  );

  const complaintBody = plainText(2000, { multiline: true }).pipe(
    z.string().min(10, 'Please describe what happened in at least a few words.'),
  );
  app.post<{ Params: { token: string } }>(
    '/r/:token/complaints',
    tokenRoute,
    async (request, reply) => {
      const { token } = request.params;
      const id = await requestFor(token);
      const fields = (request.body ?? {}) as FormFields;
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
    },
  );
}
