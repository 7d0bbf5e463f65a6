import { expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DemandTally } from '../../src/services/demand';
import { recordLiveChange } from '../../src/db/firms';
import { appOn, SOC2_SCOPE_QUERY } from '../helpers/app';
import { soc2ScopeFields } from '../helpers/scopes';
import { describeEachEngine } from '../helpers/databases';

describeEachEngine('preview demand counts', (t) => {
  const counts = async (day: string) =>
    (
      await t()
        .db.kysely.selectFrom('demandCounts')
        .select(['framework', 'region', 'kind', 'count'])
        .where('day', '=', day)
        .where('kind', '=', 'preview')
        .orderBy('framework')
        .orderBy('region')
        .execute()
    ).map((r) => ({ ...r, count: Number(r.count) }));

  it('adds up in memory and writes each framework and region once per flush', async () => {
    const tally = new DemandTally();
    tally.add('2026-01-05', ['soc2', 'iso42001'], 'europe');
    tally.add('2026-01-05', ['soc2'], 'europe');
    tally.add('2026-01-05', ['soc2', 'soc2'], 'north-america');
    expect(await counts('2026-01-05')).toEqual([]);
    await tally.flush(t().db.kysely);
    expect(tally.size).toBe(0);
    tally.add('2026-01-05', ['soc2'], 'europe');
    await tally.flush(t().db.kysely);
    expect(await counts('2026-01-05')).toEqual([
      { framework: 'iso42001', region: 'europe', kind: 'preview', count: 1 },
      { framework: 'soc2', region: 'europe', kind: 'preview', count: 3 },
      { framework: 'soc2', region: 'north-america', kind: 'preview', count: 1 },
    ]);
  });

  it('keeps the counts for the next flush when writing fails', async () => {
    const tally = new DemandTally();
    tally.add('2026-01-06', ['soc2'], 'europe');
    // A schema that does not exist: every write fails, as during a database outage.
    await expect(tally.flush(t().db.kysely.withSchema('no_such_schema'))).rejects.toThrow();
    expect(tally.size).toBe(1);
    tally.add('2026-01-06', ['soc2'], 'europe');
    await tally.flush(t().db.kysely);
    expect(await counts('2026-01-06')).toEqual([
      { framework: 'soc2', region: 'europe', kind: 'preview', count: 2 },
    ]);
  });

  it('counts previews made through the site, written at the latest when the app stops', async () => {
    const app: FastifyInstance = await appOn(t());
    const day = new Date().toISOString().slice(0, 10);
    const before = (await counts(day)).find((c) => c.framework === 'soc2')?.count ?? 0;
    for (let i = 0; i < 2; i++) {
      const res = await app.inject(`/match?preview=1&${SOC2_SCOPE_QUERY}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('firm');
    }
    await app.close();
    const after = (await counts(day)).find((c) => c.framework === 'soc2')?.count ?? 0;
    expect(after - before).toBe(2);
  });

  it('answers a repeated JSON preview from memory, counts each one, and follows a firm filling up', async () => {
    const app: FastifyInstance = await appOn(t());
    const day = new Date().toISOString().slice(0, 10);
    const before = (await counts(day)).find((c) => c.framework === 'soc2')?.count ?? 0;
    const preview = () =>
      app.inject({ method: 'POST', url: '/api/v1/match-preview', payload: soc2ScopeFields() });
    const first = await preview();
    const second = await preview();
    expect(first.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    const proposed = (JSON.parse(first.body) as { proposals: { firmId: string }[] }).proposals;
    expect(proposed.length).toBeGreaterThan(0);

    // The first proposed firm takes its last SOC 2 slot (as an accept on another instance
    // would): the next answer, once the catalog checked the shared state, leaves it out.
    const firmId = proposed[0]!.firmId;
    await app.ctx.db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('firmServices')
        .set({ capacityUsed: 1, monthlyCapacity: 1, capacityMonth: day.slice(0, 7) })
        .where('firmId', '=', firmId)
        .where('framework', '=', 'soc2')
        .execute();
      await recordLiveChange(trx, firmId);
    });
    app.ctx.catalog.invalidate();
    const third = await preview();
    expect(third.statusCode).toBe(200);
    const after = (JSON.parse(third.body) as { proposals: { firmId: string }[] }).proposals;
    expect(after.map((p) => p.firmId)).not.toContain(firmId);
    await app.close();
    const counted = (await counts(day)).find((c) => c.framework === 'soc2')?.count ?? 0;
    expect(counted - before).toBe(3);
  });
});
