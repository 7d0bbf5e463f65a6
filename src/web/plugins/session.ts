import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { type SessionUser, SESSION_DAYS, userForSession } from '../../services/auth';
import { sendPage } from '../render';
import { ErrorPage } from '../views/pages/error';

export const SESSION_COOKIE = 'am_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireUser` on workspace and console routes. */
    user?: SessionUser;
  }
}

export function setSessionCookie(reply: FastifyReply, token: string) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: reply.server.ctx.config.publicUrl.startsWith('https:'),
    maxAge: SESSION_DAYS * 86_400,
  });
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

export async function currentUser(request: FastifyRequest): Promise<SessionUser | null> {
  return userForSession(request.server.ctx, request.cookies[SESSION_COOKIE]);
}

/**
 * Guards a route: no session → the sign-in page (or 401 problem details under /api/);
 * a session with the wrong role → 403. Firm routes also need a firm; `owner` narrows further.
 */
export function requireUser(rule: 'admin' | 'firm' | 'firm-owner'): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    const user = await currentUser(request);
    if (!user) {
      if (request.method === 'GET')
        return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
      return sendPage(
        reply.code(401),
        ErrorPage({ status: 401, title: 'Sign-in required', detail: 'Please sign in again.' }),
        { title: 'Sign-in required', noindex: true },
      );
    }
    const allowed =
      rule === 'admin'
        ? user.role === 'admin'
        : user.role === 'firm' &&
          user.firmId !== null &&
          (rule === 'firm' || user.firmRole === 'owner');
    if (!allowed) {
      return sendPage(
        reply.code(403),
        ErrorPage({
          status: 403,
          title: 'Not allowed',
          detail: 'Your account cannot open this page.',
        }),
        { title: 'Not allowed', noindex: true },
      );
    }
    reply.header('cache-control', 'no-store');
    request.user = user;
  };
}
