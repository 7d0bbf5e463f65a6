import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { completeSignIn, requestSignIn } from '../../../services/auth';
import { ServiceError } from '../../../services/context';
import { type FormFields, one } from '../../forms/fields';
import { perEmailLimit, RATE_LIMITS } from '../../plugins/security';
import { setSessionCookie } from '../../plugins/session';
import { sendPage } from '../../render';
import { SignInConfirmPage, SignInPage } from '../../views/pages/sign-in';
import { defineArea } from '../area';

const Email = z.string().trim().max(254).pipe(z.email());

/** Only same-site paths may be a post-sign-in destination: no open redirect. */
function safeNext(next: string | undefined): string | undefined {
  return next && /^\/(firm|admin)(\/[A-Za-z0-9/_?=&.-]*)?$/.test(next) ? next : undefined;
}

async function signInRoutes(app: FastifyInstance) {
  const meta = { title: 'Sign in', noindex: true } as const;

  app.get('', async (request, reply) => {
    const next = safeNext(one(request.query as FormFields, 'next'));
    return sendPage(reply, SignInPage({ csrf: reply.generateCsrf(), next }), meta);
  });

  app.post(
    '',
    { config: { rateLimit: RATE_LIMITS.signIn }, preHandler: perEmailLimit(app) },
    async (request, reply) => {
      const fields = (request.body ?? {}) as FormFields;
      const email = Email.safeParse(one(fields, 'email') ?? '');
      const next = safeNext(one(fields, 'next'));
      if (!email.success) {
        return sendPage(
          reply.code(400),
          SignInPage({ csrf: reply.generateCsrf(), error: 'Enter your work email address.', next }),
          meta,
        );
      }
      await requestSignIn(app.ctx, email.data);
      return sendPage(reply, SignInPage({ csrf: reply.generateCsrf(), sent: true, next }), meta);
    },
  );

  // GET only shows a button: mail scanners that open links must not use up the token.
  app.get<{ Params: { token: string } }>(
    '/:token',
    { config: { rateLimit: RATE_LIMITS.tokenLink } },
    async (request, reply) => {
      const next = safeNext(one(request.query as FormFields, 'next'));
      return sendPage(
        reply,
        SignInConfirmPage({ token: request.params.token, csrf: reply.generateCsrf(), next }),
        meta,
      );
    },
  );

  app.post<{ Params: { token: string } }>(
    '/:token',
    { config: { rateLimit: RATE_LIMITS.signIn } },
    async (request, reply) => {
      try {
        const { sessionToken, user } = await completeSignIn(app.ctx, request.params.token);
        setSessionCookie(reply, sessionToken);
        const next = safeNext(one((request.body ?? {}) as FormFields, 'next'));
        return reply.redirect(next ?? (user.role === 'admin' ? '/admin' : '/firm'), 303);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        // An expired or used link is not a dead end: the page asks for a new one.
        const message =
          error.status === 410
            ? 'This sign-in link has expired or was already used: enter your email for a new one.'
            : error.message;
        return sendPage(
          reply.code(error.status),
          SignInPage({ csrf: reply.generateCsrf(), error: message }),
          meta,
        );
      }
    },
  );
}

/**
 * Signing in by email link, open to anyone: the link in the email (/sign-in/{token}) is the
 * key, so it is a capability page. A signed-in session is checked by the area it opens.
 */
export default defineArea({ routes: signInRoutes, capabilityPages: true });
