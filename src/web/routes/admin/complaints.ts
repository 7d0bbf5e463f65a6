import type { FastifyInstance } from 'fastify';
import {
  COMPLAINT_FILTERS,
  ComplaintResolutionSchema,
  complaintList,
  resolveComplaint,
} from '../../../services/admin/complaints';
import { ComplaintsPage } from '../../views/pages/admin/complaints';
import { registerDecisionQueue } from './queue';

export default async function complaintRoutes(app: FastifyInstance) {
  registerDecisionQueue(app, {
    path: '/complaints',
    action: '/resolve',
    title: 'Complaints',
    filters: COMPLAINT_FILTERS,
    defaultFilter: 'open',
    notices: {
      resolved: 'Complaint resolved.',
      suspended:
        'Complaint resolved and the firm suspended: it left the directory and matching at once.',
    },
    page: async (ctx, view) =>
      ComplaintsPage({ rows: await complaintList(ctx, view.filter), ...view }),
    schema: ComplaintResolutionSchema,
    input: (complaintId, field) => ({
      complaintId,
      resolution: field('resolution') ?? '',
      suspendFirm: field('suspendFirm') === 'yes',
      suspensionReason: field('suspensionReason') ?? '',
    }),
    decide: resolveComplaint,
    done: (value) => (value.suspendFirm ? 'suspended' : 'resolved'),
  });
}
