import type { FastifyInstance } from 'fastify';
import { workspaceSummary } from '../../../services/firm/workspace';
import { requireUser } from '../../plugins/session';
import { defineArea, registerEach } from '../area';
import { WorkspaceHomePage } from '../../views/pages/firm/home';
import applyRoutes from './apply';
import credentialRoutes from './credentials';
import integrationRoutes from './integrations';
import leadRoutes from './leads';
import profileRoutes from './profile';
import reviewReplyRoutes from './reviews';
import availabilityRoutes from './availability';
import { refuseWhileSuspended, sendWorkspacePage, signedIn } from './shared';
import teamRoutes from './team';

async function homeRoutes(app: FastifyInstance) {
  app.get('', async (request, reply) => {
    const user = signedIn(request);
    const summary = await workspaceSummary(app.ctx, user);
    return sendWorkspacePage(
      reply,
      WorkspaceHomePage({ user, summary, csrf: reply.generateCsrf() }),
      'Your workspace',
    );
  });
}

/**
 * The firm side under /firm: the public application form, open to anyone, and the workspace.
 * Every workspace route is guarded in `preHandler`, right after the site-wide CSRF check (so a
 * forged form is refused as such, whoever sends it): no session → sign-in (GET) or 401; not a
 * firm user → 403; a suspended firm → 403 but for its account pages; team and integrations
 * also need an owner. (A firm's brief link, /b/…, is its own area: the link is its key.)
 */
export default defineArea({
  async routes(app) {
    await app.register(applyRoutes);
    await app.register(async (workspace) => {
      workspace.addHook('preHandler', requireUser('firm'));
      workspace.addHook('preHandler', refuseWhileSuspended);
      await registerEach(workspace, [
        homeRoutes,
        profileRoutes,
        credentialRoutes,
        leadRoutes,
        availabilityRoutes,
        reviewReplyRoutes,
      ]);
      await workspace.register(async (owners) => {
        owners.addHook('preHandler', requireUser('firm-owner'));
        await registerEach(owners, [teamRoutes, integrationRoutes]);
      });
    });
  },
});
