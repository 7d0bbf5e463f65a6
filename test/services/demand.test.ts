import { expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DemandTally } from '../../src/services/demand';
import { appOn, SOC2_SCOPE_QUERY } from '../helpers/app';
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
});
