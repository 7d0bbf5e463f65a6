import { type Kysely, type Selectable, sql } from 'kysely';
import { accreditationBodyId } from '../domain/accreditation';
import type { Credential, Firm, FirmService, LiveService } from '../domain/firm';
import type { CredentialsTable, Database, FirmServicesTable, FirmsTable } from './schema';
import { groupBy } from '../domain/collections';

/** Maps stored rows to the domain's plain Firm values (JSON columns parsed, 0/1 to booleans). */
export function toFirm(
  row: Selectable<FirmsTable>,
  services: Selectable<FirmServicesTable>[],
  credentials: Selectable<CredentialsTable>[],
): Firm {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    firmType: row.firmType as Firm['firmType'],
    status: row.status as Firm['status'],
    demo: row.demo === 1,
    website: row.website,
    description: row.description,
    headquarters: row.headquarters,
    regions: JSON.parse(row.regions),
    languages: JSON.parse(row.languages),
    industries: JSON.parse(row.industries),
    stages: JSON.parse(row.stages),
    aiSpecialism: row.aiSpecialism === 1,
    bookingUrl: row.bookingUrl,
    consultancyLinks: JSON.parse(row.consultancyLinks),
    reviewCount: row.reviewCount,
    reviewMean: row.reviewMean,
    medianResponseHours: row.medianResponseHours,
    plan: row.plan as Firm['plan'],
    services: services.map(toFirmService),
    credentials: credentials.map(toCredential),
  };
}

export function toFirmService(s: Selectable<FirmServicesTable>): FirmService {
  return {
    framework: s.framework as FirmService['framework'],
    variants: JSON.parse(s.variants),
    priceRanges: JSON.parse(s.priceRanges),
    leadTimeWeeks: s.leadTimeWeeks,
    monthlyCapacity: s.monthlyCapacity,
    capacityUsed: s.capacityUsed,
    capacityMonth: s.capacityMonth,
    paused: s.paused === 1,
    pausedUntil: s.pausedUntil,
  };
}

export function toCredential(c: Selectable<CredentialsTable>): Credential {
  return {
    kind: c.kind as Credential['kind'],
    // Accreditations stored before the closed list named their body as typed ("ukas"): read as its id.
    issuer: c.kind === 'iso-accreditation' ? (accreditationBodyId(c.issuer) ?? c.issuer) : c.issuer,
    identifier: c.identifier,
    scopeStandards: JSON.parse(c.scopeStandards),
    schemeStandards: JSON.parse(c.schemeStandards),
    validFrom: c.validFrom,
    validTo: c.validTo,
    verification: c.verification as Credential['verification'],
    evidenceUrl: c.evidenceUrl,
  };
}

/** Every firm with its services and credentials, in three queries whatever the count. */
export async function loadAllFirms(db: Kysely<Database>): Promise<Firm[]> {
  return loadFirmsWhere(db, null);
}

/**
 * These firms as stored right now (not the catalog snapshot): the doors of the lifecycle judge a
 * firm's standing from this, inside their own transaction.
 */
export async function loadFirms(db: Kysely<Database>, ids: readonly string[]): Promise<Firm[]> {
  return ids.length === 0 ? [] : loadFirmsWhere(db, [...new Set(ids)]);
}

export async function loadFirm(db: Kysely<Database>, id: string): Promise<Firm | undefined> {
  return (await loadFirms(db, [id]))[0];
}

/**
 * Deletes a firm's services or credentials that its new record no longer lists (an import, a
 * profile save); true when any was deleted.
 */
export async function dropFirmRows(
  db: Kysely<Database>,
  table: 'firmServices' | 'credentials',
  rows: readonly { id: string }[],
): Promise<boolean> {
  if (rows.length === 0) return false;
  await db
    .deleteFrom(table)
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return true;
}

/** Where a firm's briefs and notices go, with the name they greet; null when it gives no lead address. */
export async function firmLead(
  db: Kysely<Database>,
  firmId: string,
): Promise<{ email: string; name: string } | null> {
  const firm = await db
    .selectFrom('firms')
    .select(['leadEmail', 'name'])
    .where('id', '=', firmId)
    .executeTakeFirst();
  return firm?.leadEmail ? { email: firm.leadEmail, name: firm.name } : null;
}

async function loadFirmsWhere(db: Kysely<Database>, ids: string[] | null): Promise<Firm[]> {
  let firmsQuery = db.selectFrom('firms').selectAll().orderBy('name');
  let servicesQuery = db.selectFrom('firmServices').selectAll().orderBy('framework');
  let credentialsQuery = db.selectFrom('credentials').selectAll().orderBy('createdAt');
  if (ids) {
    firmsQuery = firmsQuery.where('id', 'in', ids);
    servicesQuery = servicesQuery.where('firmId', 'in', ids);
    credentialsQuery = credentialsQuery.where('firmId', 'in', ids);
  }
  let appliedQuery = db
    .selectFrom('firmApplications')
    .select('firmId')
    .where('kind', '=', 'new')
    .where('firmId', 'is not', null);
  if (ids) appliedQuery = appliedQuery.where('firmId', 'in', ids);
  const [firms, services, credentials, applied] = await Promise.all([
    firmsQuery.execute(),
    servicesQuery.execute(),
    credentialsQuery.execute(),
    appliedQuery.execute(),
  ]);
  const servicesByFirm = groupBy(services, (s) => s.firmId);
  const credentialsByFirm = groupBy(credentials, (c) => c.firmId);
  const selfRegistered = new Set(applied.map((a) => a.firmId));
  return firms.map((f) => ({
    ...toFirm(f, servicesByFirm.get(f.id) ?? [], credentialsByFirm.get(f.id) ?? []),
    ...(selfRegistered.has(f.id) ? { selfRegistered: true } : {}),
  }));
}

