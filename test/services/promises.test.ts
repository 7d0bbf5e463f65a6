import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { openEmail } from '../../src/outbox/email';
import {
  expireBriefs,
  replacementCandidates,
  respondToBrief,
  sendBriefs,
} from '../../src/services/briefs';
import {
  buyerView,
  eraseRequestData,
  purgeExpired,
  withdrawRequest,
} from '../../src/services/buyer';
import type { ServiceContext } from '../../src/services/context';
import { CONFIRM_LINK_HOURS, confirmRequest, previewMatch } from '../../src/services/intake';
import { type ScopeInput, ScopeSchema } from '../../src/services/intake/schemas';
import { MAX_FIRMS_PER_BUYER as MAX_ACTIVE_FIRMS } from '../../src/domain/lifecycle/states';
import { AI_EXPOSURES, COMPANY_STAGES } from '../../src/domain/vocabulary';
import { describeEachEngine } from '../helpers/databases';
import { eventLoopTurn } from '../helpers/engines';
import { neededByAfter } from '../helpers/dates';
import {
  auditEntries,
  briefsOf,
  confirmationToken,
  DAY_MS,
  refusal,
  requestEmails,
  resetCapacity,
  seededContext,
  submit,
  TestClock,
} from '../helpers/requests';

/**
 * The "no spam" and "no contact before consent" promises as properties: fast-check plays
 * sequences of buyer and firm actions against the real services and database, with the demo
 * firms, and the promises are checked after every step — from the database and the outbox,
 * not from what the services say about themselves.
 */

const RUNS = 30;
const START = '2026-11-30T09:00:00.000Z';

const FRAMEWORK_SETS = [
  [{ framework: 'soc2', variant: 'type2' }],
  [{ framework: 'soc2', variant: 'type1' }],
  [{ framework: 'iso27001' }],
  [{ framework: 'iso42001' }],
  [{ framework: 'soc2', variant: 'type2' }, { framework: 'iso42001' }],
];

const scopeArb: fc.Arbitrary<ScopeInput> = fc
  .record({
    frameworks: fc.constantFrom(...FRAMEWORK_SETS),
    region: fc.constantFrom('north-america', 'europe', 'uk-ireland', 'latin-america'),
    stage: fc.constantFrom(...COMPANY_STAGES),
    headcount: fc.integer({ min: 5, max: 400 }),
    industry: fc.constantFrom('saas', 'fintech', 'ai-ml'),
    aiExposure: fc.constantFrom(...AI_EXPOSURES),
  })
  .map((s) => ScopeSchema.parse({ ...s, neededBy: neededByAfter(START) }));

type Action =
  | { kind: 'choose'; picks: number[] }
  | { kind: 'accept' | 'decline'; brief: number }
  | { kind: 'expire' }
  | { kind: 'withdraw' }
  | { kind: 'delete' };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 7,
    arbitrary: fc.record({
      kind: fc.constant('choose' as const),
      picks: fc.uniqueArray(fc.nat(9), { minLength: 1, maxLength: 4 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('accept' as const), brief: fc.nat(5) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('decline' as const), brief: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'expire' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'withdraw' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'delete' as const }) },
);

/** What the test itself remembers about the request, independently of the services. */
interface Model {
  id: string;
  email: string;
  /** Firms the buyer chose in a choice that went through. */
  chosen: Set<string>;
  closed: null | { as: 'withdrawn' | 'deleted'; briefs: number };
  deleted: boolean;
}

