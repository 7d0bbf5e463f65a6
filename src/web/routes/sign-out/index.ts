import type { FastifyInstance } from 'fastify';
import { signOut } from '../../../services/auth';
import { clearSessionCookie, currentUser } from '../../plugins/session';
import { defineArea } from '../area';

/** Signing out, here or on every device; without a session it only clears the cookie. */
async function signOutRoutes(app: FastifyInstance) {
  for (const [path, everywhere] of [
    ['', false],
    ['/everywhere', true],
  ] as const) {
    app.post(path, async (request, reply) => {
      const user = await currentUser(request);
      if (user) await signOut(app.ctx, user, everywhere);
      clearSessionCookie(reply);
      return reply.redirect('/', 303);
    });
  }
}

export default defineArea({ routes: signOutRoutes });
