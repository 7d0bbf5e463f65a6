import type { FastifyInstance } from 'fastify';
import { openEmail } from '../../../outbox/email';
import { isLoopbackPeer } from '../../plugins/operations';
import { sendPage } from '../../render';
import { MailboxPage } from '../../views/pages/mailbox';

/**
 * Development only (never registered in production): the outbox's emails, opened, so the
 * journey can be walked locally without an SMTP server. Sign-in links are among them, so it
 * answers only a browser on this machine.
 */
export default async function devRoutes(app: FastifyInstance) {
  app.get('/dev/mailbox', async (request, reply) => {
    if (app.ctx.config.env === 'production' || !isLoopbackPeer(request))
      return reply.callNotFound();
    const rows = await app.ctx.db.kysely
      .selectFrom('outbox')
      .select(['id', 'status', 'createdAt', 'payload', 'attempts'])
      .where('channel', '=', 'email')
      .orderBy('createdAt', 'desc')
      .limit(100)
      .execute();
    const messages = rows.map((r) => ({
      id: r.id,
      status: r.status,
      createdAt: r.createdAt,
      email: r.payload ? openEmail(app.ctx.secrets, r.payload) : null,
    }));
    reply.header('cache-control', 'no-store');
    return sendPage(reply, MailboxPage({ messages }), {
      title: 'Development mailbox',
      noindex: true,
    });
  });
}
