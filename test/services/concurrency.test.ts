import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { bumpCatalogVersion } from '../../src/db/firms';
import { replacementCandidates, respondToBrief, sendBriefs } from '../../src/services/briefs';
import { type ServiceContext, ServiceError } from '../../src/services/context';
import { previewMatch } from '../../src/services/intake';
import type { ScopeInput } from '../../src/services/intake/schemas';
import { FirmRecord, type FirmRecordInput } from '../../src/services/firm-import/record';
import { firmProfile, toProfileRecord, updateProfile } from '../../src/services/firm/profile';
import { describeEachEngine } from '../helpers/databases';
import { firmActor } from '../helpers/users';
import {
  auditEntries,
  briefsOf,
  type ConfirmedRequest,
  confirmedRequest,
  requestEmails,
  resetCapacity,
  scopeWith,
  secondDb,
  seedDemo,
  serviceContext,
  TestClock,
} from '../helpers/requests';

/**
 * The "no spam" and "nothing sent twice" promises under racing calls. On PostgreSQL the two
 * service contexts have separate connection pools, like two app instances on one database,
 * so the calls really run as parallel transactions; on SQLite they are serialised by the
 * single writer and the same assertions must hold.
 */

/** A small seeded generator, so a failing interleaving can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Ready for audit: these races are about capacity, and ISO 42001 from scratch takes a year.
const ISO42001: ScopeInput = scopeWith({
  frameworks: [{ framework: 'iso42001' }],
  startingPoint: 'ready-for-audit',
});

/** Every failure must be a refusal the user can act on; anything else would be a 5xx. */
function unexpected(results: PromiseSettledResult<unknown>[]): unknown[] {
  return results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => r.reason)
    .filter((reason) => !(reason instanceof ServiceError));
}

