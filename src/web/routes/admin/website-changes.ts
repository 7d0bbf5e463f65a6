import type { FastifyInstance } from 'fastify';
import {
  decideWebsiteChange,
  WebsiteDecisionSchema,
  websiteChangeQueue,
} from '../../../services/admin/website-changes';
import { WebsiteChangesPage } from '../../views/pages/admin/website-changes';
import { decisionWithNote, registerDecisionQueue } from './queue';

const NOTICES = {
  approve: 'Website approved. The firm’s public profile and its domain signal use it from now on.',
  reject: 'Website change rejected. The firm keeps its approved website.',
};

/**
 * The queue of website changes approved firms asked for (ADR 0017). It has one list, the
 * changes waiting, so its only filter is 'pending'.
 */
export default async function websiteChangeRoutes(app: FastifyInstance) {
  registerDecisionQueue(app, {
    path: '/website-changes',
    title: 'Website changes',
    filters: ['pending'] as const,
    defaultFilter: 'pending',
    notices: NOTICES,
    page: async (ctx, view) => WebsiteChangesPage({ rows: await websiteChangeQueue(ctx), ...view }),
    schema: WebsiteDecisionSchema,
    input: decisionWithNote('changeId'),
    decide: decideWebsiteChange,
    done: (value) => value.decision,
  });
}
