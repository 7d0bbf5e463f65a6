import type { FastifyInstance } from 'fastify';
import { workspaceSummary } from '../../../services/firm/workspace';
import { requireUser } from '../../plugins/session';
import { WorkspaceHomePage } from '../../views/pages/firm/home';
import applyRoutes from './apply';
import credentialRoutes from './credentials';
import integrationRoutes from './integrations';
import leadRoutes from './leads';
import profileRoutes from './profile';
import reviewReplyRoutes from './reviews';
import availabilityRoutes from './availability';
import linkRoutes from './link';
import { refuseWhileSuspended, sendWorkspacePage, signedIn } from './shared';
import teamRoutes from './team';

/**
 * The firm side: the public application form and the workspace under /firm. Every workspace route is guarded in `preHandler`, right after the
 * site-wide CSRF check (so a forged form is refused as such, whoever sends it): no session →
 * sign-in (GET) or 401; not a firm user → 403; team and integrations also need an owner.
 */
export default async function firmRoutes(app: FastifyInstance) {
  await app.register(applyRoutes);
  await app.register(linkRoutes);
  await app.register(async (workspace) => {
    workspace.addHook('preHandler', requireUser('firm'));
    workspace.addHook('preHandler', refuseWhileSuspended);
    workspace.get('/firm', async (request, reply) => {
      const user = signedIn(request);
      const summary = await workspaceSummary(workspace.ctx, user);
      return sendWorkspacePage(
        reply,
        WorkspaceHomePage({ user, summary, csrf: reply.generateCsrf() }),
        'Your workspace',
      );
    });
    await workspace.register(profileRoutes);
    await workspace.register(credentialRoutes);
    await workspace.register(leadRoutes);
    await workspace.register(availabilityRoutes);
    await workspace.register(teamRoutes);
    await workspace.register(integrationRoutes);
    await workspace.register(reviewReplyRoutes);
  });
}
