import type { FastifyInstance } from 'fastify';
import { isoDay } from '../../../domain/matching/dates';
import { ServiceError } from '../../../services/context';
import { countPreview, previewMatch, submitRequest } from '../../../services/intake';
import type { ScopeInput } from '../../../services/intake/schemas';
import { type FormFields, one } from '../../forms/fields';
import { parseRequestForm, parseScopeForm, scopeToFields } from '../../forms/scope-form';
import { TOKEN_SLOT, TokenPageCache } from '../../plugins/page-cache';
import { RATE_LIMITS } from '../../plugins/security';
import { renderDocument, sendPage } from '../../render';
import { MatchPage, RequestSentPage } from '../../views/pages/buyer/match';

const NOINDEX = { noindex: true } as const;

/**
 * The way into the buyer journey, open to anyone: the match preview and the request form.
 * Confirming the request and everything after happens behind the buyer's private link (/r/…).
 */
export default async function matchRoutes(app: FastifyInstance) {
  const { ctx } = app;

  // A preview page is the same for everyone who asks for the same scope while the catalog, the
  // rotation and the day stay put: rendered once, each visitor's CSRF token goes in place.
  const previewPages = new TokenPageCache<ScopeInput>();
  const previewKey = async (url: string) =>
    `${await ctx.catalog.matchStateKey()}|${isoDay(ctx.now())}|${url}`;

  app.get('/match', { config: { rateLimit: RATE_LIMITS.preview } }, async (request, reply) => {
    const fields = request.query as FormFields;
    const csrf = reply.generateCsrf();
    const meta = {
      title: 'Get three quotes',
      description:
        'Tell us your scope once and see the three audit firms that fit, before giving any contact details.',
      canonical: '/match',
    };
    if (one(fields, 'preview') !== '1') {
      return sendPage(
        reply,
        MatchPage({ fields, errors: {}, result: null, scopePairs: null, csrf }),
        meta,
      );
    }
    const key = await previewKey(request.url);
    const cached = previewPages.get(key);
    if (cached) {
      countPreview(ctx, cached.data);
      return previewPages.send(request, reply, cached, csrf);
    }
    const parsed = parseScopeForm(fields);
    if (!parsed.ok) {
      return sendPage(
        reply.code(400),
        MatchPage({ fields, errors: parsed.errors, result: null, scopePairs: null, csrf }),
        meta,
      );
    }
    let result: Awaited<ReturnType<typeof previewMatch>>;
    try {
      result = await previewMatch(ctx, parsed.value);
    } catch (error) {
      if (!(error instanceof ServiceError) || !error.field) throw error;
      return sendPage(
        reply.code(error.status),
        MatchPage({
          fields,
          errors: { neededBy: error.message },
          result: null,
          scopePairs: null,
          csrf,
        }),
        meta,
      );
    }
    const html = renderDocument(
      reply,
      MatchPage({
        fields,
        errors: {},
        result,
        scopePairs: scopeToFields(parsed.value),
        csrf: TOKEN_SLOT,
      }),
      { ...meta, noindex: true },
    );
    // Kept only if nothing moved while matching, so an entry never holds another version's firms.
    const page =
      key === (await previewKey(request.url)) ? previewPages.put(key, html, parsed.value) : null;
    return page
      ? previewPages.send(request, reply, page, csrf)
      : reply.type('text/html; charset=utf-8').send(html.replaceAll(TOKEN_SLOT, csrf));
  });

  app.post('/requests', { config: { rateLimit: RATE_LIMITS.intake } }, async (request, reply) => {
    const fields = (request.body ?? {}) as FormFields;
    // Bots fill every field; people never see this one. Pretend success, store nothing.
    if (typeof fields.website === 'string' && fields.website !== '')
      return reply.redirect('/requests/sent', 303);
    const parsed = parseRequestForm(fields);
    if (!parsed.ok) {
      const scope = parseScopeForm(fields);
      const result = scope.ok ? await previewMatch(ctx, scope.value).catch(() => null) : null;
      return sendPage(
        reply.code(400),
        MatchPage({
          fields,
          errors: parsed.errors,
          result,
          scopePairs: scope.ok ? scopeToFields(scope.value) : null,
          csrf: reply.generateCsrf(),
        }),
        { title: 'Get three quotes', ...NOINDEX },
      );
    }
    // The form's CSRF token is unique to each rendered form: it doubles as the form's idempotency
    // key, so Back + submit, a double click or a retry of the same form stores one request.
    try {
      const { reference } = await submitRequest(ctx, parsed.value, one(fields, '_csrf'));
      return reply.redirect(`/requests/sent?ref=${encodeURIComponent(reference)}`, 303);
    } catch (error) {
      // A date already past re-renders the form at the field; other refusals go to the error page.
      if (!(error instanceof ServiceError) || error.field !== 'scope.neededBy') throw error;
      return sendPage(
        reply.code(400),
        MatchPage({
          fields,
          errors: { neededBy: error.message },
          result: null,
          scopePairs: null,
          csrf: reply.generateCsrf(),
        }),
        { title: 'Get three quotes', ...NOINDEX },
      );
    }
  });

  app.get('/requests/sent', async (request, reply) => {
    const ref = one(request.query as FormFields, 'ref');
    return sendPage(
      reply,
      RequestSentPage({ reference: ref && /^AM-[A-Z0-9]{8}$/.test(ref) ? ref : null }),
      { title: 'Check your inbox', ...NOINDEX },
    );
  });
}
