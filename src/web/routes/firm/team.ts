import type { FastifyInstance } from 'fastify';
import { ServiceError } from '../../../services/context';
import {
  changeMemberRole,
  inviteMember,
  removeMember,
  teamOf,
} from '../../../services/firm/accounts';
import { one } from '../../forms/fields';
import { TeamPage } from '../../views/pages/firm/team';
import { parseInviteForm } from './forms';
import { body, rowId, registerFirmPage, signedIn } from './shared';

const NOT_IN_TEAM = 'This person is not in your team.';

/** The team (owners only: the area's guard, in index.ts). */
export default async function teamRoutes(app: FastifyInstance) {
  const { ctx } = app;

  const show = registerFirmPage(app, {
    path: '/team',
    title: 'Team',
    notices: {
      invited: 'Invitation sent: they can sign in from the link in their email.',
      removed: 'Removed. Their sessions ended at once.',
      role: 'Role changed.',
    },
    rows: (firmId) => teamOf(ctx, firmId),
    page: ({ firm, rows, ...view }, form) =>
      TeamPage({ ...view, ...form, firmName: firm.name, team: rows }),
  });

  app.post('/team/invite', async (request, reply) => {
    const user = signedIn(request);
    const fields = body(request);
    const parsed = parseInviteForm(fields);
    if (!parsed.ok) return show(reply.code(400), user, { fields, errors: parsed.errors });
    try {
      await inviteMember(ctx, user, parsed.value);
    } catch (error) {
      if (!(error instanceof ServiceError) || !error.field) throw error;
      return show(reply.code(error.status), user, {
        fields,
        errors: { [error.field]: error.message },
      });
    }
    return reply.redirect('/firm/team?done=invited', 303);
  });

  app.post<{ Params: { userId: string } }>('/team/:userId/remove', async (request, reply) => {
    const user = signedIn(request);
    await removeMember(ctx, user, rowId(request.params.userId, NOT_IN_TEAM));
    return reply.redirect('/firm/team?done=removed', 303);
  });

  app.post<{ Params: { userId: string } }>('/team/:userId/role', async (request, reply) => {
    const user = signedIn(request);
    rowId(request.params.userId, NOT_IN_TEAM);
    const role = one(body(request), 'firmRole');
    if (role !== 'owner' && role !== 'member')
      throw new ServiceError(400, 'Choose owner or member.', 'firmRole');
    await changeMemberRole(ctx, user, request.params.userId, role);
    // Stepping down leaves the team page, which only owners may open.
    const stillOwner = request.params.userId !== user.id || role === 'owner';
    return reply.redirect(stillOwner ? '/firm/team?done=role' : '/firm', 303);
  });
}
