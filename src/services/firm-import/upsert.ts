import { accreditationBodyId } from '../../domain/accreditation';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { bumpCatalogVersion, dropFirmRows } from '../../db/firms';
import type { Database } from '../../db/schema';
import { audit } from '../audit';
import type { FirmRecord } from './record';

export interface ImportSummary {
  created: string[];
  updated: string[];
  unchanged: string[];
}

const json = (v: unknown) => JSON.stringify(v);
const bool = (v: boolean) => (v ? 1 : 0);

function firmColumns(r: FirmRecord) {
  return {
    name: r.name,
    firmType: r.firmType,
    status: r.status,
    demo: bool(r.demo),
    website: r.website ?? null,
    description: r.description,
    headquarters: r.headquarters,
    regions: json(r.regions),
    languages: json(r.languages),
    industries: json(r.industries),
    stages: json(r.stages),
    aiSpecialism: bool(r.aiSpecialism),
    bookingUrl: r.bookingUrl ?? null,
    leadEmail: r.leadEmail ?? null,
    consultancyLinks: json(r.consultancyLinks ?? []),
    plan: r.plan,
  };
}

function serviceColumns(s: FirmRecord['services'][number], month: string) {
  return {
    framework: s.framework,
    variants: json(s.variants),
    priceRanges: json(s.priceRanges),
    leadTimeWeeks: s.leadTimeWeeks,
    monthlyCapacity: s.monthlyCapacity,
    capacityUsed: s.capacityUsed ?? 0,
    capacityMonth: s.capacityMonth ?? month,
    paused: bool(s.paused),
    pausedUntil: s.pausedUntil ?? null,
  };
}

/** An accreditation's body is stored as its id from the closed list ("ukas" → "UKAS"). */
export function storedIssuer(kind: string, issuer: string): string {
  return kind === 'iso-accreditation' ? (accreditationBodyId(issuer) ?? issuer) : issuer;
}

function credentialColumns(c: FirmRecord['credentials'][number]) {
  return {
    kind: c.kind,
    issuer: storedIssuer(c.kind, c.issuer),
    identifier: c.identifier,
    scopeStandards: json(c.scopeStandards ?? []),
    schemeStandards: json(c.schemeStandards ?? []),
    validFrom: c.validFrom,
    validTo: c.validTo ?? null,
    verification: c.verification,
    evidenceUrl: c.evidenceUrl ?? null,
  };
}

/** Compares only the columns the import owns, so unchanged rows are left untouched. */
function sameValues(stored: object, next: Record<string, unknown>): boolean {
  const s = stored as Record<string, unknown>;
  return Object.entries(next).every(([k, v]) => s[k] === v);
}

/**
 * Imports validated firm records in one transaction, keyed by slug: a new slug creates a
 * firm, a known slug updates it, and a record identical to what is stored changes nothing.
 * Services are keyed by framework and credentials by kind + identifier; one absent from the
 * record is removed, so the file is the firm's truth.
 */
export async function upsertFirms(
  db: Kysely<Database>,
  records: FirmRecord[],
  now: Date,
  actor: { kind: 'cli' | 'admin' | 'system'; id?: string } = { kind: 'cli' },
): Promise<ImportSummary> {
  const summary: ImportSummary = { created: [], updated: [], unchanged: [] };
  const at = now.toISOString();
  const month = at.slice(0, 7);
  await db.transaction().execute(async (trx) => {
    for (const record of records) {
      const columns = firmColumns(record);
      const existing = await trx
        .selectFrom('firms')
        .selectAll()
        .where('slug', '=', record.slug)
        .executeTakeFirst();
      let firmId: string;
      let changed = false;
      if (!existing) {
        firmId = randomUUID();
        await trx
          .insertInto('firms')
          .values({ id: firmId, slug: record.slug, ...columns, createdAt: at, updatedAt: at })
          .execute();
        changed = true;
      } else {
        firmId = existing.id;
        if (!sameValues(existing, columns)) {
          await trx
            .updateTable('firms')
            .set({ ...columns, updatedAt: at })
            .where('id', '=', firmId)
            .execute();
          changed = true;
        }
      }

      const storedServices = await trx
        .selectFrom('firmServices')
        .selectAll()
        .where('firmId', '=', firmId)
        .execute();
      for (const service of record.services) {
        const values = serviceColumns(service, month);
        const stored = storedServices.find((s) => s.framework === service.framework);
        if (!stored) {
          await trx
            .insertInto('firmServices')
            .values({ id: randomUUID(), firmId, ...values })
            .execute();
          changed = true;
          continue;
        }
        // A file without capacity figures must not reset the month's live usage counter.
        const owned =
          service.capacityUsed === undefined
            ? { ...values, capacityUsed: stored.capacityUsed, capacityMonth: stored.capacityMonth }
            : values;
        if (!sameValues(stored, owned)) {
          await trx.updateTable('firmServices').set(owned).where('id', '=', stored.id).execute();
          changed = true;
        }
      }
      const dropServices = storedServices.filter(
        (s) => !record.services.some((r) => r.framework === s.framework),
      );
      if (await dropFirmRows(trx, 'firmServices', dropServices)) changed = true;

      const storedCredentials = await trx
        .selectFrom('credentials')
        .selectAll()
        .where('firmId', '=', firmId)
        .execute();
      for (const credential of record.credentials) {
        const values = credentialColumns(credential);
        const stored = storedCredentials.find(
          (c) => c.kind === credential.kind && c.identifier === credential.identifier,
        );
        if (!stored) {
          await trx
            .insertInto('credentials')
            .values({ id: randomUUID(), firmId, ...values, createdAt: at })
            .execute();
          changed = true;
        } else if (!sameValues(stored, values)) {
          await trx.updateTable('credentials').set(values).where('id', '=', stored.id).execute();
          changed = true;
        }
      }
      const dropCredentials = storedCredentials.filter(
        (c) => !record.credentials.some((r) => r.kind === c.kind && r.identifier === c.identifier),
      );
      if (await dropFirmRows(trx, 'credentials', dropCredentials)) changed = true;

      if (!existing) summary.created.push(record.slug);
      else if (changed) summary.updated.push(record.slug);
      else summary.unchanged.push(record.slug);
    }
    if (summary.created.length + summary.updated.length > 0) {
      await bumpCatalogVersion(trx);
      await audit(trx, now, {
        actorKind: actor.kind,
        actorId: actor.id ?? null,
        action: 'firms.imported',
        detail: {
          created: summary.created.length,
          updated: summary.updated.length,
          unchanged: summary.unchanged.length,
        },
      });
    }
  });
  return summary;
}
