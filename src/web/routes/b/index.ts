import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readBriefLink, respondToBrief } from '../../../services/briefs';
import { ServiceError } from '../../../services/context';
import { leadDetail } from '../../../services/firm/leads';
import { type FormFields, one } from '../../forms/fields';
import { sendPage } from '../../render';
import { RATE_LIMITS } from '../../plugins/security';
import { LinkLeadPage } from '../../views/pages/firm/lead';
import { LinkQuotePage } from '../../views/pages/firm/quote';
import { DECLINE_REASONS } from '../../../services/firm/schemas';
import { defineArea } from '../area';
import { type LeadDoor, registerLeadWork } from '../firm/lead-work';

/**
 * A firm's lead from its email link (/b/{token}), the firm's one page outside its workspace: the signed link, bound to one brief, is the
 * capability, so a firm that is not yet a user can accept, ask, quote and be booked without
 * waiting for anyone. The link in the brief email lasts the response window; the one in the
 * acceptance email lasts as long as the request. Claiming the firm's profile stays an
 * operator-approved step.
 */
async function briefLinkRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const route = { config: { rateLimit: RATE_LIMITS.tokenLink } };

  async function door(request: FastifyRequest): Promise<LeadDoor> {
    const { token } = request.params as { token: string };
    const briefId = readBriefLink(ctx, token);
    const brief = briefId
      ? await ctx.db.kysely
          .selectFrom('briefs')
          .innerJoin('firms', 'firms.id', 'briefs.firmId')
          .select(['briefs.id', 'briefs.firmId', 'firms.name'])
          .where('briefs.id', '=', briefId)
          .executeTakeFirst()
      : undefined;
    if (!brief)
      throw new ServiceError(
        404,
        'This brief link is not valid or has expired. The email we sent when you accepted the brief carries a link that lasts as long as the request.',
      );
    return {
      who: { kind: 'brief-link', briefId: brief.id, firmId: brief.firmId },
      briefId: brief.id,
      base: `/b/${token}`,
      showLead: (reply, lead, page) =>
        sendPage(
          reply,
          LinkLeadPage({ token, firmName: brief.name, lead, csrf: reply.generateCsrf(), ...page }),
          { title: 'A brief for your firm', noindex: true },
        ),
      showQuote: (reply, form) =>
        sendPage(reply, LinkQuotePage({ token, firmName: brief.name, ...form }), {
          title: 'Your quote',
          noindex: true,
        }),
    };
  }

  registerLeadWork(app, '/:token', door, route);

  for (const action of ['accept', 'decline'] as const) {
    app.post<{ Params: { token: string } }>(`/:token/${action}`, route, async (request, reply) => {
      const lead = await door(request);
      const reason = one((request.body ?? {}) as FormFields, 'reason') ?? 'other';
      try {
        await respondToBrief(
          ctx,
          lead.briefId,
          action === 'accept'
            ? { action }
            : {
                action,
                reason: (DECLINE_REASONS as readonly string[]).includes(reason) ? reason : 'other',
              },
          { kind: 'brief-link', firmId: (lead.who as { firmId: string }).firmId },
        );
        return reply.redirect(
          `${lead.base}?done=${action === 'accept' ? 'accepted' : 'declined'}`,
          303,
        );
      } catch (error) {
        if (!(error instanceof ServiceError) || error.status === 404) throw error;
        return lead.showLead(
          reply.code(error.status),
          await leadDetail(ctx, lead.who, lead.briefId),
          { notice: null, errors: { form: error.message } },
        );
      }
    });
  }
}

/** No session: each route's signed link is its guard, so every page here is a capability page. */
export default defineArea({ routes: briefLinkRoutes, capabilityPages: true });
