import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  COMPLAINT_FILTERS,
  type ComplaintFilter,
  ComplaintResolutionSchema,
  complaintList,
  resolveComplaint,
} from '../../../services/admin/complaints';
import { one } from '../../forms/fields';
import { sendPage } from '../../render';
import { ComplaintsPage } from '../../views/pages/admin/complaints';
import type { RowFailure } from '../../views/pages/admin/shell';
import { adminId } from './form';
import {
  attempt,
  bodyOf,
  noticeFor,
  parseWith,
  pick,
  queryOf,
  typedValues,
} from '../../forms/parse';

const NOTICES = {
  resolved: 'Complaint resolved.',
  suspended:
    'Complaint resolved and the firm suspended: it left the directory and matching at once.',
};

export default async function complaintRoutes(app: FastifyInstance) {
  const { ctx } = app;

  async function show(
    reply: FastifyReply,
    filter: ComplaintFilter,
    notice: string | null,
    failure: RowFailure | null = null,
  ) {
    const complaints = await complaintList(ctx, filter);
    return sendPage(
      reply,
      ComplaintsPage({ complaints, filter, csrf: reply.generateCsrf(), notice, failure }),
      { title: 'Complaints', noindex: true },
    );
  }

  app.get('/admin/complaints', async (request, reply) => {
    const query = queryOf(request);
    return show(
      reply,
      pick(COMPLAINT_FILTERS, query.filter, 'open'),
      noticeFor(NOTICES, query.done),
    );
  });

  app.post<{ Params: { id: string } }>('/admin/complaints/:id/resolve', async (request, reply) => {
    const fields = bodyOf(request);
    const filter = pick(COMPLAINT_FILTERS, fields.filter, 'open');
    const input = parseWith(ComplaintResolutionSchema, {
      complaintId: request.params.id,
      resolution: one(fields, 'resolution') ?? '',
      suspendFirm: one(fields, 'suspendFirm') === 'yes',
      suspensionReason: one(fields, 'suspensionReason') ?? '',
    });
    const done = await attempt(input, (value) => resolveComplaint(ctx, value, adminId(request)));
    if (!done.ok)
      return show(reply.code(done.status), filter, null, {
        id: request.params.id,
        errors: done.errors,
        values: typedValues(fields),
      });
    return reply.redirect(
      `/admin/complaints?filter=${filter}&done=${done.value.suspendFirm ? 'suspended' : 'resolved'}`,
      303,
    );
  });
}
