import { performance } from 'node:perf_hooks';
import { match } from '../src/domain/matching';
import {
  assertValidRecords,
  recordToFirm,
  syntheticFirmRecords,
  syntheticScopes,
  toPlainMatchScope,
} from './lib/synthetic';
import { percentile } from './lib/stats';

/**
 * The matcher alone, in memory, on the same synthetic catalog as `npm run bench`: the place to
 * profile it (`node --cpu-prof --import tsx bench/profile-match.ts`). FIRMS and REQUESTS
 * override the sizes.
 */
const firmCount = Number(process.env.FIRMS ?? 10_000);
const requestCount = Number(process.env.REQUESTS ?? 1_000);
const today = new Date().toISOString().slice(0, 10);
const records = syntheticFirmRecords(firmCount, today);
assertValidRecords(records);
const firms = records.map((r) => recordToFirm(r, today.slice(0, 7)));
const scopes = syntheticScopes(requestCount, today, { firmCount }).map(toPlainMatchScope);

// Warm up, then measure every request once.
for (const scope of scopes.slice(0, 100)) match(firms, scope, { today, rotation: 0 });
const times: number[] = [];
let proposals = 0;
for (const [i, scope] of scopes.entries()) {
  const start = performance.now();
  const result = match(firms, scope, { today, rotation: i });
  times.push(performance.now() - start);
  proposals += result.proposals.length;
}
console.log(
  `${firmCount} firms, ${requestCount} requests: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, mean proposals ${(proposals / requestCount).toFixed(2)}`,
);
