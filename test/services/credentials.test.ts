import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { bumpCatalogVersion } from '../../src/db/firms';
import { match } from '../../src/domain/matching';
import { qualification } from '../../src/domain/matching/qualification';
import { openEmail } from '../../src/outbox/email';
import { FIRM_PAGE_SIZE, firmList, type FirmSummary } from '../../src/services/admin/firms';
import {
  CREDENTIAL_PAGE_SIZE,
  CredentialDecisionSchema,
  credentialQueue,
  decideCredential,
} from '../../src/services/admin/credentials';
import type { Database } from '../../src/db/schema';
import type { ServiceContext } from '../../src/services/context';
import {
  queueCredentialReminders,
  reminderKey,
  reminderThreshold,
} from '../../src/services/credential-reminders';
import { previewMatch } from '../../src/services/intake';
import { toMatchScope } from '../../src/services/intake/scope';
import { describeEachEngine } from '../helpers/databases';
import {
  auditEntries,
  DAY_MS,
  refusal,
  scopeWith,
  seededContext,
  SOC2_SCOPE,
  TestClock,
} from '../helpers/requests';

/**
 * Only qualified firms: a firm is matched for SOC 2 only while a verified, unexpired peer
 * review (with its licence) qualifies it. An expired credential takes it out of matching at
 * once; verifying a pending one puts it back; revoking takes it out again — each change seen
 * by the very next match, through the catalog, without waiting for a cache to expire.
 */

const ADMIN = randomUUID();
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Stores a credential of `firmId` waiting for the operator, with no file, note or verdict; returns its id. */
async function pendingCredential(
  ctx: ServiceContext,
  firmId: string,
  fields: Pick<
    Insertable<Database['credentials']>,
    | 'kind'
    | 'issuer'
    | 'identifier'
    | 'scopeStandards'
    | 'schemeStandards'
    | 'validFrom'
    | 'validTo'
    | 'evidenceUrl'
  >,
): Promise<string> {
  const id = randomUUID();
  await ctx.db.kysely
    .insertInto('credentials')
    .values({
      id,
      firmId,
      ...fields,
      verification: 'pending',
      evidenceFile: null,
      verifiedAt: null,
      verifiedBy: null,
      note: null,
      createdAt: ctx.now().toISOString(),
    })
    .execute();
  return id;
}

