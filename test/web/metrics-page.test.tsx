import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { operatorMetrics } from '../../src/domain/metrics';
import { MetricsPage } from '../../src/web/views/pages/admin/metrics';

const now = new Date('2026-12-09T12:00:00.000Z');

/** The page for the first responses of these briefs (one request each). */
function pageFor(hours: number[]) {
  const briefs = hours.map((h, i) => ({
    requestId: `r${i}`,
    status: 'accepted',
    sentAt: '2026-12-08T09:00:00.000Z',
    respondedAt: new Date(Date.parse('2026-12-08T09:00:00.000Z') + h * 3_600_000).toISOString(),
  }));
  const metrics = operatorMetrics({ submitted: [], confirmed: [], briefs, demand: [] }, now, 4);
  return renderToString(<MetricsPage metrics={metrics} weeks={4} csrf="t" />);
}

describe('the metrics page', () => {
  it('counts the requests behind the median first response in words that agree with the number', () => {
    expect(pageFor([2])).toContain('2.0 hours over 1 request,');
    expect(pageFor([2, 4])).toContain('3.0 hours over 2 requests,');
  });
});
