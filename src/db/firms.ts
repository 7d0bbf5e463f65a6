import { type Kysely, type Selectable, sql } from 'kysely';
import { accreditationBodyId } from '../domain/accreditation';
import type { Credential, Firm, FirmService } from '../domain/firm';
import type { CredentialsTable, Database, FirmServicesTable, FirmsTable } from './schema';

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

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The catalog version and the match rotation, in one read. */
export async function readCatalogState(
  db: Kysely<Database>,
): Promise<{ version: number; rotation: number }> {
  const rows = await db
    .selectFrom('appState')
    .select(['key', 'value'])
    .where('key', 'in', ['catalog_version', 'match_rotation'])
    .execute();
  const value = (key: string) => Number(rows.find((r) => r.key === key)?.value ?? 0);
  return { version: value('catalog_version'), rotation: value('match_rotation') };
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
