import type { Firm } from '../firm';
import { FRAMEWORK_IDS } from '../vocabulary';
import { dayNumber, type IsoDate, monthOf } from './dates';
import {
  capacityLeft,
  isoConflict,
  ELIGIBILITY_CODES,
  type EligibilityCode,
  isPaused,
  type PreparedScope,
  type RuleMask,
} from './eligibility';
import { qualifiedUntil } from './qualification';
import { normaliseName } from './scope';
import { daysToFinish, weeksToDays } from './timeline';

/**
 * What the hard rules read about every firm of one catalog snapshot on one day, laid out in flat
 * typed arrays (one slot per firm, or per firm and framework). Explaining a shortfall checks
 * every candidate against every rule; at 10,000 firms, following each firm's regions, services
 * and credentials around the heap cost about 2 µs a firm in cache misses, and these arrays turn
 * it into a few reads of adjacent numbers. None of it depends on the request, only on the
 * snapshot and the day (pauses, credentials and capacity months change with the date).
 *
 * `checkRules` in eligibility.ts stays the statement of the rules; `factsScanner` must answer
 * exactly as `ruleScanner` does, which the property tests check on generated catalogs.
 */
export interface CatalogFacts {
  today: IsoDate;
  active: Uint8Array;
  regions: Uint32Array;
  /** Lower-cased id and slug, as names given by a buyer are compared. */
  ids: string[];
  slugs: string[];
  /** Per firm × framework (FRAMEWORK_IDS order): 1 when the firm offers it. */
  offered: Uint8Array;
  variants: Uint32Array;
  paused: Uint8Array;
  full: Uint8Array;
  leadDays: Float64Array;
  /** Day number of the last day the firm stays qualified: -Infinity when not today, Infinity with no end. */
  qualifiedUntil: Float64Array;
}

const FRAMEWORK_COUNT = FRAMEWORK_IDS.length;
const FRAMEWORK_INDEX = new Map<string, number>(FRAMEWORK_IDS.map((f, i) => [f, i]));

/**
 * Gives each distinct region or variant name a bit, for as long as the process runs: the
 * vocabularies are small and fixed. Past 31 names the facts are not built and the rules run
 * on the firm objects as before.
 */
class BitNames {
  private readonly bits = new Map<string, number>();
  bitOf(name: string): number {
    return this.bits.get(name) ?? 0;
  }
  /** The bits of all these names, giving new names a bit; null once there are too many. */
  setOf(names: readonly string[]): number | null {
    let set = 0;
    for (const name of names) {
      let bit = this.bits.get(name);
      if (bit === undefined) {
        if (this.bits.size >= 31) return null;
        bit = 1 << this.bits.size;
        this.bits.set(name, bit);
      }
      set |= bit;
    }
    return set;
  }
}
const regionBits = new BitNames();
const variantBits = new BitNames();

const factsByCatalog = new WeakMap<readonly Firm[], CatalogFacts | null>();

/** The facts of this snapshot for this day, built on first use; null when they cannot be. */
export function catalogFacts(firms: readonly Firm[], today: IsoDate): CatalogFacts | null {
  const known = factsByCatalog.get(firms);
  if (known !== undefined && (known === null || known.today === today)) return known;
  const built = buildFacts(firms, today);
  factsByCatalog.set(firms, built);
  return built;
}

/**
 * Hands the facts of `from` to `to`, a snapshot where only the firms at `changed` have new live
 * state (capacity taken, pauses): their paused and full slots are worked out again, and the rest
 * is shared, instead of building the facts of every firm again.
 */
export function carryFacts(
  from: readonly Firm[],
  to: readonly Firm[],
  changed: Iterable<number>,
): void {
  const known = factsByCatalog.get(from);
  if (known === undefined) return;
  if (known === null) {
    factsByCatalog.set(to, null);
    return;
  }
  const month = monthOf(known.today);
  const facts: CatalogFacts = { ...known, paused: known.paused.slice(), full: known.full.slice() };
  for (const position of changed) {
    const seen = new Set<number>();
    for (const service of (to[position] as Firm).services) {
      const f = FRAMEWORK_INDEX.get(service.framework) as number;
      // As in buildFacts: the first service of a framework is the one the rules read.
      if (seen.has(f)) continue;
      seen.add(f);
      const slot = position * FRAMEWORK_COUNT + f;
      facts.paused[slot] = isPaused(service, known.today) ? 1 : 0;
      facts.full[slot] = capacityLeft(service, month) <= 0 ? 1 : 0;
    }
  }
  factsByCatalog.set(to, facts);
}

