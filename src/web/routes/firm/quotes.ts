import type { FastifyInstance } from 'fastify';
import { ServiceError } from '../../../services/context';
import { briefSummary } from '../../../services/emails';
import { quoteContext, quoteSheet, submitQuote } from '../../../services/firm/quotes';
import { firmHeader } from '../../../services/firm/workspace';
import type { FormFields } from '../../forms/fields';
import { QuotePage } from '../../views/pages/firm/quote';
import { feeField, parseQuoteForm } from './forms';
import { body, isId, sendWorkspacePage, signedIn } from './shared';

type Context = Awaited<ReturnType<typeof quoteContext>>;

function quoteToFields(quote: Context['quote']): FormFields {
  if (!quote) return {};
  const fields: FormFields = { startDate: quote.startDate, reportDate: quote.reportDate, validUntil: quote.validUntil, assumptions: quote.assumptions };
  for (const line of quote.lineItems) fields[feeField(line.framework, line.phase)] = String(line.feeUsd);
  return fields;
}

/** The quote form of an accepted lead: itemised against the buyer's scope sheet. */
export default async function quoteRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const notFound = new ServiceError(404, 'This lead does not exist or was not sent to your firm.');

  app.get<{ Params: { briefId: string } }>('/firm/leads/:briefId/quote', async (request, reply) => {
    const user = signedIn(request);
    if (!isId(request.params.briefId)) throw notFound;
    const [firm, context] = await Promise.all([firmHeader(ctx, user), quoteContext(ctx, user, request.params.briefId)]);
    if (!context.requestOpen) throw new ServiceError(410, 'The buyer has closed this request; it takes no more quotes.');
    return sendWorkspacePage(
      reply,
      QuotePage({
        user,
        firmName: firm.name,
        briefId: context.briefId,
        summary: briefSummary(context.scope),
        sheet: quoteSheet(context.scope),
        replacing: context.quote !== null,
        fields: quoteToFields(context.quote),
        errors: {},
        csrf: reply.generateCsrf(),
      }),
      'Quote',
    );
  });

  app.post<{ Params: { briefId: string } }>('/firm/leads/:briefId/quote', async (request, reply) => {
    const user = signedIn(request);
    const { briefId } = request.params;
    if (!isId(briefId)) throw notFound;
    const [firm, context] = await Promise.all([firmHeader(ctx, user), quoteContext(ctx, user, briefId)]);
    const sheet = quoteSheet(context.scope);
    const fields = body(request);
    const parsed = parseQuoteForm(fields, sheet);
    const errors = parsed.ok ? null : parsed.errors;
    if (parsed.ok) {
      try {
        await submitQuote(ctx, user, briefId, parsed.value);
        return reply.redirect(`/firm/leads/${briefId}?done=quoted`, 303);
      } catch (error) {
        if (!(error instanceof ServiceError) || !error.field) throw error;
        reply.code(error.status);
        return sendWorkspacePage(
          reply,
          QuotePage({ user, firmName: firm.name, briefId, summary: briefSummary(context.scope), sheet, replacing: context.quote !== null, fields, errors: { [error.field]: error.message }, csrf: reply.generateCsrf() }),
          'Quote',
        );
      }
    }
    return sendWorkspacePage(
      reply.code(400),
      QuotePage({ user, firmName: firm.name, briefId, summary: briefSummary(context.scope), sheet, replacing: context.quote !== null, fields, errors: errors ?? {}, csrf: reply.generateCsrf() }),
      'Quote',
    );
  });
}
