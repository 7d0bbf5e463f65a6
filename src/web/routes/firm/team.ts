import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SessionUser } from '../../../services/auth';
import { ServiceError } from '../../../services/context';
import {
  changeMemberRole,
  inviteMember,
  removeMember,
  teamOf,
} from '../../../services/firm/accounts';
import { type FormFields, one } from '../../forms/fields';
import { TeamPage } from '../../views/pages/firm/team';
import { parseInviteForm } from './forms';
import { body, noticeFrom, rowId, sendFirmPage, signedIn } from './shared';

const NOT_IN_TEAM = 'This person is not in your team.';

/** The team (owners only: the area's guard, in index.ts). */
export default async function teamRoutes(app: FastifyInstance) {
  const { ctx } = app;

  async function show(
    reply: FastifyReply,
    user: SessionUser,
    fields: FormFields,
    errors: Record<string, string>,
    notice: string | null,
  ) {
    return sendFirmPage(
      reply,
      user,
      (firmId) => teamOf(ctx, firmId),
      (firm, team, csrf) =>
        TeamPage({ user, firmName: firm.name, team, fields, errors, csrf, notice }),
      'Team',
    );
  }

  app.get('/team', async (request, reply) =>
    show(
      reply,
      signedIn(request),
      {},
      {},
      noticeFrom(request, {
        invited: 'Invitation sent: they can sign in from the link in their email.',
        removed: 'Removed. Their sessions ended at once.',
        role: 'Role changed.',
      }),
    ),
  );

  app.post('/team/invite', async (request, reply) => {
    const user = signedIn(request);
    const fields = body(request);
    const parsed = parseInviteForm(fields);
    if (!parsed.ok) return show(reply.code(400), user, fields, parsed.errors, null);
    try {
      await inviteMember(ctx, user, parsed.value);
    } catch (error) {
      if (!(error instanceof ServiceError) || !error.field) throw error;
      return show(reply.code(error.status), user, fields, { [error.field]: error.message }, null);
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
