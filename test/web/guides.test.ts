import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { framework } from '../../src/domain/frameworks';
import { FRAMEWORK_IDS } from '../../src/domain/vocabulary';
import { priceIndexFor } from '../../src/services/price-index';
import { comparePairs, comparePath } from '../../src/web/views/pages/guides/compare';
import { expectAnswer, postJson, postRaw, useApp } from '../helpers/app';
import { describeEachEngine, type TestDatabase } from '../helpers/databases';

const SCRIPT = '<script>alert(1)</script>';
const enc = encodeURIComponent;

/** The numbers on the page's headline figures, e.g. "$25,000 to $75,000". */
function costOnPage(html: string): [number, number] {
  const m =
    /<dt>Audit fees<\/dt><dd>\$([\d,]+) to \$([\d,]+)( or more)?(<small class="basis">[^<]*<\/small>)?<\/dd>/.exec(
      html,
    );
  if (!m) throw new Error('no cost range on the page');
  return [Number(m[1]!.replaceAll(',', '')), Number(m[2]!.replaceAll(',', ''))];
}

function fieldsOf(body: Record<string, unknown>): string[] {
  return ((body.errors as { field: string }[] | undefined) ?? []).map((e) => e.field);
}

/** Five quotes for single-framework ISO 27001 requests from 1–10-person companies. */
async function seedQuotes(t: TestDatabase, totals: number[]) {
  const k = t.db.kysely;
  const firm = await k.selectFrom('firms').select('id').executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  for (const total of totals) {
    const requestId = randomUUID();
    const proposalId = randomUUID();
    const briefId = randomUUID();
    await k
      .insertInto('quoteRequests')
      .values({
        id: requestId,
        reference: `T-${requestId.slice(0, 8)}`,
        status: 'active',
        scope: JSON.stringify({ frameworks: [{ framework: 'iso27001' }], headcount: 8 }),
        consentText: 'test',
        consentAt: now,
        createdAt: now,
        updatedAt: now,
        expiresAt: now,
      })
      .execute();
    await k
      .insertInto('proposals')
      .values({
        id: proposalId,
        requestId,
        firmId: firm.id,
        rank: 1,
        score: 1,
        breakdown: '{}',
        reasons: '[]',
        algorithmVersion: 'test',
        status: 'chosen',
        createdAt: now,
      })
      .execute();
    await k
      .insertInto('briefs')
      .values({
        id: briefId,
        requestId,
        proposalId,
        firmId: firm.id,
        status: 'accepted',
        sentAt: now,
        respondBy: now,
      })
      .execute();
    await k
      .insertInto('quotes')
      .values({
        id: randomUUID(),
        briefId,
        requestId,
        firmId: firm.id,
        lineItems: '[]',
        totalUsd: total,
        startDate: '2027-01-01',
        reportDate: '2027-06-01',
        assumptions: '',
        validUntil: '2027-01-01',
        status: 'submitted',
        createdAt: now,
      })
      .execute();
  }
}

