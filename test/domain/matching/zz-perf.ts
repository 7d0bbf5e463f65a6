import fc from 'fast-check';
import { match } from '../../../src/domain/matching';
import { firmArb, scopeArb } from './arbitraries';
const today = '2027-03-10';
const scopes = fc.sample(scopeArb(today), { numRuns: 200, seed: 3 });
const pool = fc.sample(firmArb({ today, aimAt: scopes[0] }), { numRuns: 2000, seed: 5 });
for (const n of [100, 1000, 10000]) {
  const firms = Array.from({ length: n }, (_, i) => ({ ...pool[i % pool.length]!, id: `f${i}`, slug: `f${i}` }));
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const s = scopes[i % scopes.length]!;
    const t = performance.now();
    match(firms, s, { today, rotation: i });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(n, 'p50', times[150]!.toFixed(3), 'p99', times[297]!.toFixed(3));
}
