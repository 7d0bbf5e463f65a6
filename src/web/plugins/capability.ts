import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';

/**
 * Capability pages: a secret in the address is the only key (a buyer's private page, a
 * confirmation link, a brief link, a sign-in link, a review link). Such a page must not leak its
 * address to another site through the Referer header, must not be kept by a shared cache or the
 * browser's back-forward history, and must never be indexed. One rule for all of them: every
 * route whose pattern has a `:token` parameter gets these headers, on every answer it gives
 * (redirects and errors too). test/security/capability.test.ts checks it over the route table.
 */
export const CAPABILITY_HEADERS = Object.freeze({
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex, nofollow',
});

export function isCapabilityRoute(url: string): boolean {
  return /\/:token(?=\/|\.|$)/.test(url);
}

/**
 * Set on each capability route as it is declared, by the area that says it has capability
 * pages (routes/index.ts), as the route's first onRequest hook.
 */
export const capabilityHeaders: onRequestHookHandler = (
  _request: FastifyRequest,
  reply: FastifyReply,
  done,
) => {
  reply.headers(CAPABILITY_HEADERS);
  done();
};