describeEachEngine('the guides', (t) => {
  let app: FastifyInstance;
  useApp(t, (built) => (app = built));

  describe('comparisons', () => {
    it('renders every pair in canonical order with both names and links to both framework pages', async () => {
      const pairs = comparePairs();
      expect(pairs).toHaveLength((FRAMEWORK_IDS.length * (FRAMEWORK_IDS.length - 1)) / 2);
      for (const [a, b] of pairs) {
        const res = await app.inject(comparePath(a, b));
        expect(res.statusCode, comparePath(a, b)).toBe(200);
        for (const id of [a, b]) {
          expect(res.body).toContain(framework(id).name.replace('&', '&amp;'));
          expect(res.body).toContain(`href="/frameworks/${id}"`);
        }
        expect(res.body).toContain('What they share');
        expect(res.body).toContain('Where they differ');
        expect(res.body).toContain(
          `<link rel="canonical" href="http://localhost:3000${comparePath(a, b)}"`,
        );
      }
    });

    it('redirects a reversed pair to the canonical URL and refuses unknown or identical pairs', async () => {
      const reversed = await app.inject('/compare/iso42001-vs-soc2');
      expect(reversed.statusCode).toBe(301);
      expect(reversed.headers.location).toBe('/compare/soc2-vs-iso42001');
      const hyphenated = await app.inject('/compare/hitrust-vs-pci-dss');
      expect(hyphenated.statusCode).toBe(301);
      expect(hyphenated.headers.location).toBe('/compare/pci-dss-vs-hitrust');
      for (const url of [
        '/compare/soc2-vs-soc2',
        '/compare/soc2-vs-soc9',
        '/compare/soc2',
        '/compare/a-vs-b-vs-c',
      ]) {
        expect((await app.inject(url)).statusCode, url).toBe(404);
      }
    });

    it('derives shared and differing points from the data', async () => {
      const iso = await app.inject('/compare/iso27001-vs-iso42001');
      for (const text of [
        'Both are a certification',
        'ISO/IEC 17021-1',
        'harmonized structure',
        'href="/overlap?iso27001=yes"',
      ]) {
        expect(iso.body).toContain(text);
      }
      const soc = await app.inject('/compare/soc2-vs-soc1');
      expect(soc.body).toContain('Both are an attestation');
      expect(soc.body).toContain('Both come from the same body: AICPA');
    });

    it('caches compare pages with an ETag', async () => {
      const first = await app.inject('/compare/soc2-vs-iso27001');
      const etag = first.headers.etag as string;
      expect(etag).toBeTruthy();
      const again = await app.inject({
        url: '/compare/soc2-vs-iso27001',
        headers: { 'if-none-match': etag },
      });
      expect(again.statusCode).toBe(304);
    });
  });

  describe('the SOC 2 vs ISO/IEC 42001 flagship', () => {
    it('covers the key points, links the data pages and ends with prefilled quotes', async () => {
      const res = await app.inject('/compare/soc2-vs-iso42001');
      expect(res.statusCode).toBe(200);
      const html = res.body;
      for (const point of [
        'Trust Services Criteria',
        'CPA firm',
        'Security (33',
        '18 December 2023',
        'harmonized structure',
        'impact assessment',
        'AI lifecycle',
        'Data quality and provenance',
        'Suppliers and third parties',
        'Human oversight',
        'Transparency',
        'Accountability',
        '17021-1',
        '42006',
        'surveillance',
        'certificate',
        'attestation',
        'EU AI Act',
        'not a legal conformity route',
        'model governance',
        'AI Controls Matrix',
        'Risk assessment',
        'Vendor management',
        'Governance and leadership',
        'Change management',
        'Incident response',
        'observation window of 3 to 12 months',
        'revised by SSAE 21',
        'SOC 2+',
        'recertification audit in year three',
        'What neither does for the other',
        'SOC 2 first',
        'Estimate — quotes vary',
      ]) {
        expect(html, point).toContain(point);
      }
      for (const link of [
        '/frameworks/soc2',
        '/frameworks/iso42001',
        '/overlap?soc2=yes',
        '/estimate?framework=soc2',
        '/advisor',
      ]) {
        expect(html, link).toContain(`href="${link}`);
      }
      expect(html).toContain('href="/match?framework=soc2&amp;framework=iso42001"');
      expect(html).toContain('"@type":"FAQPage"');
      expect(html).toContain('"@type":"Article"');
      expect(html).toMatch(/<meta name="description" content="[^"]{50,170}"/);
    });
  });

  describe('the advisor', () => {
    it('shows the questions as a form that works without JavaScript', async () => {
      const res = await app.inject('/advisor');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<form method="get" action="/advisor"');
      for (const name of [
        'aiExposure',
        'customers',
        'markets',
        'healthData',
        'cardData',
        'personalDataAtScale',
        'holds',
      ]) {
        expect(res.body, name).toContain(`name="${name}"`);
      }
    });

    it('puts SOC 2 before ISO/IEC 42001 for an AI product sold to enterprises, with reasons and rules', async () => {
      const res = await app.inject(
        '/advisor?aiExposure=ai-is-the-product&customers=enterprise&markets=us',
      );
      expect(res.statusCode).toBe(200);
      const results = res.body.slice(res.body.indexOf('What to pursue, in order'));
      const soc2 = results.indexOf('href="/frameworks/soc2"');
      const iso = results.indexOf('href="/frameworks/iso42001"');
      expect(soc2).toBeGreaterThan(-1);
      expect(iso).toBeGreaterThan(soc2);
      for (const text of [
        'Start now',
        'href="/compare/soc2-vs-iso42001"',
        'Rules that shaped this answer',
        'SOC 2 for buyers in the US',
        'Sequencing',
      ]) {
        expect(results).toContain(text);
      }
      // Rule ids are internal: the page names rules by title and cites their sources.
      expect(results).not.toMatch(/\bR1\b|Rules: R/);
      expect(results).toContain('href="https://www.aicpa-cima.com/');
      expect(results).toContain(
        'href="/match?framework=soc2&amp;framework=iso42001&amp;aiExposure=ai-is-the-product&amp;region=north-america"',
      );
      expect(results).toContain('Preview matching firms');
      // The answers stay ticked so the buyer can change them.
      expect(res.body).toMatch(/value="ai-is-the-product" checked/);
    });

    it('re-renders the form with a message naming the field for bad input, never a 500', async () => {
      const cases: [string, string, string][] = [
        ['aiExposure=robots', 'aiExposure', 'Choose how your company uses AI'],
        ['customers=enterprise', 'aiExposure', 'Choose how your company uses AI'],
        ['aiExposure=none&customers=martians', 'customers', 'Choose customer kinds from the list'],
        ['aiExposure=none&aiExposure=uses-ai', 'aiExposure', 'Give one value only'],
        ['aiExposure=none&healthData=maybe', 'healthData', 'Tick the box or leave it empty'],
        ['aiExposure=none&holds=soc2&holds=soc2', 'holds', 'List each framework once'],
      ];
      for (const [query, field, message] of cases) {
        const res = await app.inject(`/advisor?${query}`);
        expect(res.statusCode, query).toBe(400);
        expect(res.body, query).toContain(message);
        expect(res.body, query).toContain(`href="#f-${field}"`);
        expect(res.body).toContain('<meta name="robots" content="noindex"');
      }
    });
  });

  describe('the overlap map', () => {
    it('shows totals, the chart with a table alternative, and every requirement', async () => {
      const res = await app.inject('/overlap?soc2=yes&have=security&have=confidentiality');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(
        'What a SOC 2 with Security and Confidentiality carries into ISO/IEC 42001',
      );
      expect(res.body).toMatch(
        /<svg[^>]*role="img"[^>]*aria-labelledby="overlap-chart-title overlap-chart-desc"/,
      );
      expect(res.body).toContain('Requirements per group');
      expect(res.body).toContain('Clause 6 Planning ahead for the AIMS');
      expect(res.body).toContain('A.10 Suppliers, partners and customers');
      const rows = res.body.match(/<span class="req-id">/g) ?? [];
      expect(rows).toHaveLength(70);
      expect(res.body).toContain('href="/overlap.csv?soc2=yes&amp;have=confidentiality"');
    });

    it('shows only the form when nothing is held, and refuses unknown categories', async () => {
      const empty = await app.inject('/overlap');
      expect(empty.statusCode).toBe(200);
      expect(empty.body).not.toContain('req-id');
      const bad = await app.inject(`/overlap?have=${enc(SCRIPT)}`);
      expectAnswer(bad, 400, ['Choose categories from the list', 'href="#f-have"']);
    });

    it('downloads the map as CSV: a header and one row per requirement', async () => {
      const res = await app.inject('/overlap.csv?soc2=yes&have=confidentiality&iso27001=yes');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="iso42001-overlap-soc2-iso27001\.csv"$/,
      );
      const lines = res.body.trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        '"Requirement","Title","Group","Kind","AI-specific","Status","SOC 2 criteria","ISO 27001 clauses and controls","Rationale"',
      );
      expect(lines).toHaveLength(71);
      expect(lines[1]).toMatch(/^"4\.1",/);
      const nothing = await app.inject('/overlap.csv');
      expect(nothing.statusCode).toBe(400);
    });
  });

  describe('the estimator', () => {
    it('shows the form, then ranges with drivers, sources and both charts, labelled an estimate', async () => {
      const form = await app.inject('/estimate');
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('<form method="get" action="/estimate"');
      const res = await app.inject(
        '/estimate?framework=soc2&variant=type2&windowMonths=6&categories=confidentiality&headcount=40&systems=8&locations=2&existingProgram=none',
      );
      expectAnswer(res, 200, [
        'Estimate — quotes vary',
        'What moved the numbers',
        'Trust Services Categories',
        'Strac, SOC 2 cost guide',
        'aria-labelledby="cost-chart-title cost-chart-desc"',
        'aria-labelledby="timeline-chart-title timeline-chart-desc"',
        'The price index appears here once at least 5 real quotes exist',
      ]);
      expect(res.body).toContain(
        'href="/match?framework=soc2&amp;variant_soc2=type2&amp;categories_soc2=confidentiality&amp;headcount=40"',
      );
    });

    it("labels a range that rests on one publisher as that publisher's estimate, and dates every source", async () => {
      const iso = await app.inject(
        '/estimate?framework=iso42001&headcount=30&systems=5&locations=1',
      );
      expect(iso.statusCode).toBe(200);
      // The ISO 42001 timeline comes from Regulome alone; its all-in cost is for comparison only.
      expect(iso.body).toContain(
        `<small class="basis">One publisher's estimate: Regulome, ISO/IEC 42001 cost and timeline (read November 2026)</small>`,
      );
      expect(iso.body).toContain(
        "ISO 42001 first year all in (readiness, tools and audits; not the audit fee alone) (one publisher's estimate)",
      );
      const soc2 = await app.inject('/estimate?framework=soc2&headcount=30&systems=5&locations=1');
      // The SOC 2 base fee is Strac's alone; the ceiling rests on Linford & Co and Bastion.
      expect(soc2.body).toContain(
        "One publisher's estimate: Strac, SOC 2 cost guide (read November 2026)",
      );
      // The sources table gives each published row its date in the one form, and ours no date.
      const table = soc2.body.slice(soc2.body.indexOf('Sources of the figures'));
      expect(table).toContain('<td>read November 2026</td>');
      expect(table).toContain('<td>Ours</td>');
      expect(table).not.toMatch(/\d{4}-\d{2}(?!\d)/);

      const flagship = await app.inject('/compare/soc2-vs-iso42001');
      expect(flagship.statusCode).toBe(200);
      const cost = flagship.body.slice(
        flagship.body.indexOf('id="cost"'),
        flagship.body.indexOf('id="table"'),
      );
      expect(cost).toContain(
        "One publisher's estimate: Regulome, ISO/IEC 42001 cost and timeline (read November 2026)",
      );
      expect(cost).toContain('Strac, SOC 2 cost guide (read November 2026)');
      expect(flagship.body).toMatch(
        /one publisher(&#39;|')s estimate \(Regulome, ISO\/IEC 42001 cost and timeline, read November 2026\)/,
      );
    });

    it('every page that lists sources gives each its date in the one form', async () => {
      const DATE = /^ \((read [A-Z][a-z]+ \d{4}|published ([A-Z][a-z]+ )?\d{4})\)/;
      const pages = [
        '/frameworks/soc2',
        '/frameworks/iso27001',
        '/frameworks/iso42001',
        '/compare/soc2-vs-iso42001',
        '/compare/iso27001-vs-iso42001',
        '/advisor?asked=1&aiExposure=ai-is-the-product&customers=enterprise&customers=public-sector&markets=us&markets=eu&holds=soc2',
      ];
      for (const url of pages) {
        const res = await app.inject(url);
        expect(res.statusCode, url).toBe(200);
        // Each source link in a sources line or a rule's "Source:" is followed by its date.
        const blocks = [
          ...res.body.matchAll(/<p class="sources">([\s\S]*?)<\/p>/g),
          ...res.body.matchAll(/Source:([\s\S]*?)<\/span><\/li>/g),
        ].map((m) => m[1] ?? '');
        expect(blocks.length, url).toBeGreaterThan(0);
        for (const block of blocks) {
          const links = [...block.matchAll(/<\/a>([^<]*)/g)];
          for (const after of links)
            expect(after[1], `${url}: ${block.slice(0, 120)}`).toMatch(DATE);
          if (links.length > 0) continue;
          // A list of names ("Figures from: A (read …); B (read …)."): our own assumptions carry no date.
          const names = block
            .replace(/<[^>]+>/g, '')
            .replace(/^[^:]*:\s*/, '')
            .replace(/\.\s*$/, '')
            .split(/(?<=\)); /);
          for (const name of names.filter((n) => !n.startsWith('Auditmatch assumption'))) {
            expect(` ${name.slice(name.lastIndexOf('('))}`, `${url}: ${name}`).toMatch(DATE);
          }
        }
      }
      const matching = await app.inject('/how-matching-works');
      expect(matching.body).toMatch(/bodies on the IAF(&#39;|’|')s list, read [A-Z][a-z]+ \d{4}\)/);
    });

    it('never lowers the range for a bigger headcount, on the page and in the API', async () => {
      let previous: [number, number] = [0, 0];
      let previousApi: [number, number] = [0, 0];
      for (const headcount of [5, 40, 150, 800, 5000]) {
        const page = await app.inject(
          `/estimate?framework=soc2&headcount=${headcount}&systems=5&locations=1`,
        );
        const range = costOnPage(page.body);
        expect(range[0]).toBeGreaterThanOrEqual(previous[0]);
        expect(range[1]).toBeGreaterThanOrEqual(previous[1]);
        previous = range;
        const api = await postJson(app, '/api/v1/estimate', {
          framework: 'soc2',
          headcount,
          systems: 5,
          locations: 1,
        });
        const cost = api.body.cost as { lowUsd: number; highUsd: number };
        expect(cost.lowUsd).toBe(range[0]);
        expect(cost.lowUsd).toBeGreaterThanOrEqual(previousApi[0]);
        expect(cost.highUsd).toBeGreaterThanOrEqual(previousApi[1]);
        previousApi = [cost.lowUsd, cost.highUsd];
      }
    });

    it('works back from a needed-by date and says when it cannot be met', async () => {
      const soon = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
      const tight = await app.inject(
        `/estimate?framework=soc2&headcount=20&systems=5&locations=1&neededBy=${soon}`,
      );
      expect(tight.statusCode).toBe(200);
      expect(tight.body).toContain('cannot be met on this scope');
      const later = new Date(Date.now() + 3 * 365 * 86_400_000).toISOString().slice(0, 10);
      const fine = await app.inject(
        `/estimate?framework=soc2&headcount=20&systems=5&locations=1&neededBy=${later}`,
      );
      expect(fine.body).toContain('can be met');
      const past = await app.inject(
        '/estimate?framework=soc2&headcount=20&systems=5&locations=1&neededBy=2001-01-01',
      );
      expect(past.statusCode).toBe(400);
      expect(past.body).toContain('Must be a date after today');
    });

    it('re-renders with a field message for bad scope values', async () => {
      const cases: [string, string, string][] = [
        [
          'framework=soc9&headcount=5&systems=5&locations=1',
          'framework',
          'Choose SOC 2, ISO/IEC 42001 or ISO/IEC 27001',
        ],
        ['framework=soc2&headcount=abc&systems=5&locations=1', 'headcount', 'Must be a number'],
        [
          'framework=soc2&headcount=99999999999&systems=5&locations=1',
          'headcount',
          'Must be at most 1,000,000',
        ],
        ['framework=soc2&headcount=0&systems=5&locations=1', 'headcount', 'Must be at least 1'],
        [
          // A submitted form sends the field even when it is left empty.
          'framework=soc2&headcount=5&systems=&locations=1',
          'systems',
          'Enter the number of systems in scope',
        ],
        [
          'framework=soc2&windowMonths=2&headcount=5&systems=5&locations=1',
          'windowMonths',
          'Must be at least 3 months',
        ],
        [
          'framework=soc2&categories=everything&headcount=5&systems=5&locations=1',
          'categories',
          'Choose Trust Services Categories from the list',
        ],
        [
          'framework=soc2&framework=iso42001&headcount=5&systems=5&locations=1',
          'framework',
          'Give one value only',
        ],
        [
          'framework=soc2&headcount=5&systems=5&locations=1&neededBy=2027-02-30',
          'neededBy',
          'Enter a real date',
        ],
      ];
      for (const [query, field, message] of cases) {
        const res = await app.inject(`/estimate?${query}`);
        expect(res.statusCode, query).toBe(400);
        expect(res.body, query).toContain(message);
        expect(res.body, query).toContain(`href="#f-${field}"`);
      }
    });

    it('shows the price index only once five real quotes exist for the segment', async () => {
      const segment = { framework: 'iso27001', headcount: 8 };
      await seedQuotes(t(), [30000, 32000, 35000, 40000]);
      expect((await priceIndexFor(t().db, segment)).index).toBeNull();
      const four = await app.inject(
        '/estimate?framework=iso27001&headcount=8&systems=5&locations=1',
      );
      expect(four.body).toContain('The price index appears here once at least 5 real quotes exist');
      await seedQuotes(t(), [50000]);
      const reading = await priceIndexFor(t().db, segment);
      expect(reading.index).toEqual({ median: 35000, p25: 32000, p75: 40000, count: 5 });
      // Another company size is another segment.
      expect(
        (await priceIndexFor(t().db, { framework: 'iso27001', headcount: 300 })).index,
      ).toBeNull();
      const five = await app.inject(
        '/estimate?framework=iso27001&headcount=8&systems=5&locations=1',
      );
      expect(five.body).toContain('From 5 quotes submitted through Auditmatch');
      expect(five.body).toContain('median $35,000');
      const api = await postJson(app, '/api/v1/estimate', {
        framework: 'iso27001',
        headcount: 8,
        systems: 5,
        locations: 1,
      });
      expect(api.body.priceIndex).toEqual({ median: 35000, p25: 32000, p75: 40000, count: 5 });
    });
  });

  describe('the JSON API', () => {
    it('POST /api/v1/advisor returns the advice and the rules that fired', async () => {
      const res = await postJson(app, '/api/v1/advisor', {
        aiExposure: 'ai-is-the-product',
        customers: ['enterprise'],
        markets: ['us'],
      });
      expect(res.status).toBe(200);
      const recs = res.body.recommendations as {
        framework: string;
        priority: string;
        reason: string;
      }[];
      expect(recs.map((r) => r.framework).slice(0, 2)).toEqual(['soc2', 'iso42001']);
      expect(recs[0]?.reason).toBeTruthy();
      expect((res.body.rulesFired as { id: string }[]).map((r) => r.id)).toContain('R1');
    });

    it('POST /api/v1/estimate returns ranges with sources', async () => {
      const res = await postJson(app, '/api/v1/estimate', {
        framework: 'soc2',
        variant: 'type1',
        categories: ['privacy'],
        headcount: 30,
        systems: 4,
        locations: 1,
        existingProgram: 'iso27001',
      });
      expect(res.status).toBe(200);
      expect(res.body.label).toBe('Estimate — quotes vary');
      expect((res.body.sources as unknown[]).length).toBeGreaterThan(0);
      expect(res.body.priceIndex).toBeNull();
    });

    it('GET /api/v1/crosswalk maps SOC 2 or ISO 27001 onto ISO 42001', async () => {
      const soc = await app.inject(
        '/api/v1/crosswalk?from=soc2&to=iso42001&have=security,confidentiality',
      );
      expect(soc.statusCode).toBe(200);
      const body = soc.json();
      expect(body.requirements).toHaveLength(70);
      expect(body.holdings).toEqual({ soc2: ['security', 'confidentiality'], iso27001: false });
      expect(body.totals.overall.total).toBe(70);
      const iso = await app.inject('/api/v1/crosswalk?from=iso27001');
      expect(iso.statusCode).toBe(200);
      expect(iso.json().holdings).toEqual({ soc2: null, iso27001: true });
    });

    it('answers bad input with 400 problem details naming the field', async () => {
      const cases: [string, unknown, string][] = [
        ['/api/v1/advisor', { customers: [] }, 'aiExposure'],
        ['/api/v1/advisor', { aiExposure: 'robots' }, 'aiExposure'],
        ['/api/v1/advisor', { aiExposure: 'none', customers: 'enterprise' }, 'customers'],
        ['/api/v1/advisor', { aiExposure: 'none', healthData: 'yes' }, 'healthData'],
        ['/api/v1/advisor', { aiExposure: 'none', markets: ['mars'] }, 'markets.0'],
        ['/api/v1/advisor', { aiExposure: 'none', sponsor: 'pay-to-win' }, 'sponsor'],
        ['/api/v1/advisor', [], 'body'],
        ['/api/v1/estimate', { framework: 'soc2', headcount: 10, systems: 5 }, 'locations'],
        [
          '/api/v1/estimate',
          { framework: 'soc2', headcount: '10', systems: 5, locations: 1 },
          'headcount',
        ],
        [
          '/api/v1/estimate',
          { framework: 'soc2', headcount: 1e300, systems: 5, locations: 1 },
          'headcount',
        ],
        [
          '/api/v1/estimate',
          { framework: 'soc2', headcount: 10.5, systems: 5, locations: 1 },
          'headcount',
        ],
        [
          '/api/v1/estimate',
          { framework: 'hipaa', headcount: 10, systems: 5, locations: 1 },
          'framework',
        ],
        [
          '/api/v1/estimate',
          { framework: 'iso42001', variant: 'type2', headcount: 10, systems: 5, locations: 1 },
          'variant',
        ],
        [
          '/api/v1/estimate',
          {
            framework: 'soc2',
            variant: 'type1',
            windowMonths: 6,
            headcount: 10,
            systems: 5,
            locations: 1,
          },
          'windowMonths',
        ],
        [
          '/api/v1/estimate',
          { framework: 'soc2', headcount: 10, systems: 5, locations: 1, discount: true },
          'discount',
        ],
      ];
      for (const [url, payload, field] of cases) {
        const res = await postJson(app, url, payload);
        expect(res.status, JSON.stringify(payload)).toBe(400);
        expect(res.type).toContain('application/problem+json');
        expect(fieldsOf(res.body), JSON.stringify(payload)).toContain(field);
      }
      const queries: [string, string][] = [
        ['from=soc3', 'from'],
        ['to=iso42001', 'from'],
        ['from=soc2&to=iso27001', 'to'],
        ['from=soc2&have=security,everything', 'have'],
        ['from=iso27001&have=privacy', 'have'],
        ['from=soc2&from=soc2', 'from'],
        ['from=soc2&limit=5', 'limit'],
      ];
      for (const [query, field] of queries) {
        const res = await app.inject(`/api/v1/crosswalk?${query}`);
        expect(res.statusCode, query).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(fieldsOf(res.json()), query).toContain(field);
      }
    });

    it('refuses a body that is not JSON, or too large, with a client error', async () => {
      const text = await postRaw(app, '/api/v1/advisor', 'aiExposure=none', 'text/plain');
      expect(text.statusCode).toBe(400);
      expect(fieldsOf(text.json())).toEqual(['body']);
      const xml = await postRaw(app, '/api/v1/advisor', '<a/>', 'application/xml');
      expect(xml.statusCode).toBe(415);
      const broken = await postRaw(app, '/api/v1/estimate', '{"framework":', 'application/json');
      expect(broken.statusCode).toBe(400);
      const huge = await postRaw(
        app,
        '/api/v1/advisor',
        JSON.stringify({ aiExposure: 'none', customers: Array(200_000).fill('smb') }),
        'application/json',
      );
      expect(huge.statusCode).toBe(413);
    });
  });

  describe('sharing and search', () => {
    it('lists every public page in the sitemap, compare pairs and active firm profiles included', async () => {
      const res = await app.inject('/sitemap.xml');
      const guides = ['/advisor', '/overlap', '/estimate', '/how-matching-works'];
      const pages = ['/', '/frameworks', '/frameworks/iso42001', '/firms', ...guides];
      const locs = pages.map((path) => `<loc>http://localhost:3000${path}</loc>`);
      expectAnswer(res, 200, locs, 'application/xml');
      for (const [a, b] of comparePairs())
        expect(res.body).toContain(`<loc>http://localhost:3000/compare/${a}-vs-${b}</loc>`);
      const firms = await app.ctx.catalog.firms();
      const active = firms.filter((f) => f.status === 'active');
      expect(active.length).toBeGreaterThan(0);
      for (const f of active) expect(res.body).toContain(`/firms/${f.slug}</loc>`);
      for (const f of firms.filter((x) => x.status !== 'active'))
        expect(res.body).not.toContain(`/firms/${f.slug}</loc>`);
    });

    it('gives guide pages a title, description, canonical URL and Open Graph tags', async () => {
      for (const url of ['/advisor', '/overlap', '/estimate', '/compare/soc2-vs-iso27001']) {
        const res = await app.inject(url);
        expect(res.body, url).toMatch(/<meta name="description" content="[^"]{50,170}"/);
        expect(res.body, url).toContain(`<link rel="canonical" href="http://localhost:3000${url}"`);
        expect(res.body, url).toContain('<meta property="og:title"');
      }
    });

    it('never reflects a script from the query unescaped', async () => {
      const p = enc(SCRIPT);
      const urls = [
        `/advisor?aiExposure=${p}`,
        `/advisor?aiExposure=none&customers=${p}&markets=${p}&holds=${p}`,
        `/overlap?have=${p}&soc2=${p}`,
        `/overlap.csv?have=${p}`,
        `/estimate?framework=${p}&headcount=${p}&systems=${p}&locations=${p}&neededBy=${p}&categories=${p}&variant=${p}`,
        `/estimate?framework=soc2&headcount=5&systems=5&locations=1&existingProgram=${p}`,
        `/compare/${p}-vs-soc2`,
        `/compare/soc2-vs-iso42001?x=${p}`,
      ];
      for (const url of urls) {
        const res = await app.inject(url);
        expect(res.statusCode, url).toBeLessThan(500);
        expect(res.body, url).not.toContain('<script>alert(1)');
      }
      const api = await app.inject(`/api/v1/crosswalk?from=${p}`);
      expect(api.statusCode).toBe(400);
      expect(api.body).not.toContain('<script>');
    });
  });
});
