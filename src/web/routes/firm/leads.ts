import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SessionUser } from '../../../services/auth';
import { ServiceError } from '../../../services/context';
import { answerLead, exportLeadsCsv, leadDetail, listLeads } from '../../../services/firm/leads';
import { firmHeader } from '../../../services/firm/workspace';
import { LeadPage, LeadsPage } from '../../views/pages/firm/leads';
import { parseLeadAnswer } from './forms';
import { body, isId, noticeFrom, sendWorkspacePage, signedIn } from './shared';

const LEAD_NOTICES = {
  accepted: 'You accepted the brief. The buyer has your booking link, and their contact details are below; we emailed them to your lead address too.',
  declined: 'You declined the brief. The buyer is offered another firm; you never received their details.',
  quoted: 'Your quote is on the buyer’s page, side by side with the other firms’ quotes.',
};

/** The lead inbox: list, one lead (contact once accepted, each view logged), answers, CSV. */
export default async function leadRoutes(app: FastifyInstance) {
  const { ctx } = app;

  app.get('/firm/leads', async (request, reply) => {
    const user = signedIn(request);
    const [firm, leads] = await Promise.all([firmHeader(ctx, user), listLeads(ctx, user.firmId!)]);
    return sendWorkspacePage(reply, LeadsPage({ user, firmName: firm.name, leads, csrf: reply.generateCsrf(), notice: null }), 'Leads');
  });

  app.get('/firm/leads.csv', async (request, reply) => {
    const csv = await exportLeadsCsv(ctx, signedIn(request));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="auditmatch-leads-${ctx.now().toISOString().slice(0, 10)}.csv"`)
      .send(csv);
  });

  async function showLead(reply: FastifyReply, user: SessionUser, briefId: string, notice: string | null, errors: Record<string, string> = {}) {
    const [firm, lead] = await Promise.all([firmHeader(ctx, user), leadDetail(ctx, user, briefId)]);
    return sendWorkspacePage(reply, LeadPage({ user, firmName: firm.name, lead, csrf: reply.generateCsrf(), notice, errors }), 'A lead');
  }

  app.get<{ Params: { briefId: string } }>('/firm/leads/:briefId', async (request, reply) => {
    if (!isId(request.params.briefId)) throw new ServiceError(404, 'This lead does not exist or was not sent to your firm.');
    return showLead(reply, signedIn(request), request.params.briefId, noticeFrom(request, LEAD_NOTICES));
  });

  app.post<{ Params: { briefId: string } }>('/firm/leads/:briefId/answer', async (request, reply) => {
    const user = signedIn(request);
    const { briefId } = request.params;
    if (!isId(briefId)) throw new ServiceError(404, 'This lead does not exist or was not sent to your firm.');
    const parsed = parseLeadAnswer(body(request));
    if (!parsed.ok) return showLead(reply.code(400), user, briefId, null, parsed.errors);
    try {
      const { status } = await answerLead(ctx, user, briefId, parsed.value);
      return reply.redirect(`/firm/leads/${briefId}?done=${status}`, 303);
    } catch (error) {
      if (!(error instanceof ServiceError) || error.status === 404) throw error;
      return showLead(reply.code(error.status), user, briefId, error.message);
    }
  });
}