describeEachEngine('racing calls keep the promises', (t) => {
  const clock = new TestClock();
  let a: ServiceContext;
  let b: ServiceContext;
  let other: Awaited<ReturnType<typeof secondDb>>;
  const exercised = { accepts: 0, declines: 0, limitRefusals: 0 };

  beforeAll(async () => {
    await seedDemo(t(), clock);
    other = await secondDb(t(), 20);
    a = serviceContext(t(), clock);
    b = serviceContext(t(), clock, other.db);
  });
  afterAll(async () => {
    await other?.close();
  });
  beforeEach(async () => {
    await resetCapacity(a);
    b.catalog.invalidate();
  });

  async function outboxFor(ctx: ServiceContext, requestId: string) {
    return (await requestEmails(ctx, requestId)).map((o) => ({ key: o.key, to: o.email?.to }));
  }

  async function leadEmail(firmId: string) {
    const row = await a.db.kysely
      .selectFrom('firms')
      .select('leadEmail')
      .where('id', '=', firmId)
      .executeTakeFirstOrThrow();
    return row.leadEmail;
  }

  it.each([20_261_130, 7, 4_242, 99])(
    '50 parallel choices, accepts and declines on one request (seed %i): never more than three firms, nothing twice',
    async (seed) => {
      // Each round starts with room in every firm's month, so accepts are possible at all.
      await resetCapacity(a);
      b.catalog.invalidate();
      const request = await confirmedRequest(a);
      const pool = [
        ...new Set([
          ...request.proposed,
          ...(await replacementCandidates(a, request.id, 10)).map((p) => p.firmId),
        ]),
      ];
      expect(pool.length).toBeGreaterThanOrEqual(6);
      const random = prng(seed);

      let done = false;
      let maxActive = 0;
      let samples = 0;
      const sampler = (async () => {
        while (!done) {
          const row = await a.db.kysely
            .selectFrom('briefs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('requestId', '=', request.id)
            .where('status', 'in', ['sent', 'accepted'])
            .executeTakeFirstOrThrow();
          maxActive = Math.max(maxActive, Number(row.n));
          samples++;
          await sleep(1);
        }
      })();

      type Outcome =
        | { kind: 'send'; sent: number }
        | { kind: 'accept' | 'decline'; briefId: string }
        | { kind: 'idle' };
      // A firm answers once its email has arrived: answers wait for the first brief sent (or for
      // every send to have settled), an event rather than a time, so a slow machine where sending
      // takes seconds still races answers against sends.
      let briefSent!: () => void;
      const firstBrief = new Promise<void>((resolve) => {
        briefSent = resolve;
      });
      let sendsLeft = 0;
      const calls = Array.from({ length: 50 }, (_, i) => {
        const ctx = i % 2 === 0 ? a : b;
        const roll = random();
        const delay = Math.floor(random() * 40);
        const size = 1 + Math.floor(random() * 3);
        const picks = Array.from({ length: size }, () => pool[Math.floor(random() * pool.length)]!);
        const which = random();
        if (roll < 0.4) sendsLeft++;
        return async (): Promise<Outcome> => {
          await sleep(delay);
          if (roll < 0.4) {
            try {
              const sent = await sendBriefs(ctx, request.id, picks);
              if (sent > 0) briefSent();
              return { kind: 'send', sent };
            } finally {
              if (--sendsLeft === 0) briefSent();
            }
          }
          await firstBrief;
          const all = await briefsOf(ctx, request.id);
          // Firms mostly answer briefs still waiting for them; some answer one twice.
          const waiting = all.filter((x) => x.status === 'sent');
          const briefs = waiting.length > 0 && which < 0.8 ? waiting : all;
          if (briefs.length === 0) return { kind: 'idle' };
          const brief = briefs[Math.floor(random() * briefs.length)]!;
          if (roll < 0.68) {
            await respondToBrief(ctx, brief.id, { action: 'accept' }, { kind: 'brief-link' });
            return { kind: 'accept', briefId: brief.id };
          }
          await respondToBrief(
            ctx,
            brief.id,
            { action: 'decline', reason: 'no-capacity' },
            { kind: 'brief-link' },
          );
          return { kind: 'decline', briefId: brief.id };
        };
      });
      const results = await Promise.allSettled(calls.map((call) => call()));
      done = true;
      await sampler;

      expect(unexpected(results)).toEqual([]);
      const ok = results
        .filter((r): r is PromiseFulfilledResult<Outcome> => r.status === 'fulfilled')
        .map((r) => r.value);
      const refused = results
        .filter((r) => r.status === 'rejected')
        .map((r) => (r as PromiseRejectedResult).reason as ServiceError);
      // The first choice to commit always goes through; the rest of the mix is counted below.
      expect(ok.filter((o) => o.kind === 'send' && o.sent > 0).length).toBeGreaterThanOrEqual(1);
      exercised.accepts += ok.filter((o) => o.kind === 'accept').length;
      exercised.declines += ok.filter((o) => o.kind === 'decline').length;
      exercised.limitRefusals += refused.filter(
        (e) => e.status === 409 && e.field === 'firms',
      ).length;
      expect(samples).toBeGreaterThanOrEqual(1);
      expect(maxActive).toBeLessThanOrEqual(3);

      const briefs = await briefsOf(a, request.id);
      const firmOf = new Map(briefs.map((x) => [x.id, x.firmId]));
      // At most one brief per firm, and only for firms the buyer chose.
      expect(new Set(briefs.map((x) => x.firmId)).size).toBe(briefs.length);
      for (const brief of briefs) expect(pool).toContain(brief.firmId);
      const chosen = await a.db.kysely
        .selectFrom('proposals')
        .select(['firmId', 'status'])
        .where('requestId', '=', request.id)
        .execute();
      for (const brief of briefs) {
        expect(chosen.filter((p) => p.firmId === brief.firmId).map((p) => p.status)).toEqual([
          'chosen',
        ]);
      }
      expect(
        briefs.filter((x) => x.status === 'sent' || x.status === 'accepted').length,
      ).toBeLessThanOrEqual(3);

      // Replay the request's history in commit order (every change holds the request's lock
      // while it writes its audit entry): the limit of three held after every step.
      const history = await a.db.kysely
        .selectFrom('auditLog')
        .select(['id', 'action', 'subjectId', 'detail'])
        .where((eb) =>
          eb.or([
            eb.and([eb('subjectId', '=', request.id), eb('action', '=', 'briefs.sent')]),
            ...(briefs.length
              ? [
                  eb(
                    'subjectId',
                    'in',
                    briefs.map((x) => x.id),
                  ),
                ]
              : []),
          ]),
        )
        .orderBy('id')
        .execute();
      const state = new Map<string, string>();
      let replayMax = 0;
      for (const entry of history) {
        if (entry.action === 'briefs.sent') {
          const { firms } = JSON.parse(entry.detail ?? '{}') as { firms: string[] };
          for (const f of firms) if (!state.has(f)) state.set(f, 'sent');
        } else if (entry.action === 'brief.declined') {
          state.set(firmOf.get(entry.subjectId!)!, 'declined');
        } else if (entry.action === 'brief.accepted') {
          expect(state.get(firmOf.get(entry.subjectId!)!)).toBe('sent');
          state.set(firmOf.get(entry.subjectId!)!, 'accepted');
        }
        replayMax = Math.max(
          replayMax,
          [...state.values()].filter((s) => s === 'sent' || s === 'accepted').length,
        );
      }
      expect(replayMax).toBeLessThanOrEqual(3);
      expect(Object.fromEntries(state)).toEqual(
        Object.fromEntries(briefs.map((x) => [x.firmId, x.status])),
      );

      // Accepting releases no contact (that waits for a booked call or the buyer's share); each
      // accepted brief gets its commitment email, to that firm only; each email queued once.
      const accepted = briefs.filter((x) => x.status === 'accepted');
      expect(history.filter((h) => h.action === 'contact.released')).toEqual([]);
      const outbox = await outboxFor(a, request.id);
      const keys = outbox.map((o) => o.key);
      expect(new Set(keys).size).toBe(keys.length);
      const acceptedMail = outbox.filter((o) => o.key.endsWith(':accepted'));
      expect(acceptedMail.map((o) => o.key.split(':')[3]).sort()).toEqual(
        accepted.map((x) => x.id).sort(),
      );
      for (const email of acceptedMail) {
        expect(email.to).toBe(await leadEmail(firmOf.get(email.key.split(':')[3]!)!));
      }
      expect(
        outbox
          .filter((o) => o.key.endsWith(':sent'))
          .map((o) => o.key.split(':')[3])
          .sort(),
      ).toEqual(briefs.map((x) => x.id).sort());
    },
  );

  it('the races above really mixed accepts, declines and refusals for the limit', () => {
    const seen = JSON.stringify(exercised);
    expect(exercised.accepts, seen).toBeGreaterThanOrEqual(1);
    expect(exercised.declines, seen).toBeGreaterThanOrEqual(1);
    expect(exercised.limitRefusals, seen).toBeGreaterThanOrEqual(1);
  });

  async function setCapacity(firmId: string, framework: string, used: number, capacity: number) {
    const month = clock.now().toISOString().slice(0, 7);
    await a.db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('firmServices')
        .set({ capacityUsed: used, monthlyCapacity: capacity, capacityMonth: month })
        .where('firmId', '=', firmId)
        .where('framework', '=', framework)
        .execute();
      await bumpCatalogVersion(trx);
    });
    a.catalog.invalidate();
    b.catalog.invalidate();
  }

  /** Accepts every brief at once from their email links, alternating between the two instances. */
  function acceptAtOnce(briefIds: string[]) {
    return Promise.allSettled(
      briefIds.map((id, i) =>
        respondToBrief(i % 2 ? b : a, id, { action: 'accept' }, { kind: 'brief-link' }),
      ),
    );
  }

  async function briefEach(requests: ConfirmedRequest[], firmId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, r] of requests.entries()) {
      expect(await sendBriefs(i % 2 ? b : a, r.id, [firmId])).toBe(1);
      const [brief] = await briefsOf(a, r.id);
      ids.push(brief!.id);
    }
    return ids;
  }

  it("12 requests racing for one firm's last capacity slot: exactly one accept wins", async () => {
    const requests: ConfirmedRequest[] = [];
    for (let i = 0; i < 12; i++)
      requests.push(await confirmedRequest(i % 2 ? b : a, { scope: ISO42001 }));
    const [target] = await replacementCandidates(a, requests[0]!.id, 10);
    const firmId = target!.firmId;
    await setCapacity(firmId, 'iso42001', 2, 3);
    const briefIds = await briefEach(requests, firmId);
    // Both instances hold the catalog with the firm's last slot free and propose it.
    for (const ctx of [a, b]) {
      ctx.catalog.invalidate();
      expect((await previewMatch(ctx, ISO42001)).proposals.map((p) => p.firmId)).toContain(firmId);
    }
    const versionBefore = b.catalog.version;
    const firmsBefore = await b.catalog.firms();

    const results = await acceptAtOnce(briefIds);
    expect(unexpected(results)).toEqual([]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refusals = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => r.reason as ServiceError);
    expect(refusals).toHaveLength(11);
    for (const e of refusals) expect(e.status).toBe(409);

    const service = await a.db.kysely
      .selectFrom('firmServices')
      .select(['capacityUsed', 'monthlyCapacity'])
      .where('firmId', '=', firmId)
      .where('framework', '=', 'iso42001')
      .executeTakeFirstOrThrow();
    expect(service.capacityUsed).toBe(3);
    expect(service.monthlyCapacity).toBe(3);

    const briefs = await a.db.kysely
      .selectFrom('briefs')
      .select(['id', 'status'])
      .where('id', 'in', briefIds)
      .execute();
    expect(briefs.filter((x) => x.status === 'accepted')).toHaveLength(1);
    expect(briefs.filter((x) => x.status === 'sent')).toHaveLength(11);
    const accepted = await auditEntries(a.db, 'brief.accepted', briefIds);
    expect(accepted).toHaveLength(1);
    const commitments = (await Promise.all(requests.map((r) => outboxFor(a, r.id))))
      .flat()
      .filter((o) => o.key.endsWith(':accepted'));
    expect(commitments).toHaveLength(1);
    expect(commitments[0]!.to).toBe(await leadEmail(firmId));

    // Full for the month: neither instance proposes the firm for new requests once it has
    // checked the shared state (at most every 2 s; `invalidate` stands for that time passing),
    // whichever of them took the slot. Capacity is live state: the catalog version did not move
    // and no other firm was loaded again (ADR 0019).
    for (const ctx of [a, b]) {
      ctx.catalog.invalidate();
      const preview = await previewMatch(ctx, ISO42001);
      expect(preview.proposals.map((p) => p.firmId)).not.toContain(firmId);
      expect(ctx.catalog.version).toBe(versionBefore);
    }
    const firmsAfter = await b.catalog.firms();
    for (const [i, firm] of firmsAfter.entries()) {
      if (firm.id === firmId) {
        const service = firm.services.find((s) => s.framework === 'iso42001');
        expect(service?.capacityUsed).toBe(3);
      } else expect(firm).toBe(firmsBefore[i]);
    }
  });

  it('accepts racing on one firm for scopes listing frameworks in opposite orders all go through', async () => {
    const forward = scopeWith({
      frameworks: [{ framework: 'soc2', variant: 'type2' }, { framework: 'iso42001' }],
      startingPoint: 'ready-for-audit',
    });
    const backward = scopeWith({
      frameworks: [{ framework: 'iso42001' }, { framework: 'soc2', variant: 'type2' }],
      startingPoint: 'ready-for-audit',
    });
    const requests: ConfirmedRequest[] = [];
    for (let i = 0; i < 10; i++)
      requests.push(await confirmedRequest(i % 2 ? b : a, { scope: i % 2 ? backward : forward }));
    const [target] = await replacementCandidates(a, requests[0]!.id, 10);
    const firmId = target!.firmId;
    await setCapacity(firmId, 'soc2', 0, 50);
    await setCapacity(firmId, 'iso42001', 0, 50);
    const briefIds = await briefEach(requests, firmId);

    const results = await acceptAtOnce(briefIds);
    expect(unexpected(results)).toEqual([]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const services = await a.db.kysely
      .selectFrom('firmServices')
      .select(['framework', 'capacityUsed'])
      .where('firmId', '=', firmId)
      .where('framework', 'in', ['soc2', 'iso42001'])
      .execute();
    expect(services.map((s) => s.capacityUsed)).toEqual([10, 10]);
  });

  it('a firm pausing a service is live state: the other instance drops it without reloading the catalog', async () => {
    const ISO = ISO42001;
    const [proposed] = (await previewMatch(a, ISO)).proposals;
    const firmId = proposed!.firmId;
    const owner = firmActor(firmId);
    const record = async (change: (r: FirmRecordInput) => FirmRecordInput) =>
      FirmRecord.parse(change(toProfileRecord(await firmProfile(a, firmId))));
    for (const ctx of [a, b]) ctx.catalog.invalidate();
    expect((await previewMatch(b, ISO)).proposals.map((p) => p.firmId)).toContain(firmId);
    const versionBefore = b.catalog.version;
    const firmsBefore = await b.catalog.firms();

    await updateProfile(
      a,
      owner,
      await record((r) => ({
        ...r,
        services: r.services.map((s) => (s.framework === 'iso42001' ? { ...s, paused: true } : s)),
      })),
    );
    // Within its next look at the shared state (`invalidate` stands for the 2 s passing).
    b.catalog.invalidate();
    expect((await previewMatch(b, ISO)).proposals.map((p) => p.firmId)).not.toContain(firmId);
    expect(b.catalog.version).toBe(versionBefore);
    const firmsAfter = await b.catalog.firms();
    for (const [i, firm] of firmsAfter.entries()) {
      if (firm.id === firmId)
        expect(firm.services.find((s) => s.framework === 'iso42001')?.paused).toBe(true);
      else expect(firm).toBe(firmsBefore[i]);
    }

    // Resuming is live state too; a new description moves the catalog version.
    await updateProfile(
      a,
      owner,
      await record((r) => ({
        ...r,
        services: r.services.map((s) => ({ ...s, paused: false })),
      })),
    );
    b.catalog.invalidate();
    expect((await previewMatch(b, ISO)).proposals.map((p) => p.firmId)).toContain(firmId);
    expect(b.catalog.version).toBe(versionBefore);
    await updateProfile(
      a,
      owner,
      await record((r) => ({ ...r, description: `${r.description} Now also in Lisbon.` })),
    );
    b.catalog.invalidate();
    await b.catalog.firms();
    expect(b.catalog.version).toBeGreaterThan(versionBefore);
  });
});
