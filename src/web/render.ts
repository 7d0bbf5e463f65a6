import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { Layout, type PageMeta } from './views/layout';

/** Renders a full page; views are functions of data and never query. */
export function renderDocument(reply: FastifyReply, body: VNode, meta: PageMeta): string {
  const { ctx } = reply.server;
  const html = renderToString(
    Layout({
      meta,
      body,
      assets: ctx.assets,
      publicUrl: ctx.config.publicUrl,
      demo: ctx.catalog.hasDemoFirms(),
      path: reply.request.url.split('?')[0] ?? '/',
    }),
  );
  return `<!doctype html>${html}`;
}

export function sendPage(reply: FastifyReply, body: VNode, meta: PageMeta) {
  return reply.type('text/html; charset=utf-8').send(renderDocument(reply, body, meta));
}
