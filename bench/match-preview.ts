import { performance } from 'node:perf_hooks';
import { match } from '../src/domain/matching';
import { FirmCatalog } from '../src/services/catalog';
import { DemandTally } from '../src/services/demand';
import type { ServiceContext } from '../src/services/context';
import { upsertFirms } from '../src/services/firm-import/upsert';
import { previewMatch } from '../src/services/intake';
import { toMatchScope } from '../src/services/intake/scope';
import { Secrets } from '../src/services/secrets';
import { openTestDatabase } from '../test/helpers/engines';
import { type Figure, ms } from './lib/report';
import { median, percentile } from './lib/stats';
import { assertValidRecords, syntheticFirmRecords, syntheticScopes } from './lib/synthetic';

/**
 * Match preview through the service layer (`previewMatch`: catalog, scope resolution, matcher,
 * anonymous demand count) with N synthetic firms imported into a real SQLite database.
 */

export const PREVIEW_SIZES = [100, 1_000, 10_000] as const;
export const PREVIEW_REQUESTS = 1_000;
export const PREVIEW_P99_TARGET_MS = 10;
/** 10× the firms may cost at most 10× the time (linear), with this much slack for noise. */
export const GROWTH_TARGET = 10;
/** Requests of each round on which the scope preparation alone is timed (it is informational). */
const SCOPE_SAMPLE = 200;

export interface PreviewOptions {
  requests: number;
  /** Rounds of `requests`; the median round's p50 and p99 are reported. */
  rounds: number;
  log: (line: string) => void;
}

interface SizeResult {
  firms: number;
  p50: number;
  p99: number;
  /** The same requests against the in-memory matcher alone, for attributing the cost. */
  matchP50: number;
  matchP99: number;
  /** The service's own scope preparation (resolving firm names) alone. */
  scopeP50: number;
  scopeP99: number;
  rounds: { p50: number; p99: number }[];
}

async function timeEach<T>(items: readonly T[], work: (item: T, i: number) => unknown) {
  const times: number[] = [];
  for (const [i, item] of items.entries()) {
    const start = performance.now();
    await work(item, i);
    times.push(performance.now() - start);
  }
  return times;
}

