import { randomUUID } from 'node:crypto';
import { bumpCatalogVersion, dropFirmRows, recordLiveChange, toFirm } from '../../db/firms';
import type { Firm } from '../../domain/firm';
import { audit } from '../audit';
import type { SessionUser } from '../auth';
import { type ServiceContext, ServiceError } from '../context';
import type { FirmRecord, FirmRecordInput } from '../firm-import/record';
import type { WebsiteEdit } from '../../domain/website-review';
import { type PendingWebsite, pendingWebsiteOf, saveFirmWebsite } from './website-changes';

/** A firm as its own workspace sees it: the public profile plus what only the firm sees. */
export interface FirmProfile {
  firm: Firm;
  leadEmail: string | null;
  /** A website the firm asked for that waits for the operator; `firm.website` is the live one. */
  pendingWebsite: PendingWebsite | null;
}

export function firmIdOf(user: SessionUser): string {
  if (user.role !== 'firm' || !user.firmId)
    throw new ServiceError(403, 'This account does not belong to a firm.');
  return user.firmId;
}

/** Read straight from the database (not the catalog cache), so the editor shows the latest save. */
export async function firmProfile(ctx: ServiceContext, firmId: string): Promise<FirmProfile> {
  const db = ctx.db.kysely;
  const [row, services, credentials, pendingWebsite] = await Promise.all([
    db.selectFrom('firms').selectAll().where('id', '=', firmId).executeTakeFirst(),
    db
      .selectFrom('firmServices')
      .selectAll()
      .where('firmId', '=', firmId)
      .orderBy('framework')
      .execute(),
    db
      .selectFrom('credentials')
      .selectAll()
      .where('firmId', '=', firmId)
      .orderBy('createdAt')
      .execute(),
    pendingWebsiteOf(db, firmId),
  ]);
  if (!row) throw new ServiceError(404, 'This firm no longer exists.');
  return { firm: toFirm(row, services, credentials), leadEmail: row.leadEmail, pendingWebsite };
}

/**
 * The profile as a firm record (the import's shape), so the editor validates with `FirmRecord`
 * itself. Credentials are left out: they are added one by one and verified by the operator.
 * The website is the one the firm asked for while it waits for review, so saving the editor
 * again keeps that request rather than withdrawing it.
 */
export function toProfileRecord(profile: FirmProfile): FirmRecordInput {
  const { firm, leadEmail } = profile;
  return {
    slug: firm.slug,
    name: firm.name,
    firmType: firm.firmType,
    status: firm.status,
    demo: firm.demo,
    website: editedWebsite(profile),
    description: firm.description,
    headquarters: firm.headquarters as FirmRecordInput['headquarters'],
    regions: firm.regions,
    languages: firm.languages as FirmRecordInput['languages'],
    industries: firm.industries,
    stages: firm.stages,
    aiSpecialism: firm.aiSpecialism,
    bookingUrl: firm.bookingUrl,
    leadEmail,
    plan: firm.plan,
    services: firm.services.map((s) => ({
      framework: s.framework,
      variants: s.variants,
      priceRanges: s.priceRanges,
      leadTimeWeeks: s.leadTimeWeeks,
      monthlyCapacity: s.monthlyCapacity,
      paused: s.paused,
      pausedUntil: s.pausedUntil,
    })),
    credentials: [],
    consultancyLinks: firm.consultancyLinks,
  };
}

/** The website the editor shows: the one waiting for review, else the live one. */
export function editedWebsite({ firm, pendingWebsite }: FirmProfile): string | null {
  return pendingWebsite ? pendingWebsite.website : firm.website;
}

const json = (v: unknown) => JSON.stringify(v);

/** What the catalog holds of the firm's own row, as the profile form writes it. */
const PROFILE_FIELDS = [
  'description',
  'headquarters',
  'regions',
  'languages',
  'industries',
  'stages',
  'aiSpecialism',
  'bookingUrl',
  'leadEmail',
] as const;
/** What the catalog holds of a service besides its live state. */
const SERVICE_FIELDS = ['variants', 'priceRanges', 'leadTimeWeeks'] as const;
/** A service's live state, read without reloading the catalog (`loadLiveServices`). */
const LIVE_SERVICE_FIELDS = ['monthlyCapacity', 'paused', 'pausedUntil'] as const;

