import type { FastifyInstance } from 'fastify';
import { DEFAULT_METRIC_WEEKS, loadOperatorMetrics } from '../../../services/admin/metrics';
import { sendPage } from '../../render';
import { METRIC_WEEK_CHOICES, MetricsPage } from '../../views/pages/admin/metrics';
import { pick, queryOf } from '../../forms/parse';

const CHOICES = METRIC_WEEK_CHOICES.map(String);

export default async function metricsRoutes(app: FastifyInstance) {
  app.get('/metrics', async (request, reply) => {
    const weeks = Number(pick(CHOICES, queryOf(request).weeks, String(DEFAULT_METRIC_WEEKS)));
    const metrics = await loadOperatorMetrics(app.ctx, weeks);
    return sendPage(reply, MetricsPage({ metrics, weeks, csrf: reply.generateCsrf() }), {
      title: 'Metrics',
      noindex: true,
    });
  });
}