export async function runMatchPreview(options: PreviewOptions): Promise<Figure[]> {
  const t = await openTestDatabase('sqlite');
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  const ctx: ServiceContext = {
    config: t.config,
    db: t.db,
    secrets: new Secrets(t.config.appSecret),
    catalog: new FirmCatalog(t.db),
    demand: new DemandTally(),
    now: () => now,
  };
  const results: SizeResult[] = [];
  try {
    let stored = 0;
    for (const size of PREVIEW_SIZES) {
      // Grow the same catalog: 100, then 900 more, then 9,000 more, through the real import.
      const started = performance.now();
      for (let from = stored; from < size; from += 1_000) {
        const records = syntheticFirmRecords(Math.min(1_000, size - from), today, { offset: from });
        assertValidRecords(records);
        await upsertFirms(t.db.kysely, records, now, { kind: 'system' });
      }
      stored = size;
      ctx.catalog.invalidate();
      const firms = await ctx.catalog.firms();
      if (firms.length !== size) throw new Error(`catalog holds ${firms.length}, not ${size}`);
      options.log(
        `  ${size} firms imported in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );

      const scopes = syntheticScopes(options.requests, today, { firmCount: size });
      // Warm up the JIT and the catalog before timing anything.
      for (const scope of scopes.slice(0, 50)) await previewMatch(ctx, scope);

      // Each round times the service, then the matcher alone and the service's scope
      // preparation alone on the same requests; the median round is reported.
      const matchScopes = scopes.map((s) => toMatchScope(s, firms));
      const rounds: { p50: number; p99: number }[] = [];
      const matchRounds: { p50: number; p99: number }[] = [];
      const scopeRounds: { p50: number; p99: number }[] = [];
      const summary = (times: number[]) => ({
        p50: percentile(times, 50),
        p99: percentile(times, 99),
      });
      for (let round = 0; round < options.rounds; round++) {
        rounds.push(summary(await timeEach(scopes, (scope) => previewMatch(ctx, scope))));
        matchRounds.push(
          summary(
            await timeEach(matchScopes, (scope, i) => match(firms, scope, { today, rotation: i })),
          ),
        );
        scopeRounds.push(
          summary(
            await timeEach(scopes.slice(0, SCOPE_SAMPLE), (scope) => toMatchScope(scope, firms)),
          ),
        );
      }
      const mid = (list: { p50: number; p99: number }[]) => ({
        p50: median(list.map((r) => r.p50)),
        p99: median(list.map((r) => r.p99)),
      });
      const result: SizeResult = {
        firms: size,
        ...mid(rounds),
        matchP50: mid(matchRounds).p50,
        matchP99: mid(matchRounds).p99,
        scopeP50: mid(scopeRounds).p50,
        scopeP99: mid(scopeRounds).p99,
        rounds,
      };
      results.push(result);
      options.log(
        `  ${size} firms: preview p50 ${ms(result.p50)} p99 ${ms(result.p99)}; match() alone p50 ${ms(result.matchP50)} p99 ${ms(result.matchP99)}; toMatchScope alone p50 ${ms(result.scopeP50)} p99 ${ms(result.scopeP99)}`,
      );
    }
  } finally {
    await t.cleanup();
  }
  return previewFigures(results, options);
}

function previewFigures(results: SizeResult[], options: PreviewOptions): Figure[] {
  const figures: Figure[] = [];
  const n = (x: number) => x.toLocaleString('en-US');
  for (const r of results) {
    const gated = r.firms === 10_000;
    figures.push(
      {
        id: `preview.${r.firms}.p50`,
        figure: `match preview p50, ${n(r.firms)} firms`,
        value: ms(r.p50),
        target: '—',
        pass: null,
        measured: r.p50,
        unit: 'ms',
      },
      {
        id: `preview.${r.firms}.p99`,
        figure: `match preview p99, ${n(r.firms)} firms`,
        value: ms(r.p99),
        target: gated ? `≤ ${PREVIEW_P99_TARGET_MS} ms` : '—',
        pass: gated ? r.p99 <= PREVIEW_P99_TARGET_MS : null,
        measured: r.p99,
        unit: 'ms',
        ...(options.rounds > 1
          ? {
              note: `median of ${options.rounds} rounds: ${r.rounds.map((x) => ms(x.p99)).join(', ')}`,
            }
          : {}),
      },
    );
  }
  const at = (size: number) => results.find((r) => r.firms === size);
  const large = at(10_000);
  const mid = at(1_000);
  if (large && mid) {
    const growth = large.p50 / mid.p50;
    figures.push({
      id: 'preview.growth',
      figure: 'match preview growth 1k → 10k firms (p50)',
      value: `${growth.toFixed(1)}×`,
      target: `≤ ${GROWTH_TARGET}× (linear)`,
      pass: growth <= GROWTH_TARGET,
      measured: growth,
      unit: 'ratio',
      note: `p99 ratio ${(large.p99 / mid.p99).toFixed(1)}×`,
    });
    figures.push(
      {
        id: 'preview.growth.match-only',
        figure: 'of which match() alone growth 1k → 10k firms (p50)',
        value: `${(large.matchP50 / mid.matchP50).toFixed(1)}×`,
        target: '—',
        pass: null,
        measured: large.matchP50 / mid.matchP50,
        unit: 'ratio',
      },
      {
        id: 'preview.10000.match-only.p99',
        figure: 'of which match() alone p50 / p99, 10,000 firms',
        value: `${ms(large.matchP50)} / ${ms(large.matchP99)}`,
        target: '—',
        pass: null,
        measured: large.matchP99,
        unit: 'ms',
      },
      {
        id: 'preview.10000.scope-only.p99',
        figure: 'of which toMatchScope() alone p50 / p99, 10,000 firms',
        value: `${ms(large.scopeP50)} / ${ms(large.scopeP99)}`,
        target: '—',
        pass: null,
        measured: large.scopeP99,
        unit: 'ms',
      },
    );
  }
  return figures;
}
