import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

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
        description: 'Match previews, quote requests and framework guides. Errors are RFC 9457 problem details.',
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
  app.get('/api/docs', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/api/docs/openapi.json', 302));
}
