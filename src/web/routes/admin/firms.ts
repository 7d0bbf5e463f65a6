import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  ApplicationRejectionSchema,
  changeFirmStatus,
  firmList,
  type FirmListQuery,
  FirmListQuerySchema,
  FirmStatusChangeSchema,
} from '../../../services/admin/firms';
import {
  approveFirmUser,
  pendingFirmApplications,
  rejectFirmApplication,
} from '../../../services/firm/accounts';
import { type FormFields, one } from '../../forms/fields';
import { hrefWith } from '../../views/components/page-links';
import { sendPage } from '../../render';
import { AdminFirmsPage } from '../../views/pages/admin/firms';
import type { RowFailure } from '../../views/pages/admin/shell';
import type { FieldErrors } from '../../forms/parse';
import { adminId } from './form';
import { attempt, bodyOf, noticeFor, parseWith, queryOf, typedValues } from '../../forms/parse';

const NOTICES = {
  approved:
    'Firm approved: it appears in the directory and can be matched once a credential qualifies it.',
  suspended: 'Firm suspended: it left the directory and matching at once.',
  reinstated: 'Firm reinstated.',
  'user-approved': 'Application approved: the applicant has been emailed a sign-in link.',
  'user-rejected': 'Application rejected: the applicant has been told why.',
};
const DONE = { approve: 'approved', suspend: 'suspended', reinstate: 'reinstated' } as const;
const ApplicantId = z.uuid('There is no pending application for this account.');

/** The list's search, status and page, from a query string or a row's form. */
const listQuery = (fields: FormFields) =>
  parseWith(FirmListQuerySchema, {
    status: one(fields, 'status') || undefined,
    q: one(fields, 'q') || undefined,
    cursor: one(fields, 'cursor') || undefined,
  });

export default async function firmAdminRoutes(app: FastifyInstance) {
  const { ctx } = app;

  async function show(
    reply: FastifyReply,
    query: FirmListQuery,
    errors: FieldErrors,
    notice: string | null,
    failure: RowFailure | null = null,
  ) {
    const [{ firms, next }, applications] = await Promise.all([
      firmList(ctx, query),
      pendingFirmApplications(ctx),
    ]);
    return sendPage(
      reply,
      AdminFirmsPage({
        firms,
        next,
        applications,
        query,
        errors,
        csrf: reply.generateCsrf(),
        notice,
        failure,
      }),
      { title: 'Firms', noindex: true },
    );
  }

  app.get('/firms', async (request, reply) => {
    const raw = queryOf(request);
    const parsed = listQuery(raw);
    if (!parsed.ok) return show(reply.code(400), {}, parsed.errors, null);
    return show(reply, parsed.value, {}, noticeFor(NOTICES, raw.done));
  });

  app.post<{ Params: { id: string } }>('/firms/:id/status', async (request, reply) => {
    const fields = bodyOf(request);
    const input = parseWith(FirmStatusChangeSchema, {
      firmId: request.params.id,
      action: one(fields, 'action'),
      reason: one(fields, 'reason') ?? '',
    });
    // The form sends back the list it was shown on: a refusal shows that page again, and a
    // change taken returns to it.
    const list = listQuery(fields);
    const shown = list.ok ? list.value : {};
    const done = await attempt(input, (value) => changeFirmStatus(ctx, value, adminId(request)));
    if (!done.ok)
      return show(reply.code(done.status), shown, {}, null, {
        id: request.params.id,
        errors: done.errors,
        values: typedValues(fields),
      });
    return reply.redirect(
      hrefWith('/admin/firms', { ...shown, done: DONE[done.value.action] }),
      303,
    );
  });

  app.post<{ Params: { userId: string } }>(
    '/applications/:userId/approve',
    async (request, reply) => {
      const { userId } = request.params;
      const done = await attempt(parseWith(ApplicantId, userId), (id) =>
        approveFirmUser(ctx, id, adminId(request)),
      );
      if (!done.ok)
        return show(reply.code(done.status), {}, {}, null, { id: userId, errors: done.errors });
      return reply.redirect('/admin/firms?done=user-approved', 303);
    },
  );

  app.post<{ Params: { userId: string } }>(
    '/applications/:userId/reject',
    async (request, reply) => {
      const input = parseWith(ApplicationRejectionSchema, {
        userId: request.params.userId,
        reason: one(bodyOf(request), 'reason') ?? '',
      });
      const done = await attempt(input, (value) =>
        rejectFirmApplication(ctx, value.userId, adminId(request), value.reason),
      );
      if (!done.ok)
        return show(reply.code(done.status), {}, {}, null, {
          id: request.params.userId,
          errors: done.errors,
          values: typedValues(bodyOf(request)),
        });
      return reply.redirect('/admin/firms?done=user-rejected', 303);
    },
  );
}
