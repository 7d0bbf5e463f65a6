import type { FastifyReply } from 'fastify';
import { isTimeZone } from '../../../domain/calls/zones';
import { DEFAULT_TIME_ZONE_BY_REGION } from '../../../domain/calls/zones';
import { buyerView, requestIdForAccessToken } from '../../../services/buyer';
import { ServiceError } from '../../../services/context';
import type { AppContext } from '../../context';
import { sendPage } from '../../render';
import { BuyerPage } from '../../views/pages/buyer/private';

/** The request behind a private-page token, or 404: the same for unknown and malformed tokens. */
export async function requestForToken(ctx: AppContext, token: string): Promise<string> {
  const id = await requestIdForAccessToken(ctx, token);
  if (!id) throw new ServiceError(404, 'This private link is not valid.');
  return id;
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