/**
 * Which firms' live state (capacity taken, pauses) changed lately, kept in one `app_state` row
 * beside the catalog version: `firms[i]` changed at `seq - firms.length + 1 + i`. An instance that
 * has seen `seq` S reads only those firms' services again; one that fell further behind than the
 * log reaches reloads the catalog. Writers take the row's lock before reading it, so the order of
 * `seq` is the order of commits and no change is skipped.
 */
export interface LiveLog {
  seq: number;
  firms: string[];
}

const LIVE_LOG_KEY = 'live_changes';
/** Changes kept in the log: far more than any instance sees between two checks (2 s). */
const LIVE_LOG_LENGTH = 200;
const EMPTY_LIVE_LOG = '{"seq":0,"firms":[]}';

function parseLiveLog(value: string | undefined): LiveLog {
  const parsed = JSON.parse(value ?? EMPTY_LIVE_LOG) as Partial<LiveLog>;
  return { seq: Number(parsed.seq ?? 0), firms: Array.isArray(parsed.firms) ? parsed.firms : [] };
}

/** The firms changed after `seen`, or null when the log no longer reaches back that far. */
export function liveChangesSince(log: LiveLog, seen: number): string[] | null {
  const behind = log.seq - seen;
  if (behind < 0 || behind > log.firms.length) return null;
  return [...new Set(log.firms.slice(log.firms.length - behind))];
}

/** The catalog version, the match rotation and the live-state log, in one read. */
export async function readCatalogState(
  db: Kysely<Database>,
): Promise<{ version: number; rotation: number; live: LiveLog }> {
  const rows = await db
    .selectFrom('appState')
    .select(['key', 'value'])
    .where('key', 'in', ['catalog_version', 'match_rotation', LIVE_LOG_KEY])
    .execute();
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  return {
    version: Number(value('catalog_version') ?? 0),
    rotation: Number(value('match_rotation') ?? 0),
    live: parseLiveLog(value(LIVE_LOG_KEY)),
  };
}

/**
 * Records that this firm's live state changed (capacity taken); call inside the transaction that
 * changed it. Unlike `bumpCatalogVersion`, instances then read only this firm's services again.
 */
export async function recordLiveChange(db: Kysely<Database>, firmId: string): Promise<void> {
  // An upsert that changes nothing takes the row's lock (and makes the row on first use), so
  // racing writers append one after the other, in commit order.
  await db
    .insertInto('appState')
    .values({ key: LIVE_LOG_KEY, value: EMPTY_LIVE_LOG })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`app_state.value` }))
    .execute();
  const row = await db
    .selectFrom('appState')
    .select('value')
    .where('key', '=', LIVE_LOG_KEY)
    .executeTakeFirstOrThrow();
  const log = parseLiveLog(row.value);
  const next: LiveLog = {
    seq: log.seq + 1,
    firms: [...log.firms, firmId].slice(-LIVE_LOG_LENGTH),
  };
  await db
    .updateTable('appState')
    .set({ value: JSON.stringify(next) })
    .where('key', '=', LIVE_LOG_KEY)
    .execute();
}

/** The live part of these firms' services, as stored now. */
export async function loadLiveServices(
  db: Kysely<Database>,
  firmIds: readonly string[],
): Promise<Map<string, LiveService[]>> {
  const rows =
    firmIds.length === 0
      ? []
      : await db
          .selectFrom('firmServices')
          .select([
            'firmId',
            'framework',
            'monthlyCapacity',
            'capacityUsed',
            'capacityMonth',
            'paused',
            'pausedUntil',
          ])
          .where('firmId', 'in', firmIds)
          .execute();
  const byFirm = new Map<string, LiveService[]>(firmIds.map((id) => [id, []]));
  for (const r of rows) {
    byFirm.get(r.firmId)?.push({
      framework: r.framework as LiveService['framework'],
      monthlyCapacity: r.monthlyCapacity,
      capacityUsed: r.capacityUsed,
      capacityMonth: r.capacityMonth,
      paused: r.paused === 1,
      pausedUntil: r.pausedUntil,
    });
  }
  return byFirm;
}

/**
 * Marks the firm catalog as changed; call inside the transaction that changed it so every
 * instance's cached copy (and cached public pages) are refreshed.
 */
export async function bumpCatalogVersion(db: Kysely<Database>): Promise<void> {
  // One atomic increment: two writers at once must both move the version.
  await db
    .updateTable('appState')
    .set({ value: sql<string>`cast(cast(value as integer) + 1 as text)` })
    .where('key', '=', 'catalog_version')
    .execute();
}
