import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS } from '../../services/firm/schemas';
import { renderDocument } from '../render';
import {
  ApiReferencePage,
  type OpenApiDocument,
  type WebhookEventDoc,
} from '../views/pages/api-reference';

/**
 * The OpenAPI description is generated from the same Zod schemas that validate requests, so
 * it cannot drift from what the API accepts. Registered before the routes it describes.
 */
export async function registerOpenApi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Auditmatch API',
        version: '1',
        description:
          'Match previews, quote requests, the buyer journey after the request (with the private-page token as bearer), firms’ leads (with an API key) and framework guides. Errors are RFC 9457 problem details.',
      },
      servers: [{ url: app.ctx.config.publicUrl }],
    },
    transform: jsonSchemaTransform,
    hideUntagged: false,
  });
  // Only /api/ routes belong in the API description; pages and assets are not part of it.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) {
      route.schema = { ...(route.schema ?? {}), hide: true };
    }
  });
}

export async function registerOpenApiRoutes(app: FastifyInstance) {
  app.get('/api/docs/openapi.json', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return app.swagger();
  });
  // The reference page: the same document, read by people. Rendered once; the API only changes with a release.
  let page: string | null = null;
  app.get('/api/docs', { schema: { hide: true } }, async (_request, reply) => {
    page ??= renderDocument(
      reply,
      ApiReferencePage({
        doc: app.swagger() as unknown as OpenApiDocument,
        events: WEBHOOK_EVENT_DOCS,
      }),
      {
        title: 'API reference',
        description:
          'The Auditmatch JSON API: match previews, quote requests, the buyer journey, firms’ leads, webhooks.',
        canonical: '/api/docs',
      },
    );
    reply.header('cache-control', 'public, max-age=300');
    return reply.type('text/html; charset=utf-8').send(page);
  });
}

/** What each webhook event means and carries; the reference page shows these examples. */
const example = (type: string, data: Record<string, unknown>) => ({
  type,
  timestamp: '2027-03-02T09:30:00.000Z',
  data: {
    briefId: '6f1c…',
    reference: 'AM-7KQ2MX4P',
    url: 'https://auditmatch.example/firm/leads/6f1c…',
    ...data,
  },
});
export const WEBHOOK_EVENT_DOCS: WebhookEventDoc[] = WEBHOOK_EVENTS.map((type) => ({
  type,
  when: WEBHOOK_EVENT_LABELS[type],
  example: example(
    type,
    {
      'brief.received': {
        respondBy: '2027-03-04T09:30:00.000Z',
        scope: {
          frameworks: [{ framework: 'soc2', variant: 'type2' }],
          stage: 'series-a',
          headcount: 40,
        },
      },
      'lead.accepted': {
        acceptedAt: '2027-03-02T09:30:00.000Z',
        quoteBy: '2027-03-04T09:30:00.000Z',
      },
      'quote.chosen': { quoteId: '91ab…', totalUsd: 27500 },
      'brief.declined': { reason: 'no-capacity' },
      'brief.expired': {},
      'brief.withdrawn': { reason: 'buyer-withdrew' },
      'contact.shared': {},
      'call.booked': { startsAt: '2027-03-09T14:00:00.000Z' },
      'call.cancelled': { by: 'buyer', reason: 'the buyer cancelled' },
    }[type],
  ),
}));