describeEachEngine('credential verification and matching', (t) => {
  const clock = new TestClock('2026-11-30T09:00:00.000Z');
  let ctx: ServiceContext;
  let firmId = '';

  /** Proposed or next in line: the firms this scope's preview may offer, best first. */
  async function offered(): Promise<string[]> {
    const result = await previewMatch(ctx, SOC2_SCOPE);
    return [...result.proposals, ...result.alternates].map((p) => p.firmId);
  }

  /** The firm's first credential of `kind` that `which` picks; none throws. */
  async function credentialOf(
    kind: string,
    which: (c: { identifier: string; verification: string }) => boolean = () => true,
  ): Promise<{ id: string }> {
    const rows = await ctx.db.kysely
      .selectFrom('credentials')
      .select(['id', 'identifier', 'verification'])
      .where('firmId', '=', firmId)
      .where('kind', '=', kind)
      .execute();
    const picked = rows.find(which);
    if (!picked) throw new Error(`no such ${kind} credential of firm ${firmId}`);
    return picked;
  }

  /** The catalog's view of one firm, matched alone: eligible for SOC 2 or not. */
  async function eligibleAlone(id: string): Promise<boolean> {
    const firms = (await ctx.catalog.firms()).filter((f) => f.id === id);
    const result = match(firms, toMatchScope(SOC2_SCOPE, firms), {
      today: day(clock.now()),
      rotation: 0,
    });
    return result.proposals.some((p) => p.firmId === id);
  }

  beforeAll(async () => {
    ctx = await seededContext(t(), clock);
    const [first] = (await previewMatch(ctx, SOC2_SCOPE)).proposals;
    firmId = first!.firmId;
  });

  it('drops a firm whose peer review expired from matching for SOC 2', async () => {
    expect(await offered()).toContain(firmId);
    expect(await eligibleAlone(firmId)).toBe(true);
    const yesterday = day(new Date(clock.now().getTime() - DAY_MS));
    await ctx.db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('credentials')
        .set({ validTo: yesterday })
        .where('firmId', '=', firmId)
        .where('kind', '=', 'aicpa-peer-review')
        .execute();
      await bumpCatalogVersion(trx);
    });
    ctx.catalog.invalidate();
    expect(await eligibleAlone(firmId)).toBe(false);
    expect(await offered()).not.toContain(firmId);
  });

  it('also drops it when the clock passes the end date, with no change to the data', async () => {
    const other = (await previewMatch(ctx, SOC2_SCOPE)).proposals[0]!.firmId;
    const firms = (await ctx.catalog.firms()).filter((f) => f.id === other);
    // The first of its SOC 2 credentials to end.
    const lastDay = firms[0]!.credentials
      .filter((c) => c.kind === 'cpa-licence' || c.kind === 'aicpa-peer-review')
      .map((c) => c.validTo!)
      .sort()[0]!;
    const dayAfter = day(new Date(Date.parse(`${lastDay}T00:00:00Z`) + DAY_MS));
    const longBefore = day(new Date(Date.parse(`${lastDay}T00:00:00Z`) - 300 * DAY_MS));
    const proposed = (today: string, neededBy: string) =>
      match(firms, toMatchScope(scopeWith({ neededBy }), firms), {
        today,
        rotation: 0,
      }).proposals.map((p) => p.firmId);
    // A report due on the credential's last day: qualified; a day later: not, the credential ends first.
    expect(proposed(longBefore, lastDay)).toContain(other);
    expect(proposed(longBefore, dayAfter)).not.toContain(other);
    // And once the day has passed, for any date.
    expect(proposed(lastDay, '2031-12-31')).not.toContain(other);
    expect(proposed(dayAfter, '2031-12-31')).toHaveLength(0);
  });

  it('keeps a pending credential out of matching until the operator verifies it, then adds the firm back at once', async () => {
    const id = await pendingCredential(ctx, firmId, {
      kind: 'aicpa-peer-review',
      issuer: 'AICPA',
      identifier: 'PR-RENEWED-1',
      scopeStandards: '[]',
      schemeStandards: '[]',
      validFrom: day(clock.now()),
      validTo: '2029-11-30',
      evidenceUrl: 'https://example.org/peer-review',
    });
    await ctx.db.kysely.transaction().execute((trx) => bumpCatalogVersion(trx));
    ctx.catalog.invalidate();
    expect(await eligibleAlone(firmId)).toBe(false);

    const { rows: queue } = await credentialQueue(ctx, 'pending');
    expect(queue[0]?.verification).toBe('pending');
    expect(queue.map((c) => c.id)).toContain(id);

    // No invalidate() here: the service refreshes the catalog itself.
    await decideCredential(ctx, { credentialId: id, decision: 'verify', note: '' }, ADMIN);
    expect(await eligibleAlone(firmId)).toBe(true);
    expect(await offered()).toContain(firmId);

    const row = await ctx.db.kysely
      .selectFrom('credentials')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.verification).toBe('verified');
    expect(row.verifiedBy).toBe(ADMIN);
    expect(row.verifiedAt).toBe(clock.now().toISOString());
    const [entry] = await auditEntries(ctx.db, 'credential.verified', id);
    expect(entry?.actorId).toBe(ADMIN);
  });

  it('removes the firm again when the credential is revoked, and asks for a reason', async () => {
    const current = await credentialOf(
      'aicpa-peer-review',
      (c) => c.verification === 'verified' && c.identifier === 'PR-RENEWED-1',
    );
    const noReason = CredentialDecisionSchema.safeParse({
      credentialId: current.id,
      decision: 'revoke',
      note: ' ',
    });
    expect(noReason.success).toBe(false);
    expect(noReason.error?.issues[0]?.path).toEqual(['note']);
    await decideCredential(
      ctx,
      CredentialDecisionSchema.parse({
        credentialId: current.id,
        decision: 'revoke',
        note: 'Peer review withdrawn by AICPA',
      }),
      ADMIN,
    );
    expect(await eligibleAlone(firmId)).toBe(false);
    const again = await refusal(
      decideCredential(ctx, { credentialId: current.id, decision: 'revoke', note: 'twice' }, ADMIN),
    );
    expect(again?.status).toBe(409);
    expect(await offered()).not.toContain(firmId);
  });

  it('refuses to verify a credential that has already ended, and to reject a verified one', async () => {
    const expired = await credentialOf('aicpa-peer-review', (c) => c.identifier !== 'PR-RENEWED-1');
    await ctx.db.kysely
      .updateTable('credentials')
      .set({ verification: 'rejected' })
      .where('id', '=', expired.id)
      .execute();
    const ended = await refusal(
      decideCredential(ctx, { credentialId: expired.id, decision: 'verify', note: '' }, ADMIN),
    );
    expect(ended?.status).toBe(409);
    expect(ended?.message).toMatch(/ended on/);
    const licence = await credentialOf('cpa-licence');
    expect(
      (
        await refusal(
          decideCredential(
            ctx,
            { credentialId: licence.id, decision: 'reject', note: 'nope' },
            ADMIN,
          ),
        )
      )?.status,
    ).toBe(409);
    expect(
      (
        await refusal(
          decideCredential(
            ctx,
            { credentialId: randomUUID(), decision: 'verify', note: '' },
            ADMIN,
          ),
        )
      )?.status,
    ).toBe(404);
  });
});

