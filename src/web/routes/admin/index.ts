import type { FastifyInstance } from 'fastify';
import { consoleSummary } from '../../../services/admin/console';
import { requireUser } from '../../plugins/session';
import { defineArea, registerEach } from '../area';
import { sendPage } from '../../render';
import { AdminHomePage } from '../../views/pages/admin/home';
import auditRoutes from './audit';
import complaintRoutes from './complaints';
import credentialRoutes from './credentials';
import firmAdminRoutes from './firms';
import metricsRoutes from './metrics';
import outboxRoutes from './outbox';
import unmatchedRoutes from './requests';
import reviewModerationRoutes from './reviews';
import websiteChangeRoutes from './website-changes';

async function homeRoutes(app: FastifyInstance) {
  app.get('', async (request, reply) => {
    const summary = await consoleSummary(app.ctx);
    return sendPage(
      reply,
      AdminHomePage({ summary, csrf: reply.generateCsrf(), email: request.user?.email ?? '' }),
      { title: 'Operator console', noindex: true },
    );
  });
}

/**
 * The operator console under /admin. One guard for every route in it: no session → the
 * sign-in page (401 for a form post), any role but admin → 403. Pages are never cached.
 */
export default defineArea({
  async routes(app) {
    app.addHook('preHandler', requireUser('admin'));
    await registerEach(app, [
      homeRoutes,
      credentialRoutes,
      firmAdminRoutes,
      websiteChangeRoutes,
      unmatchedRoutes,
      complaintRoutes,
      outboxRoutes,
      metricsRoutes,
      auditRoutes,
      reviewModerationRoutes,
    ]);
  },
});
