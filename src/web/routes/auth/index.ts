import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { completeSignIn, requestSignIn, signOut } from '../../../services/auth';
import { ServiceError } from '../../../services/context';
import { type FormFields, one } from '../../forms/fields';
import { perEmailLimit, RATE_LIMITS } from '../../plugins/security';
import { clearSessionCookie, currentUser, setSessionCookie } from '../../plugins/session';
import { sendPage } from '../../render';
import { SignInConfirmPage, SignInPage } from '../../views/pages/sign-in';

const Email = z.string().trim().max(254).pipe(z.email());

/** Only same-site paths may be a post-sign-in destination: no open redirect. */
function safeNext(next: string | undefined): string | undefined {
  return next && /^\/(firm|admin)(\/[A-Za-z0-9/_?=&.-]*)?$/.test(next) ? next : undefined;
}

export default async function authRoutes(app: FastifyInstance) {
  const meta = { title: 'Sign in', noindex: true } as const;

  app.get('/sign-in', async (request, reply) => {
    const next = safeNext(one(request.query as FormFields, 'next'));
    return sendPage(reply, SignInPage({ csrf: reply.generateCsrf(), next }), meta);
  });

  app.post(
    '/sign-in',
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
    '/sign-in/:token',
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
    '/sign-in/:token',
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

  for (const [path, everywhere] of [
    ['/sign-out', false],
    ['/sign-out/everywhere', true],
  ] as const) {
    app.post(path, async (request, reply) => {
      const user = await currentUser(request);
      if (user) await signOut(app.ctx, user, everywhere);
      clearSessionCookie(reply);
      return reply.redirect('/', 303);
    });
  }
}
