import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServiceError } from '../../../services/context';
import { answerLead, leadDetail, leadsCsv, listLeads } from '../../../services/firm/leads';
import { firmHeader } from '../../../services/firm/workspace';
import { LeadsPage } from '../../views/pages/firm/leads';
import { LeadPage } from '../../views/pages/firm/lead';
import { QuotePage } from '../../views/pages/firm/quote';
import { parseLeadAnswer } from './forms';
import { type LeadDoor, registerLeadWork } from './lead-work';
import { body, isId, sendWorkspacePage, signedIn } from './shared';
import { isoDay } from '../../../domain/matching/dates';

/** The lead inbox: list, CSV, answers, and each lead's work (questions, quote, call) through lead-work. */
export default async function leadRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const notFound = () =>
    new ServiceError(404, 'This lead does not exist or was not sent to your firm.');

  app.get('/leads', async (request, reply) => {
    const user = signedIn(request);
    const { cursor } = request.query as { cursor?: unknown };
    const [firm, inbox] = await Promise.all([
      firmHeader(ctx, user),
      listLeads(ctx, user.firmId!, typeof cursor === 'string' && cursor ? cursor : undefined),
    ]);
    return sendWorkspacePage(
      reply,
      LeadsPage({ user, firmName: firm.name, inbox, csrf: reply.generateCsrf(), notice: null }),
      'Leads',
    );
  });

  app.get('/leads.csv', async (request, reply) => {
    // Streamed in batches (a firm's whole history can be long); refused before the first byte.
    const csv = Readable.from(leadsCsv(ctx, signedIn(request)));
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="auditmatch-leads-${isoDay(ctx.now())}.csv"`,
      )
      .send(csv);
  });

  /** The signed-in member, for the lead in the URL. */
  async function door(request: FastifyRequest): Promise<LeadDoor> {
    const user = signedIn(request);
    const { briefId } = request.params as { briefId: string };
    if (!isId(briefId)) throw notFound();
    const firm = await firmHeader(ctx, user);
    return {
      who: user,
      briefId,
      base: `/firm/leads/${briefId}`,
      showLead: (reply, lead, page) =>
        sendWorkspacePage(
          reply,
          LeadPage({ user, firmName: firm.name, lead, csrf: reply.generateCsrf(), ...page }),
          'A lead',
        ),
      showQuote: (reply, form) =>
        sendWorkspacePage(
          reply,
          QuotePage({ user, firmName: firm.name, briefId, ...form }),
          'Quote',
        ),
    };
  }

  registerLeadWork(app, '/leads/:briefId', door);

  app.post<{ Params: { briefId: string } }>('/leads/:briefId/answer', async (request, reply) => {
    const lead = await door(request);
    const again = async (status: number, errors: Record<string, string>) =>
      lead.showLead(reply.code(status), await leadDetail(ctx, lead.who, lead.briefId), {
        notice: null,
        errors,
      });
    const parsed = parseLeadAnswer(body(request));
    if (!parsed.ok) return again(400, parsed.errors);
    try {
      const { status } = await answerLead(ctx, signedIn(request), lead.briefId, parsed.value);
      return reply.redirect(`${lead.base}?done=${status}`, 303);
    } catch (error) {
      if (!(error instanceof ServiceError) || error.status === 404) throw error;
      return again(error.status, { form: error.message });
    }
  });
}