describeEachEngine('credential expiry reminders', (t) => {
  const clock = new TestClock('2026-11-30T09:00:00.000Z');
  let ctx: ServiceContext;
  let credentialId = '';
  let leadEmail = '';
  const validTo = '2026-12-20';

  const keysFor = async (id: string) =>
    (
      await ctx.db.kysely
        .selectFrom('outbox')
        .select('idempotencyKey')
        .where('idempotencyKey', 'like', `credential:${id}:%`)
        .execute()
    )
      .map((r) => r.idempotencyKey)
      .sort();

  beforeAll(async () => {
    ctx = await seededContext(t(), clock);
    const firm = await ctx.db.kysely
      .selectFrom('firms')
      .select(['id', 'leadEmail'])
      .where('status', '=', 'active')
      .where('leadEmail', 'is not', null)
      .orderBy('slug')
      .executeTakeFirstOrThrow();
    leadEmail = firm.leadEmail!;
    const credential = await ctx.db.kysely
      .selectFrom('credentials')
      .select('id')
      .where('firmId', '=', firm.id)
      .where('verification', '=', 'verified')
      .executeTakeFirstOrThrow();
    credentialId = credential.id;
    await ctx.db.kysely
      .updateTable('credentials')
      .set({ validTo })
      .where('id', '=', credentialId)
      .execute();
  });

  it('picks the nearest threshold reached', () => {
    expect(reminderThreshold(45)).toBeNull();
    expect(reminderThreshold(30)).toBe(30);
    expect(reminderThreshold(8)).toBe(30);
    expect(reminderThreshold(7)).toBe(7);
    expect(reminderThreshold(0)).toBe(7);
    expect(reminderThreshold(-1)).toBeNull();
  });

  it('emails the firm 30 days ahead, then 7 days ahead, once each', async () => {
    await queueCredentialReminders(ctx);
    expect(await keysFor(credentialId)).toEqual([reminderKey(credentialId, validTo, 30)]);
    const row = await ctx.db.kysely
      .selectFrom('outbox')
      .select('payload')
      .where('idempotencyKey', '=', reminderKey(credentialId, validTo, 30))
      .executeTakeFirstOrThrow();
    const mail = openEmail(ctx.secrets, row.payload);
    expect(mail.to).toBe(leadEmail);
    expect(mail.text).toContain(validTo);
    expect(mail.text).toContain('in 20 days');

    expect(await queueCredentialReminders(ctx)).toBe(0);
    clock.advance(10 * DAY_MS);
    await queueCredentialReminders(ctx);
    expect(await keysFor(credentialId)).toHaveLength(1);

    clock.advance(4 * DAY_MS); // 6 days left
    await queueCredentialReminders(ctx);
    expect(await keysFor(credentialId)).toEqual(
      [reminderKey(credentialId, validTo, 30), reminderKey(credentialId, validTo, 7)].sort(),
    );
    expect(await queueCredentialReminders(ctx)).toBe(0);
    const logged = await auditEntries(ctx.db, 'credential.expiry-reminder', credentialId);
    expect(logged).toHaveLength(2);
  });

  it('reminds a renewed credential again for its new end date, and never a pending or revoked one', async () => {
    await ctx.db.kysely
      .updateTable('credentials')
      .set({ validTo: '2027-01-10' })
      .where('id', '=', credentialId)
      .execute();
    clock.set('2026-12-20T09:00:00.000Z'); // 21 days left
    await queueCredentialReminders(ctx);
    expect(await keysFor(credentialId)).toContain(reminderKey(credentialId, '2027-01-10', 30));

    await ctx.db.kysely
      .updateTable('credentials')
      .set({ verification: 'revoked', validTo: '2027-01-11' })
      .where('id', '=', credentialId)
      .execute();
    await queueCredentialReminders(ctx);
    expect((await keysFor(credentialId)).some((k) => k.includes('2027-01-11'))).toBe(false);
  });
});

