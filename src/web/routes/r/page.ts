import type { FastifyReply, FastifyRequest } from 'fastify';
import { isTimeZone } from '../../../domain/calls/zones';
import { DEFAULT_TIME_ZONE_BY_REGION } from '../../../domain/calls/zones';
import { buyerView, requestIdForAccessToken } from '../../../services/buyer';
import { ServiceError } from '../../../services/context';
import type { AppContext } from '../../context';
import { sendPage } from '../../render';
import { BuyerPage } from '../../views/pages/buyer/private';

declare module 'fastify' {
  interface FastifyRequest {
    /** The private link in the address and the request behind it, set by `openPrivatePage`. */
    privatePage?: { token: string; id: string };
  }
}

/**
 * The private pages' guard, set once for all of them (index.ts): the request behind the
 * address's `:token`, or 404, the same for unknown and malformed tokens.
 */
export async function openPrivatePage(request: FastifyRequest) {
  const { token } = request.params as { token: string };
  const id = await requestIdForAccessToken(request.server.ctx, token);
  if (!id) throw new ServiceError(404, 'This private link is not valid.');
  request.privatePage = { token, id };
}

/** What the guard found: the page's token and its request's id. */
export function privatePageOf(request: FastifyRequest): { token: string; id: string } {
  if (!request.privatePage) throw new Error('a private-page route outside the guarded scope');
  return request.privatePage;
}

/** The buyer's private page: never cached, never sent as a referrer, shown in the buyer's time zone. */
export async function sendBuyerPage(
  reply: FastifyReply,
  ctx: AppContext,
  page: {
    token: string;
    id: string;
    errors: Record<string, string>;
    notice: string | null;
    timeZone?: string | undefined;
  },
) {
  const view = await buyerView(ctx, page.id);
  const timeZone =
    page.timeZone && isTimeZone(page.timeZone)
      ? page.timeZone
      : (DEFAULT_TIME_ZONE_BY_REGION[view.scope.region] ?? 'UTC');
  return sendPage(
    reply,
    BuyerPage({
      view,
      token: page.token,
      csrf: reply.generateCsrf(),
      errors: page.errors,
      notice: page.notice,
      timeZone,
    }),
    {
      title: `Request ${view.reference}`,
      noindex: true,
    },
  );
}