function buildFacts(firms: readonly Firm[], today: IsoDate): CatalogFacts | null {
  const n = firms.length;
  const month = monthOf(today);
  const facts: CatalogFacts = {
    today,
    active: new Uint8Array(n),
    regions: new Uint32Array(n),
    ids: new Array<string>(n),
    slugs: new Array<string>(n),
    offered: new Uint8Array(n * FRAMEWORK_COUNT),
    variants: new Uint32Array(n * FRAMEWORK_COUNT),
    paused: new Uint8Array(n * FRAMEWORK_COUNT),
    full: new Uint8Array(n * FRAMEWORK_COUNT),
    leadDays: new Float64Array(n * FRAMEWORK_COUNT),
    qualifiedUntil: new Float64Array(n * FRAMEWORK_COUNT),
  };
  for (let position = 0; position < n; position++) {
    const firm = firms[position] as Firm;
    facts.active[position] = firm.status === 'active' ? 1 : 0;
    const regions = regionBits.setOf(firm.regions);
    if (regions === null) return null;
    facts.regions[position] = regions;
    facts.ids[position] = normaliseName(firm.id);
    facts.slugs[position] = normaliseName(firm.slug);
    for (const service of firm.services) {
      const f = FRAMEWORK_INDEX.get(service.framework);
      if (f === undefined) return null;
      const slot = position * FRAMEWORK_COUNT + f;
      // The rules read the first service of a framework; a repeat is never looked at.
      if (facts.offered[slot] === 1) continue;
      facts.offered[slot] = 1;
      const variants = variantBits.setOf(service.variants);
      if (variants === null) return null;
      facts.variants[slot] = variants;
      facts.paused[slot] = isPaused(service, today) ? 1 : 0;
      facts.full[slot] = capacityLeft(service, month) <= 0 ? 1 : 0;
      facts.leadDays[slot] = weeksToDays(service.leadTimeWeeks);
      const until = qualifiedUntil(firm, service.framework, today);
      facts.qualifiedUntil[slot] =
        until === undefined
          ? Number.NEGATIVE_INFINITY
          : until === null
            ? Number.POSITIVE_INFINITY
            : dayNumber(until);
    }
  }
  return facts;
}

const BIT = Object.fromEntries(ELIGIBILITY_CODES.map((code, i) => [code, 1 << i])) as Record<
  EligibilityCode,
  number
>;

/**
 * Every rule the firm at `position` fails for this request, as `ruleScanner(p)(firms[position])`
 * would answer, read from the facts. `p.today` must be the facts' day.
 */
export function factsScanner(
  facts: CatalogFacts,
  firms: readonly Firm[],
  p: PreparedScope,
): (position: number) => RuleMask {
  if (p.today !== facts.today) throw new RangeError('Catalog facts of another day');
  const regionBit = regionBits.bitOf(p.scope.region);
  const requests = p.requests.map((r) => ({
    frameworkIndex: FRAMEWORK_INDEX.get(r.framework) ?? -1,
    variant: r.variant,
    variantBit: r.variant === undefined ? 0 : variantBits.bitOf(r.variant),
    auditDays: r.auditDays,
    readinessDays: r.readinessDays,
    isSoc: r.isSoc,
    isIso: r.isIso,
  }));
  const throughDay = dayNumber(p.qualifiedThrough);
  const named = (names: Set<string>, position: number) =>
    names.size > 0 &&
    (names.has(facts.ids[position] as string) || names.has(facts.slugs[position] as string));
  return (position) => {
    let mask = 0;
    if (facts.active[position] !== 1) mask |= BIT['firm-not-active'];
    if (((facts.regions[position] as number) & regionBit) === 0) mask |= BIT['region-not-served'];
    if (named(p.excluded, position)) mask |= BIT['excluded-by-buyer'];
    for (const r of requests) {
      const slot = position * FRAMEWORK_COUNT + r.frameworkIndex;
      if (r.frameworkIndex < 0 || facts.offered[slot] !== 1) {
        mask |= BIT['framework-not-offered'];
      } else {
        if (r.variant !== undefined && ((facts.variants[slot] as number) & r.variantBit) === 0) {
          mask |= BIT['variant-not-offered'];
        }
        if (facts.paused[slot] === 1) mask |= BIT['service-paused'];
        if (facts.full[slot] === 1) mask |= BIT['capacity-full'];
        if (
          daysToFinish(facts.leadDays[slot] as number, r.readinessDays, r.auditDays) >
          p.daysToDeadline
        ) {
          mask |= BIT['cannot-start-in-time'];
        }
        if ((facts.qualifiedUntil[slot] as number) < throughDay)
          mask |= BIT['no-qualifying-credential'];
      }
      if (r.isSoc && named(p.controlsBuiltBy, position)) mask |= BIT['soc-independence-conflict'];
      if (r.isIso && isoConflict(firms[position] as Firm, p)) {
        mask |= BIT['iso-impartiality-conflict'];
      }
    }
    return mask;
  };
}
