import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import { NEEDED_BY_NOT_FUTURE } from '../../src/domain/timeline';
import { formSession, postJson, useApp } from '../helpers/app';
import { describeEachEngine } from '../helpers/databases';

/**
 * Deadlines the estimator believes (issue 11, point 7), through every door: the match page,
 * the request form, the estimator and the JSON API use one timeline model and one refusal.
 */
const TODAY = new Date('2027-01-11T09:00:00Z');

const SCOPE = {
  frameworks: [{ framework: 'iso42001' }],
  stage: 'seed',
  headcount: 30,
  region: 'europe',
  industry: 'ai-ml',
  aiExposure: 'ai-is-the-product',
};

describeEachEngine('deadlines', (t) => {
  let app: FastifyInstance;
  useApp(t, (built) => (app = built), { now: () => TODAY });

  it('ISO 42001 from scratch in four months: the API warns and offers a date instead of three "fit" firms', async () => {
    const res = await postJson(app, '/api/v1/match-preview', { ...SCOPE, neededBy: '2027-05-11' });
    expect(res.status).toBe(200);
    const deadline = res.body.deadline as { status: string; earliest: string; message: string };
    expect(deadline.status).toBe('too-soon');
    expect(deadline.message).toMatch(/too soon/);
    expect(res.body.proposals).toEqual([]);
    const suggested = res.body.suggestedNeededBy as string;
    expect(suggested >= deadline.earliest).toBe(true);
    // With the date offered, firms fit and no warning remains.
    const again = await postJson(app, '/api/v1/match-preview', { ...SCOPE, neededBy: suggested });
    expect((again.body.deadline as { status: string }).status).toBe('ok');
    expect((again.body.proposals as unknown[]).length).toBeGreaterThan(0);
  });

  it('the match page shows the warning with a one-click "use <date> instead"', async () => {
    const query =
      'framework=soc2&variant_soc2=type2&stage=series-a&headcount=40&region=north-america&industry=saas&aiExposure=uses-ai&startingPoint=ready-for-audit&neededBy=2027-03-01';
    const page = await app.inject(`/match?preview=1&${query}`);
    expect(page.statusCode).toBe(200);
    const button = /<button class="button" type="submit">Use ([^<]+) instead<\/button>/.exec(
      page.body,
    );
    expect(button).not.toBeNull();
    const date = /name="neededBy" value="(\d{4}-\d{2}-\d{2})"/.exec(
      page.body.slice(page.body.indexOf('inline-form')),
    )?.[1];
    expect(date).toBeDefined();
    // Following it gives firms and a request form: never a dead end.
    const next = await app.inject(
      `/match?preview=1&${query.replace('neededBy=2027-03-01', `neededBy=${date}`)}`,
    );
    expect(next.body).toContain('Ask these firms for quotes');
    expect(next.body).not.toContain('No firm fits this scope yet');
  });

  it('refuses a past date with the same words in the matcher, the estimator and the JSON API', async () => {
    const past = '2027-01-01';
    const api = await postJson(app, '/api/v1/match-preview', { ...SCOPE, neededBy: past });
    expect(api.status).toBe(400);
    expect(api.body.errors).toEqual([{ field: 'neededBy', message: NEEDED_BY_NOT_FUTURE }]);

    const request = await postJson(app, '/api/v1/requests', {
      scope: { ...SCOPE, neededBy: past },
      contact: { name: 'Ada Buyer', email: 'ada@example.com', company: 'Example Ltd' },
      consent: true,
    });
    expect(request.status).toBe(400);
    expect(request.body.errors).toEqual([
      { field: 'scope.neededBy', message: NEEDED_BY_NOT_FUTURE },
    ]);

    const page = await app.inject(
      `/match?preview=1&framework=soc2&stage=seed&headcount=10&region=europe&industry=saas&aiExposure=none&neededBy=${past}`,
    );
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain(`Needed by: ${NEEDED_BY_NOT_FUTURE}`);

    const estimate = await app.inject(
      `/estimate?framework=soc2&headcount=10&systems=3&locations=1&neededBy=${past}`,
    );
    expect(estimate.statusCode).toBe(400);
    expect(estimate.body).toContain(`Needed by: ${NEEDED_BY_NOT_FUTURE}`);

    // The HTML request form too, without storing anything.
    const { token, cookie } = await formSession(
      app,
      '/match?preview=1&framework=soc2&stage=seed&headcount=10&region=north-america&industry=saas&aiExposure=none&neededBy=2027-12-31',
    );
    const form = await app.inject({
      method: 'POST',
      url: '/requests',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: `_csrf=${encodeURIComponent(token)}&framework=soc2&stage=seed&headcount=10&region=europe&industry=saas&aiExposure=none&neededBy=${past}&name=Ada+Buyer&email=ada%40example.com&company=Example+Ltd&consent=yes`,
    });
    expect(form.statusCode).toBe(400);
    expect(form.body).toContain(`Needed by: ${NEEDED_BY_NOT_FUTURE}`);
  });

  it('the estimator names the same earliest date as the matcher for the same scope', async () => {
    const api = await postJson(app, '/api/v1/match-preview', { ...SCOPE, neededBy: '2027-05-11' });
    const earliest = (api.body.deadline as { earliest: string }).earliest;
    const page = await app.inject(
      '/estimate?framework=iso42001&headcount=30&systems=1&locations=1&neededBy=2027-05-11',
    );
    expect(page.statusCode).toBe(200);
    const [y, m, d] = earliest.split('-').map(Number);
    const months = [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ];
    expect(page.body).toContain(
      `The earliest realistic date is ${d} ${months[(m as number) - 1]} ${y}.`,
    );
  });

  it('links into the estimator open a filled estimate, never an error', async () => {
    for (const href of [
      '/estimate?framework=soc2',
      '/estimate?framework=iso42001',
      '/estimate?framework=iso27001',
    ]) {
      const res = await app.inject(href);
      expect(res.statusCode, href).toBe(200);
      expect(res.body, href).toContain('your estimate');
    }
    // A submitted form with a field left empty still says what is missing.
    const empty = await app.inject('/estimate?framework=soc2&headcount=&systems=5&locations=1');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toMatch(/People in scope: /);
  });

  it('an empty advisor or overlap submit says what is missing', async () => {
    const advisor = await app.inject('/advisor?asked=1');
    expect(advisor.statusCode).toBe(400);
    expect(advisor.body).toContain('AI: choose how your company uses AI');
    const overlap = await app.inject('/overlap?asked=1');
    expect(overlap.statusCode).toBe(400);
    expect(overlap.body).toContain('Tick what you already hold');
  });
});
