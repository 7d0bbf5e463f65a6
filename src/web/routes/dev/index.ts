import type { FastifyInstance } from 'fastify';
import { openEmail } from '../../../outbox/email';
import { sendPage } from '../../render';
import { MailboxPage } from '../../views/pages/mailbox';

/**
 * Development only (never registered in production): the outbox's emails, opened, so the
 * journey can be walked locally without an SMTP server.
 */
export default async function devRoutes(app: FastifyInstance) {
  app.get('/dev/mailbox', async (_request, reply) => {
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
    return sendPage(reply, MailboxPage({ messages }), { title: 'Development mailbox', noindex: true });
  });
}