describeEachEngine('accreditation bodies at verification', (t) => {
  const clock = new TestClock('2026-11-30T09:00:00.000Z');
  let ctx: ServiceContext;
  beforeAll(async () => {
    ctx = await seededContext(t(), clock);
  });

  async function pendingAccreditation(issuer: string): Promise<{ id: string; firmId: string }> {
    const firm = await ctx.db.kysely
      .selectFrom('firms')
      .select('id')
      .where('firmType', '=', 'certification-body')
      .executeTakeFirstOrThrow();
    const id = await pendingCredential(ctx, firm.id, {
      kind: 'iso-accreditation',
      issuer,
      identifier: `ACC-${randomUUID().slice(0, 6)}`,
      scopeStandards: JSON.stringify(['ISO/IEC 42001']),
      schemeStandards: JSON.stringify(['ISO/IEC 17021-1', 'ISO/IEC 42006']),
      validFrom: '2025-01-01',
      validTo: '2029-12-31',
      evidenceUrl: 'https://example.org/accreditation',
    });
    return { id, firmId: firm.id };
  }

  it('refuses to verify an accreditation whose body was typed as free text, and says what to do', async () => {
    const { id } = await pendingAccreditation('Global Accreditation Council Ltd');
    const refused = await refusal(
      decideCredential(ctx, { credentialId: id, decision: 'verify', note: '' }, ADMIN),
    );
    expect(refused?.status).toBe(409);
    expect(refused?.message).toMatch(/not on the IAF MLA list/);
  });

  it('verifies an accreditation from "other", which is recorded but never qualifies the firm', async () => {
    const { id, firmId } = await pendingAccreditation('other');
    await decideCredential(ctx, { credentialId: id, decision: 'verify', note: '' }, ADMIN);
    const firm = (await ctx.catalog.firms()).find((f) => f.id === firmId)!;
    const other = { ...firm, credentials: firm.credentials.filter((c) => c.issuer === 'other') };
    expect(qualification(other, 'iso42001', '2026-11-30').problem).toMatch(
      /not an IAF MLA signatory/,
    );
  });
});