describeEachEngine('the promises hold for any sequence of buyer and firm actions', (t) => {
  const clock = new TestClock(START);
  let ctx: ServiceContext;
  let leadEmails: Map<string, string>;

  beforeAll(async () => {
    ctx = await seededContext(t(), clock);
    const firms = await ctx.db.kysely.selectFrom('firms').select(['id', 'leadEmail']).execute();
    leadEmails = new Map(firms.map((f) => [f.id, f.leadEmail ?? '']));
  });

  const outboxOf = (requestId: string) => requestEmails(ctx, requestId);
  const proposalIds = (requestId: string) =>
    ctx.db.kysely.selectFrom('proposals').select('id').where('requestId', '=', requestId).execute();

  /** The outbox messages, anywhere in the table, whose payload mentions the address. */
  async function outboxMentions(address: string): Promise<string[]> {
    const rows = await ctx.db.kysely
      .selectFrom('outbox')
      .select(['idempotencyKey', 'channel', 'payload'])
      .execute();
    const text = (r: (typeof rows)[number]) =>
      r.channel === 'email' ? JSON.stringify(openEmail(ctx.secrets, r.payload)) : r.payload;
    return rows.filter((r) => r.payload && text(r).includes(address)).map((r) => r.idempotencyKey);
  }

  async function checkPromises(model: Model) {
    const briefs = await briefsOf(ctx, model.id);
    const active = briefs.filter((b) => b.status === 'sent' || b.status === 'accepted');
    const accepted = briefs.filter((b) => b.status === 'accepted');
    // At most three firms hold, or may soon hold, the contact; one brief per firm.
    expect(active.length).toBeLessThanOrEqual(MAX_ACTIVE_FIRMS);
    expect(new Set(briefs.map((b) => b.firmId)).size).toBe(briefs.length);
    // Only firms the buyer chose ever got a brief.
    for (const b of briefs) expect(model.chosen.has(b.firmId)).toBe(true);
    const proposals = await ctx.db.kysely
      .selectFrom('proposals')
      .select(['firmId', 'status'])
      .where('requestId', '=', model.id)
      .execute();
    for (const b of briefs)
      expect(proposals.find((p) => p.firmId === b.firmId)?.status).toBe('chosen');
    // Contact released exactly once to each firm that accepted, and to no other.
    const released = await auditEntries(
      ctx.db,
      'contact.released',
      briefs.map((b) => b.id),
    );
    // A brief that got the contact was accepted; it may since have been withdrawn (the buyer
    // stopped it), never declined or expired.
    const holders = briefs.filter((b) => b.contactReleasedAt !== null);
    // Accepting commits a firm to quote; the details go only with a booking or the buyer's share,
    // neither of which these sequences do: no firm ever holds them here.
    expect(holders).toEqual([]);
    expect(released.map((r) => r.subjectId).sort()).toEqual(holders.map((b) => b.id).sort());

    const outbox = await outboxOf(model.id);
    const briefById = new Map(briefs.map((b) => [b.id, b]));
    for (const { key, email } of outbox) {
      const [, , part, briefId, what] = key.split(':');
      if (!email) continue;
      if (part !== 'brief') {
        // Request-level mail (confirm, private page) goes to the buyer only.
        expect(email.to).toBe(model.email);
        continue;
      }
      const brief = briefById.get(briefId!);
      expect(brief).toBeDefined();
      const toFirm = email.to === leadEmails.get(brief!.firmId);
      const carriesContact = JSON.stringify(email).includes(model.email);
      // No firm-bound mail carries the buyer's contact without a booking or a share.
      if (toFirm) expect(carriesContact, `${what} to a firm`).toBe(false);
      if (!toFirm) expect(email.to).toBe(model.email);
    }
    // Each accepted brief got its commitment email, once.
    const commitments = outbox
      .filter((o) => o.key.endsWith(':accepted'))
      .map((o) => o.key.split(':')[3]);
    if (!model.deleted) for (const b of accepted) expect(commitments).toContain(b.id);

    if (model.closed) {
      // Withdrawn or deleted: no new firm is ever briefed.
      expect(briefs.length).toBe(model.closed.briefs);
      expect(active.filter((b) => b.status === 'sent')).toHaveLength(0);
    }
  }

  async function step(model: Model, action: Action) {
    const request = await ctx.db.kysely
      .selectFrom('quoteRequests')
      .selectAll()
      .where('id', '=', model.id)
      .executeTakeFirstOrThrow();
    const open = ['confirmed', 'active'].includes(request.status);
    expect(open).toBe(model.closed === null);
    // The request's count of proposals within the promised three (read by the overview pages)
    // is the proposals' own, whatever was added since confirmation.
    const withinThree = await ctx.db.kysely
      .selectFrom('proposals')
      .select('id')
      .where('requestId', '=', model.id)
      .where('rank', '<=', 3)
      .execute();
    expect(request.proposedTop).toBe(withinThree.length);
    const before = await briefsOf(ctx, model.id);
    const activeBefore = before.filter(
      (b) => b.status === 'sent' || b.status === 'accepted',
    ).length;

    switch (action.kind) {
      case 'choose': {
        // The buyer picks among what its private page offers (or, once closed, what it offered before).
        const view = await buyerView(ctx, model.id);
        const offered = [
          ...new Set([
            ...view.proposals.filter((p) => p.status === 'proposed').map((p) => p.firmId),
            ...view.replacements.map((r) => r.firmId),
          ]),
        ];
        // With nothing on offer the buyer may still post firms by hand: the next best fits
        // while open, any listed firm once closed. The limit must hold for those too.
        const byHand = open
          ? (await replacementCandidates(ctx, model.id, 10)).map((p) => p.firmId)
          : [...leadEmails.keys()].filter((id) => !before.some((b) => b.firmId === id));
        const list = offered.length > 0 ? offered : byHand;
        if (list.length === 0) return;
        const picks = [...new Set(action.picks.map((i) => list[i % list.length]!))];
        const refused = await refusal(sendBriefs(ctx, model.id, picks));
        if (!open) {
          expect(refused?.status).toBe(409);
        } else if (activeBefore + picks.length > MAX_ACTIVE_FIRMS) {
          expect(refused).toMatchObject({ status: 409, field: 'firms' });
        } else {
          expect(refused).toBeNull();
          for (const f of picks) model.chosen.add(f);
          const after = await briefsOf(ctx, model.id);
          expect(after.length).toBe(before.length + picks.length);
        }
        return;
      }
      case 'accept':
      case 'decline': {
        if (before.length === 0) return;
        const sorted = [...before].sort((a, b) => a.id.localeCompare(b.id));
        const brief = sorted[action.brief % sorted.length]!;
        const answer =
          action.kind === 'accept'
            ? ({ action: 'accept' } as const)
            : ({ action: 'decline', reason: 'no-capacity' } as const);
        const refused = await refusal(
          respondToBrief(ctx, brief.id, answer, { kind: 'brief-link' }),
        );
        const answerable =
          open && brief.status === 'sent' && brief.respondBy >= clock.now().toISOString();
        if (answerable) {
          expect(refused).toBeNull();
          const [now] = (await briefsOf(ctx, model.id)).filter((b) => b.id === brief.id);
          expect(now?.status).toBe(action.kind === 'accept' ? 'accepted' : 'declined');
        } else {
          expect([409, 410]).toContain(refused?.status);
          const [now] = (await briefsOf(ctx, model.id)).filter((b) => b.id === brief.id);
          expect(now?.status).toBe(brief.status);
        }
        return;
      }
      case 'expire': {
        clock.advance(5 * DAY_MS);
        await expireBriefs(ctx);
        const after = await briefsOf(ctx, model.id);
        for (const b of after)
          expect(b.status === 'sent' && b.respondBy < clock.now().toISOString()).toBe(false);
        const newlyExpired = after.filter(
          (b) => b.status === 'expired' && before.find((x) => x.id === b.id)?.status === 'sent',
        );
        const outbox = await outboxOf(model.id);
        for (const b of newlyExpired) {
          // The buyer hears that the firm let the window pass; the firm never got the contact.
          expect(
            outbox.some(
              (o) =>
                o.key === `req:${model.id}:brief:${b.id}:expired` && o.email?.to === model.email,
            ),
          ).toBe(open);
        }
        return;
      }
      case 'withdraw': {
        const refused = await refusal(withdrawRequest(ctx, model.id));
        if (!open) {
          expect(refused?.status).toBe(409);
          return;
        }
        expect(refused).toBeNull();
        model.closed = { as: 'withdrawn', briefs: before.length };
        const outbox = await outboxOf(model.id);
        for (const b of before.filter((x) => x.status === 'sent' || x.status === 'accepted')) {
          const notice = outbox.find((o) => o.key === `req:${model.id}:brief:${b.id}:withdrawn`);
          expect(notice?.email?.to).toBe(leadEmails.get(b.firmId));
          expect(JSON.stringify(notice?.email)).not.toContain(model.email);
        }
        return;
      }
      case 'delete': {
        await eraseRequestData(ctx, model.id, 'buyer');
        model.deleted = true;
        model.closed ??= { as: 'deleted', briefs: before.length };
        const erased = await ctx.db.kysely
          .selectFrom('quoteRequests')
          .selectAll()
          .where('id', '=', model.id)
          .executeTakeFirstOrThrow();
        expect(erased).toMatchObject({
          contactEmailEnc: null,
          contactNameEnc: null,
          companyEnc: null,
          phoneEnc: null,
          emailHash: null,
        });
        expect(await outboxMentions(model.email)).toEqual([]);
        return;
      }
    }
  }

  it('≤ 3 firms hold the contact, only chosen and accepting ones get it, nothing after withdraw or delete', async () => {
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(
        scopeArb,
        fc.array(actionArb, { minLength: 1, maxLength: 11 }),
        async (scope, actions) => {
          await eventLoopTurn();
          clock.set(START);
          await resetCapacity(ctx);
          const submitted = await submit(ctx, { scope });
          // Before the buyer confirms: one email, to the buyer; nothing matched out, nothing to any firm.
          expect((await outboxOf(submitted.id)).map((o) => o.key)).toEqual([
            `req:${submitted.id}:confirm`,
          ]);
          expect(
            await refusal(sendBriefs(ctx, submitted.id, [...leadEmails.keys()].slice(0, 1))),
          ).toMatchObject({ status: 409 });
          expect(await proposalIds(submitted.id)).toEqual([]);
          await confirmRequest(ctx, await confirmationToken(ctx, submitted.id));

          const model: Model = {
            id: submitted.id,
            email: submitted.email,
            chosen: new Set(),
            closed: null,
            deleted: false,
          };
          await checkPromises(model);
          for (const action of actions) {
            await step(model, action);
            await checkPromises(model);
            steps++;
          }
          if (model.deleted) expect(await outboxMentions(model.email)).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
    expect(steps).toBeGreaterThanOrEqual(RUNS);
  });

  it('a request never confirmed reaches no firm: no proposals, no briefs, only its confirmation email', async () => {
    const firmIds = [...leadEmails.keys()];
    await fc.assert(
      fc.asyncProperty(
        scopeArb,
        fc.uniqueArray(fc.nat(firmIds.length - 1), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (scope, picks, withdraw) => {
          await eventLoopTurn();
          clock.set(START);
          const request = await submit(ctx, { scope });
          await previewMatch(ctx, scope);
          const chosen = picks.map((i) => firmIds[i]!);
          expect(await refusal(sendBriefs(ctx, request.id, chosen))).toMatchObject({ status: 409 });
          if (withdraw) expect(await refusal(withdrawRequest(ctx, request.id))).toBeNull();
          expect((await outboxOf(request.id)).map((o) => o.key)).toEqual([
            `req:${request.id}:confirm`,
          ]);
          // The link lapses: the link no longer confirms anything, an unconfirmed contact is purged.
          const token = await confirmationToken(ctx, request.id);
          clock.advance(CONFIRM_LINK_HOURS * 3_600_000 + 60_000);
          await purgeExpired(ctx);
          const late = await refusal(confirmRequest(ctx, token));
          expect([404, 410]).toContain(late?.status);
          expect(await refusal(sendBriefs(ctx, request.id, chosen))).toMatchObject({ status: 409 });

          expect(await proposalIds(request.id)).toEqual([]);
          expect(await briefsOf(ctx, request.id)).toEqual([]);
          const outbox = await outboxOf(request.id);
          for (const o of outbox) expect(o.key).toBe(`req:${request.id}:confirm`);
          const leads = new Set(leadEmails.values());
          for (const o of outbox) expect(leads.has(o.email?.to ?? '')).toBe(false);
          const stored = await ctx.db.kysely
            .selectFrom('quoteRequests')
            .selectAll()
            .where('id', '=', request.id)
            .executeTakeFirstOrThrow();
          expect(stored.confirmedAt).toBeNull();
          if (!withdraw) {
            expect(stored.contactEmailEnc).toBeNull();
            expect(await outboxMentions(request.email)).toEqual([]);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
