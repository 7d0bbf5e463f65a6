import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ServiceError } from '../../../services/context';
import {
  confirmRequest,
  findConfirmation,
  resendFromConfirmation,
  resendPrivateLinks,
} from '../../../services/intake';
import { type FormFields, one } from '../../forms/fields';
import { perEmailLimit, RATE_LIMITS } from '../../plugins/security';
import { sendPage } from '../../render';
import {
  ConfirmedAlreadyPage,
  ConfirmPage,
  DuplicateClosedPage,
  LostLinkPage,
} from '../../views/pages/buyer/private';

const NOINDEX = { noindex: true } as const;

/**
 * Before the private page: the link in the confirmation email (a different token, used once),
 * and the form that sends the private links again to the address that asks.
 */
export default async function confirmationRoutes(app: FastifyInstance) {
  const { ctx } = app;

  const tokenRoute = { config: { rateLimit: RATE_LIMITS.tokenLink } };

  app.get<{ Params: { token: string } }>('/confirm/:token', tokenRoute, async (request, reply) => {
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
  });

  app.post<{ Params: { token: string } }>(
    '/confirm/:token/resend',
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
  app.get('/lost', async (_request, reply) =>
    sendPage(reply, LostLinkPage({ csrf: reply.generateCsrf(), sent: false, error: null }), {
      title: 'Your private link',
      ...NOINDEX,
    }),
  );

  app.post(
    '/lost',
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

  app.post<{ Params: { token: string } }>('/confirm/:token', tokenRoute, async (request, reply) => {
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
  });
}