/** Every page of a cursor-paged list, the `between` step run after the first page is read. */
async function everyPage<T>(
  read: (cursor?: string) => Promise<{ rows: T[]; next: string | null }>,
  between: () => Promise<void> = async () => {},
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    pages.push(page.rows);
    if (pages.length === 1) await between();
    cursor = page.next ?? undefined;
  } while (cursor);
  return pages;
}

describeEachEngine('console lists paged by cursor', (t) => {
  it('pages the credential queue: pending first, oldest first, then by end date, each once, with inserts between pages', async () => {
    const clock = new TestClock('2026-11-30T09:00:00.000Z');
    const ctx = await seededContext(t(), clock);
    const [firm] = (await previewMatch(ctx, SOC2_SCOPE)).proposals;
    const credential = (i: number, validTo: string) => ({
      id: randomUUID(),
      firmId: firm!.firmId,
      kind: 'cpa-licence',
      issuer: 'NY',
      identifier: `LIC-${i}`,
      scopeStandards: '[]',
      schemeStandards: '[]',
      validFrom: '2026-01-01',
      validTo,
      verification: 'verified',
      evidenceUrl: null,
      evidenceFile: null,
      verifiedAt: clock.now().toISOString(),
      verifiedBy: ADMIN,
      note: null,
      createdAt: clock.now().toISOString(),
    });
    // Over two pages of verified credentials, many sharing an end date (the id breaks the tie),
    // stored before the one waiting.
    const verified = Array.from({ length: CREDENTIAL_PAGE_SIZE * 2 + 7 }, (_, i) =>
      credential(i, `2030-0${(i % 3) + 1}-01`),
    );
    // A revoked one ending soonest of all: it still comes after every verified one.
    const revoked = { ...credential(9000, '2026-12-31'), verification: 'revoked' };
    await ctx.db.kysely
      .insertInto('credentials')
      .values([...verified, revoked])
      .execute();
    clock.advance(60_000);
    const waiting = await pendingCredential(ctx, firm!.firmId, {
      kind: 'aicpa-peer-review',
      issuer: 'AICPA',
      identifier: 'PR-WAITING',
      scopeStandards: '[]',
      schemeStandards: '[]',
      validFrom: day(clock.now()),
      validTo: '2029-11-30',
      evidenceUrl: 'https://example.org/peer-review',
    });
    const stored = await ctx.db.kysely
      .selectFrom('credentials')
      .select(['id', 'verification', 'createdAt'])
      .execute();
    const pending = stored
      .filter((c) => c.verification === 'pending')
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    expect(pending.at(-1)?.id).toBe(waiting);

    // Stored while the operator pages: one that sorts after every page (read on a later page)
    // and one that sorts before the cursor (not read, and nothing shifts).
    const late = credential(9001, '2099-12-31');
    const early = credential(9002, '2000-01-01');
    const pages = await everyPage(
      (cursor) => credentialQueue(ctx, 'all', cursor),
      async () => {
        await ctx.db.kysely.insertInto('credentials').values([late, early]).execute();
      },
    );
    expect(pages[0]).toHaveLength(CREDENTIAL_PAGE_SIZE);
    const all = pages.flat();
    const ids = all.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Every credential stored before paging began, once, and the one that sorts last.
    expect([...ids].sort()).toEqual([...stored.map((c) => c.id), late.id].sort());
    // Every pending credential first, the longest waiting at the top, this one last of them.
    expect(ids.slice(0, pending.length)).toEqual(pending.map((p) => p.id));
    // Then the verified ones by end date, soonest first, then the rest the same way.
    const rest = all.slice(pending.length);
    const verifiedCount = rest.findIndex((c) => c.verification !== 'verified');
    expect(verifiedCount).toBeGreaterThan(CREDENTIAL_PAGE_SIZE);
    const groups = [rest.slice(0, verifiedCount), rest.slice(verifiedCount)];
    expect(groups[1]!.map((c) => c.id)).toContain(revoked.id);
    expect(groups[1]!.every((c) => c.verification !== 'verified')).toBe(true);
    for (const group of groups) {
      const ends = group.map((c) => c.validTo ?? '9999');
      expect(ends).toEqual([...ends].sort());
    }

    // A pending-only page, and refusals of a cursor this list did not give out.
    const first = await credentialQueue(ctx, 'pending');
    expect(first.rows.map((c) => c.id)).toEqual(pending.map((p) => p.id));
    expect(first.next).toBeNull();
    const firmsCursor = (await firmList(ctx, {})).next;
    for (const bad of ['abc', firmsCursor ?? 'x'])
      expect(await refusal(credentialQueue(ctx, 'all', bad))).toMatchObject({
        status: 400,
        field: 'cursor',
      });
  });

  it('pages the firm list: pending, then suspended, then active, by name, each once, with inserts between pages', async () => {
    const ctx = await seededContext(t(), new TestClock('2026-11-30T09:00:00.000Z'));
    const db = ctx.db.kysely;
    const model = await db.selectFrom('firms').selectAll().limit(1).executeTakeFirstOrThrow();
    const copy = (i: number, status: string, name = `Aaa Copy ${String(i).padStart(4, '0')}`) => ({
      ...model,
      id: randomUUID(),
      slug: `aaa-copy-${i}`,
      name,
      leadEmail: null,
      status,
    });
    // Two pages of active firms whose names sort first, two sharing one name, then one of each
    // waiting status whose names sort last.
    const active = Array.from({ length: FIRM_PAGE_SIZE * 2 }, (_, i) => copy(i, 'active'));
    active.push(copy(7000, 'active', 'Aaa Copy 0001'));
    await db.insertInto('firms').values(active).execute();
    const pending = copy(9998, 'pending', 'Zz Pending Audit');
    const suspended = copy(9999, 'suspended', 'Zz Suspended Audit');
    await db.insertInto('firms').values([pending, suspended]).execute();
    const stored = await db.selectFrom('firms').select(['id', 'status']).execute();

    const late = copy(9001, 'active', 'Zzz Joined While Paging');
    const pages = await everyPage(
      (cursor) => firmList(ctx, { cursor }).then((p) => ({ rows: p.firms, next: p.next })),
      async () => {
        await db.insertInto('firms').values(late).execute();
      },
    );
    expect(pages[0]).toHaveLength(FIRM_PAGE_SIZE);
    const all: FirmSummary[] = pages.flat();
    const ids = all.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...stored.map((f) => f.id), late.id].sort());
    const rank = { pending: 0, suspended: 1, active: 2 } as Record<string, number>;
    const ranks = all.map((f) => rank[f.status]!);
    expect(ranks).toEqual([...ranks].sort());
    expect(ids.indexOf(pending.id)).toBeLessThan(ids.indexOf(suspended.id));
    expect(ids.indexOf(suspended.id)).toBeLessThan(all.findIndex((f) => f.status === 'active'));
    expect(ids.at(-1)).toBe(late.id);

    // A filter pages the same way, and a cursor this list did not give out is refused.
    const activeOnly = (
      await everyPage((cursor) =>
        firmList(ctx, { status: 'active', cursor }).then((p) => ({ rows: p.firms, next: p.next })),
      )
    ).flat();
    expect(activeOnly.every((f) => f.status === 'active')).toBe(true);
    expect(activeOnly).toHaveLength(stored.filter((f) => f.status === 'active').length + 1);
    expect(await refusal(firmList(ctx, { cursor: 'abc' }))).toMatchObject({
      status: 400,
      field: 'cursor',
    });
  });
});