/**
 * Saves what the firm may edit about itself — description, links, lead email, who it serves,
 * and its services with prices, lead time, capacity and pauses. Name, type, plan and status
 * stay with the operator. The live capacity counter of a service is kept.
 */
export async function updateProfile(
  ctx: ServiceContext,
  user: SessionUser,
  record: FirmRecord,
): Promise<{ website: WebsiteEdit['kind'] }> {
  const firmId = firmIdOf(user);
  const now = ctx.now();
  const at = now.toISOString();
  const month = at.slice(0, 7);
  const website = await ctx.db.kysely.transaction().execute(async (trx) => {
    const firm = await trx
      .selectFrom('firms')
      .select(['slug', 'firmType', 'website', 'status', ...PROFILE_FIELDS])
      .where('id', '=', firmId)
      .executeTakeFirstOrThrow();
    if (firm.slug !== record.slug || firm.firmType !== record.firmType) {
      throw new ServiceError(409, 'This form was for another firm. Reload the page and try again.');
    }
    const profile = {
      description: record.description,
      headquarters: record.headquarters,
      regions: json(record.regions),
      languages: json(record.languages),
      industries: json(record.industries),
      stages: json(record.stages),
      aiSpecialism: record.aiSpecialism ? 1 : 0,
      bookingUrl: record.bookingUrl,
      leadEmail: record.leadEmail,
    };
    let catalogChanged = PROFILE_FIELDS.some((field) => firm[field] !== profile[field]);
    let liveChanged = false;
    await trx
      .updateTable('firms')
      .set({ ...profile, updatedAt: at })
      .where('id', '=', firmId)
      .execute();
    const stored = await trx
      .selectFrom('firmServices')
      .selectAll()
      .where('firmId', '=', firmId)
      .execute();
    for (const service of record.services) {
      const values = {
        variants: json(service.variants),
        priceRanges: json(service.priceRanges),
        leadTimeWeeks: service.leadTimeWeeks,
        monthlyCapacity: service.monthlyCapacity,
        paused: service.paused ? 1 : 0,
        pausedUntil: service.pausedUntil,
      };
      const existing = stored.find((s) => s.framework === service.framework);
      if (existing) {
        if (SERVICE_FIELDS.some((field) => existing[field] !== values[field]))
          catalogChanged = true;
        if (LIVE_SERVICE_FIELDS.some((field) => existing[field] !== values[field]))
          liveChanged = true;
        await trx.updateTable('firmServices').set(values).where('id', '=', existing.id).execute();
      } else {
        catalogChanged = true;
        await trx
          .insertInto('firmServices')
          .values({
            id: randomUUID(),
            firmId,
            framework: service.framework,
            ...values,
            capacityUsed: 0,
            capacityMonth: month,
          })
          .execute();
      }
    }
    const dropped = stored.filter((s) => !record.services.some((r) => r.framework === s.framework));
    await dropFirmRows(trx, 'firmServices', dropped);
    // The website is what the operator judged the firm's email domain against: once the firm
    // is approved, a change waits for the operator's review (ADR 0017).
    const website = await saveFirmWebsite(
      trx,
      now,
      { userId: user.id, firmId },
      firm,
      record.website ?? null,
    );
    // A save that only pauses, resumes or resizes services is live state: instances read this
    // firm's services again instead of every firm (ADR 0019). Anything else moves the catalog.
    if (catalogChanged || dropped.length > 0 || website === 'apply') await bumpCatalogVersion(trx);
    else if (liveChanged) await recordLiveChange(trx, firmId);
    await audit(trx, now, {
      actorKind: 'firm-user',
      actorId: user.id,
      action: 'firm.profile-updated',
      subjectKind: 'firm',
      subjectId: firmId,
      detail: {
        services: record.services.map((s) => s.framework),
        removedServices: dropped.map((s) => s.framework),
      },
    });
    return website;
  });
  ctx.catalog.invalidate();
  return { website };
}
