import type { FastifyInstance } from 'fastify';
import { AuditQuerySchema, searchAuditLog } from '../../../services/admin/audit-log';
import { one } from '../../forms/fields';
import { sendPage } from '../../render';
import type { AuditFormValues } from '../../views/pages/admin/audit';
import { AuditLogPage } from '../../views/pages/admin/audit';
import { parseWith, queryOf } from '../../forms/parse';

const FIELDS = ['action', 'subject', 'actor', 'from', 'to'] as const;

export default async function auditRoutes(app: FastifyInstance) {
  app.get('/audit', async (request, reply) => {
    const raw = queryOf(request);
    const values: AuditFormValues = Object.fromEntries(FIELDS.map((f) => [f, one(raw, f)]));
    const cursor = one(raw, 'cursor') || undefined;
    const parsed = parseWith(AuditQuerySchema, { ...values, cursor });
    const meta = { title: 'Audit log', noindex: true };
    if (!parsed.ok) {
      return sendPage(
        reply.code(400),
        AuditLogPage({
          rows: [],
          values,
          errors: parsed.errors,
          cursor: undefined,
          next: null,
          csrf: reply.generateCsrf(),
        }),
        meta,
      );
    }
    const { rows, next } = await searchAuditLog(app.ctx, parsed.value);
    return sendPage(
      reply,
      AuditLogPage({
        rows,
        values,
        errors: {},
        cursor,
        next,
        csrf: reply.generateCsrf(),
      }),
      meta,
    );
  });
}
