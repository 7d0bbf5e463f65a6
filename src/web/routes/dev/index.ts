import type { FastifyInstance } from 'fastify';
import { openEmail } from '../../../outbox/email';
import { isLoopbackPeer } from '../../plugins/operations';
import { sendPage } from '../../render';
import { MailboxPage } from '../../views/pages/mailbox';
import { defineArea } from '../area';

/** The outbox's emails, opened, so the journey can be walked locally without an SMTP server. */
async function mailboxRoutes(app: FastifyInstance) {
  app.get('/mailbox', async (_request, reply) => {
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

/**
 * Development only: never registered in production. Sign-in links are among the emails, so the
 * area answers only a browser on this machine; anyone else gets the site's 404.
 */
export default defineArea({
  async routes(app) {
    app.addHook('onRequest', async (request, reply) => {
      if (!isLoopbackPeer(request)) return reply.callNotFound();
    });
    await app.register(mailboxRoutes);
  },
  servedWith: (config) => config.env !== 'production',
});
