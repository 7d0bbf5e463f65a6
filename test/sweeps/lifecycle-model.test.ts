import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import accreditationBodies from '../../src/data/accreditation-bodies.json' with { type: 'json' };
import { bumpCatalogVersion } from '../../src/db/firms';
import type { BriefStatus } from '../../src/domain/lifecycle/states';
import { decideCredential } from '../../src/services/admin/credentials';
import { changeFirmStatus } from '../../src/services/admin/firms';
import type { SessionUser } from '../../src/services/auth';
import {
  expireBriefs,
  replacementCandidates,
  respondToBrief,
  sendBriefs,
  withdrawLostBriefs,
} from '../../src/services/briefs';
import {
  buyerView,
  eraseRequestData,
  shareDetails,
  withdrawRequest,
} from '../../src/services/buyer';
import type { ServiceContext } from '../../src/services/context';
import { ServiceError } from '../../src/services/context';
import { leadDetail, leadsForApiKey } from '../../src/services/firm/leads';
import { chooseQuote, submitQuote } from '../../src/services/firm/quotes';
import {
  bookCall,
  cancelCall,
  pickOfferedTime,
  rescheduleCall,
  slotsFor,
} from '../../src/services/calls';
import { confirmRequest, submitRequest } from '../../src/services/intake';
import { answerFirm, askBuyer, holdsContactDetails } from '../../src/services/messages';
import { type ScopeInput, ScopeSchema } from '../../src/services/intake/schemas';
import { describeEachEngine } from '../helpers/databases';
import { eventLoopTurn } from '../helpers/engines';
import { neededByAfter } from '../helpers/dates';
import {
  confirmationToken,
  DAY_MS,
  quoteRequest,
  seededContext,
  TestClock,
} from '../helpers/requests';
import { firmActor } from '../helpers/users';

/**
 * The buyer's promises as a model-based test: fast-check plays random sequences of what
 * buyers, firms and the operator do — submit (and resubmit the same form), confirm (and meet a
 * duplicate), choose, accept and decline through each door, ask and answer, quote, share details,
 * book a call (a published slot or offered times), pick, move and cancel it, expire, suspend and
 * reinstate, revoke or let a credential lapse, pause, fill capacity, withdraw part or all,
 * delete, and the same actions twice at once — against the real services and database, and
 * after every step checks the promises from the database, the outbox and the audit log, with
 * an oracle of its own for "may this firm hold the buyer" (so the implementation cannot vouch
 * for itself).
 *
 * A failure prints fast-check's seed and path; replay with MODEL_SEED=<seed> MODEL_PATH=<path>.
 */

/** 120 on SQLite and 80 on PostgreSQL: at least 200 sequences in every run of the suite. */
const RUNS: Record<string, number> = { sqlite: 120, postgres: 80 };
const runsOn = (dialect: string) => Number(process.env.MODEL_RUNS ?? RUNS[dialect] ?? 100);
const START = '2026-11-30T09:00:00.000Z';
const ADMIN = '00000000-0000-4000-8000-00000000a0a0';
const MLA = new Set(accreditationBodies.bodies.map((b) => b.id));

const SCOPES: ScopeInput[] = [
  { frameworks: [{ framework: 'soc2', variant: 'type2' }], region: 'north-america' },
  { frameworks: [{ framework: 'soc2', variant: 'type1' }], region: 'north-america' },
  { frameworks: [{ framework: 'iso42001' }], region: 'europe' },
  {
    frameworks: [{ framework: 'soc2', variant: 'type2' }, { framework: 'iso42001' }],
    region: 'north-america',
  },
].map((s) =>
  ScopeSchema.parse({
    ...s,
    stage: 'series-a',
    headcount: 60,
    industry: 'saas',
    neededBy: neededByAfter(START),
    aiExposure: 'uses-ai',
    startingPoint: 'ready-for-audit',
  }),
);

/** The moves a brief may make, restated here rather than read from the implementation. */
const ALLOWED_MOVES = new Set([
  'sent>accepted',
  'sent>declined',
  'sent>expired',
  'sent>withdrawn',
  'accepted>withdrawn',
]);

interface ModelRequest {
  id: string;
  buyer: number;
  scope: number;
  formKey: string;
}

interface Model {
  buyers: string[];
  requests: ModelRequest[];
  /** Brief statuses as last seen, to check every change is an allowed move. */
  briefs: Map<string, string>;
  /** Firm ids of the demo catalog, in a fixed order. */
  firms: string[];
  /** Refusals seen, each with the words a person reads. */
  refusals: number;
}

interface Real {
  ctx: ServiceContext;
  clock: TestClock;
  /** Firms whose status, services or credentials a command changed: restored before the next sequence. */
  touched: Set<string>;
}

/** A service call's outcome: done, or refused with a reason. Anything else fails the test. */
async function attempt<T>(
  call: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: ServiceError }> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    if (error instanceof ServiceError) {
      expect(error.message.length, 'a refusal says why').toBeGreaterThan(10);
      return { ok: false, error };
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The oracle: may this firm hold this buyer's brief now? Restated from the rules, from the rows.

type FirmRows = Awaited<ReturnType<typeof firmRows>>;

async function firmRows(ctx: ServiceContext) {
  const db = ctx.db.kysely;
  const [firms, services, credentials] = await Promise.all([
    db.selectFrom('firms').select(['id', 'status', 'name']).execute(),
    db.selectFrom('firmServices').selectAll().execute(),
    db.selectFrom('credentials').selectAll().execute(),
  ]);
  return { firms, services, credentials };
}

function qualifiedFor(
  rows: FirmRows,
  firmId: string,
  framework: string,
  today: string,
  through: string,
): boolean {
  const held = rows.credentials.filter(
    (c) =>
      c.firmId === firmId &&
      c.verification === 'verified' &&
      c.validFrom <= today &&
      (c.validTo === null || c.validTo >= (through > today ? through : today)),
  );
  if (framework === 'soc2')
    return (
      held.some((c) => c.kind === 'cpa-licence') && held.some((c) => c.kind === 'aicpa-peer-review')
    );
  return held.some(
    (c) =>
      c.kind === 'iso-accreditation' &&
      MLA.has(c.issuer) &&
      c.scopeStandards.includes('42001') &&
      c.schemeStandards.includes('17021-1') &&
      c.schemeStandards.includes('42006'),
  );
}

/** Active and qualified for every framework: what reading contact and quoting need. */
function mayHold(rows: FirmRows, firmId: string, scope: ScopeInput, today: string): boolean {
  const firm = rows.firms.find((f) => f.id === firmId);
  return (
    firm?.status === 'active' &&
    scope.frameworks.every((f) => qualifiedFor(rows, firmId, f.framework, today, scope.neededBy))
  );
}

/** Also able to take new work: offers the variant, not paused, capacity left this month. */
function mayTakeOn(rows: FirmRows, firmId: string, scope: ScopeInput, today: string): boolean {
  if (!mayHold(rows, firmId, scope, today)) return false;
  return scope.frameworks.every((f) => {
    const s = rows.services.find((x) => x.firmId === firmId && x.framework === f.framework);
    if (!s) return false;
    if (f.variant && !(JSON.parse(s.variants) as string[]).includes(f.variant)) return false;
    if (s.paused === 1 && (s.pausedUntil === null || s.pausedUntil >= today)) return false;
    const used = s.capacityMonth === today.slice(0, 7) ? s.capacityUsed : 0;
    return used < s.monthlyCapacity;
  });
}

// ---------------------------------------------------------------------------------------------
// The promises, checked after every step.

async function checkPromises(model: Model, real: Real): Promise<void> {
  const { ctx, clock } = real;
  const db = ctx.db.kysely;
  const at = clock.now().toISOString();
  const today = at.slice(0, 10);
  const ids = model.requests.map((r) => r.id);
  if (ids.length === 0) return;
  const [requests, briefs, proposals, released, rows, calls, messages] = await Promise.all([
    db.selectFrom('quoteRequests').selectAll().where('id', 'in', ids).execute(),
    db.selectFrom('briefs').selectAll().where('requestId', 'in', ids).execute(),
    db
      .selectFrom('proposals')
      .select(['requestId', 'firmId', 'status', 'rank'])
      .where('requestId', 'in', ids)
      .execute(),
    db
      .selectFrom('auditLog')
      .select('subjectId')
      .where('action', '=', 'contact.released')
      .execute(),
    firmRows(ctx),
    db.selectFrom('calls').selectAll().where('requestId', 'in', ids).execute(),
    db.selectFrom('briefMessages').selectAll().where('requestId', 'in', ids).execute(),
  ]);
  const open = (r: (typeof requests)[number]) =>
    ['confirmed', 'active'].includes(r.status) && r.expiresAt >= at;
  const scopeOf = (requestId: string) =>
    SCOPES[model.requests.find((m) => m.id === requestId)!.scope]!;

  // The overview pages' count of proposals within the promised three, kept on the request as
  // proposals are added (shortfall replacements included), is the proposals' own count.
  for (const r of requests)
    expect(r.proposedTop, `request ${r.id}: proposals within the three`).toBe(
      proposals.filter((p) => p.requestId === r.id && Number(p.rank) <= 3).length,
    );

  // At most three firms hold a buyer at a time, across its open requests, and never one twice.
  for (let buyer = 0; buyer < model.buyers.length; buyer++) {
    const mine = requests.filter(
      (r) => open(r) && model.requests.find((m) => m.id === r.id)?.buyer === buyer,
    );
    const holding = briefs.filter(
      (b) =>
        mine.some((r) => r.id === b.requestId) && (b.status === 'sent' || b.status === 'accepted'),
    );
    expect(holding.length, `buyer ${buyer}: firms holding its contact`).toBeLessThanOrEqual(3);
    expect(
      new Set(holding.map((b) => b.firmId)).size,
      `buyer ${buyer}: a firm holds it twice`,
    ).toBe(holding.length);
    // One open request per need: no two open requests of a buyer share a framework.
    const frameworks = mine.flatMap((r) => scopeOf(r.id).frameworks.map((f) => f.framework));
    expect(new Set(frameworks).size, `buyer ${buyer}: two open requests for one need`).toBe(
      frameworks.length,
    );
  }

  for (const b of briefs) {
    // Only firms the buyer chose get a brief.
    expect(
      proposals.find((p) => p.requestId === b.requestId && p.firmId === b.firmId)?.status,
    ).toBe('chosen');
    // Every move of a brief is an allowed one.
    const before = model.briefs.get(b.id);
    if (before !== undefined && before !== b.status)
      expect(ALLOWED_MOVES.has(`${before}>${b.status}`), `${before} → ${b.status}`).toBe(true);
    if (before === undefined)
      expect(
        b.status === 'sent' ||
          b.status === 'withdrawn' ||
          b.status === 'accepted' ||
          b.status === 'declined' ||
          b.status === 'expired',
      ).toBe(true);
    model.briefs.set(b.id, b.status);
    // Contact went only to a firm that accepted, and every release is in the audit log.
    // Contact went only to a firm that accepted and that the buyer booked a call with or shared
    // its details with, and every release is in the audit log.
    if (b.contactReleasedAt !== null) {
      expect(['accepted', 'withdrawn', 'expired']).toContain(b.status);
      const booked = calls.some((c) => c.briefId === b.id && c.startsAt !== null);
      expect(
        booked || b.sharedAt !== null,
        `brief ${b.id} got the contact without a booking or a share`,
      ).toBe(true);
    }
    expect(released.some((a) => a.subjectId === b.id)).toBe(b.contactReleasedAt !== null);
    // A firm that can no longer hold a brief does not keep it on an open request.
    const request = requests.find((r) => r.id === b.requestId)!;
    if (open(request) && (b.status === 'sent' || b.status === 'accepted')) {
      expect(
        mayHold(rows, b.firmId, scopeOf(b.requestId), today),
        `firm ${b.firmId} still holds brief ${b.id}`,
      ).toBe(true);
    }
  }

  // Two calls of one buyer never overlap, nor two of one firm.
  const booked = calls.filter((c) => c.status === 'booked');
  const clash = (x: (typeof booked)[number], y: (typeof booked)[number]) =>
    x.startsAt! < y.endsAt! && y.startsAt! < x.endsAt!;
  for (const [i, x] of booked.entries()) {
    for (const y of booked.slice(i + 1)) {
      const sameBuyer =
        model.requests.find((m) => m.id === x.requestId)?.buyer ===
        model.requests.find((m) => m.id === y.requestId)?.buyer;
      if (sameBuyer || x.firmId === y.firmId)
        expect(clash(x, y), `calls ${x.id} and ${y.id} overlap`).toBe(false);
    }
  }
  // A live quote belongs to an accepted brief: a brief that ends withdraws its quote with it
  // (the workspace home counts unquoted leads as accepted briefs less live quotes).
  const liveQuotes = await db
    .selectFrom('quotes')
    .innerJoin('briefs', 'briefs.id', 'quotes.briefId')
    .select(['quotes.id', 'briefs.status'])
    .where('quotes.requestId', 'in', ids)
    .where('quotes.status', '!=', 'withdrawn')
    .execute();
  for (const q of liveQuotes) expect(q.status, `live quote ${q.id}`).toBe('accepted');
  // One live call per brief.
  const live = calls.filter((c) => c.status !== 'cancelled');
  expect(new Set(live.map((c) => c.briefId)).size).toBe(live.length);
  // No buyer message carries contact details to a firm that does not have them.
  for (const m of messages.filter((x) => x.author === 'buyer')) {
    const b = briefs.find((x) => x.id === m.briefId)!;
    if (b.contactReleasedAt === null || b.contactReleasedAt > m.createdAt)
      expect(holdsContactDetails(m.body), m.body).toBe(false);
  }

  // Through the contact doors (API and lead page): contact only while the firm may hold it.
  const accepted = briefs.filter(
    (b) => b.status === 'accepted' || b.status === 'withdrawn' || b.status === 'expired',
  );
  for (const firmId of new Set(accepted.map((b) => b.firmId))) {
    const { leads } = await leadsForApiKey(ctx, { id: 'model-key', firmId }, { limit: 200 });
    for (const lead of leads.filter((l) =>
      ids.includes(briefs.find((b) => b.id === l.id)?.requestId ?? ''),
    )) {
      const b = briefs.find((x) => x.id === lead.id)!;
      const request = requests.find((r) => r.id === b.requestId)!;
      const should =
        b.status === 'accepted' &&
        b.contactReleasedAt !== null &&
        open(request) &&
        request.contactEmailEnc !== null &&
        mayHold(rows, firmId, scopeOf(b.requestId), today);
      expect(lead.contact !== null, `contact of brief ${b.id} through the API`).toBe(should);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The commands.

type Cmd = fc.AsyncCommand<Model, Real>;

const always = () => true;

class Submit implements Cmd {
  constructor(
    readonly buyer: number,
    readonly scope: number,
    readonly resubmit: boolean,
  ) {}
  check = always;
  async run(model: Model, real: Real) {
    const email = model.buyers[this.buyer]!;
    const previous = this.resubmit
      ? model.requests.filter((r) => r.buyer === this.buyer).at(-1)
      : undefined;
    const formKey = previous?.formKey ?? `form-${model.requests.length}-${this.buyer}`;
    const scope = previous ? SCOPES[previous.scope]! : SCOPES[this.scope]!;
    const result = await attempt(submitRequest(real.ctx, quoteRequest(email, scope), formKey));
    if (!result.ok) return void model.refusals++;
    // The same form sent again is the same request.
    if (previous) expect(result.value.id).toBe(previous.id);
    if (!model.requests.some((r) => r.id === result.value.id)) {
      model.requests.push({
        id: result.value.id,
        buyer: this.buyer,
        scope: previous?.scope ?? this.scope,
        formKey,
      });
    }
  }
  toString = () =>
    `submit(buyer ${this.buyer}, scope ${this.scope}${this.resubmit ? ', same form again' : ''})`;
}

class Confirm implements Cmd {
  constructor(
    readonly request: number,
    readonly choice: 'none' | 'resend' | 'replace',
  ) {}
  check = (m: Readonly<Model>) => m.requests.length > 0;
  async run(model: Model, real: Real) {
    const r = model.requests[this.request % model.requests.length]!;
    const row = await real.ctx.db.kysely
      .selectFrom('quoteRequests')
      .select('status')
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    if (row.status !== 'unconfirmed') return;
    const token = await confirmationToken(real.ctx, r.id);
    const result = await attempt(
      confirmRequest(real.ctx, token, this.choice === 'none' ? undefined : this.choice),
    );
    if (!result.ok) return void model.refusals++;
  }
  toString = () => `confirm(request ${this.request}, ${this.choice})`;
}

class Choose implements Cmd {
  constructor(
    readonly request: number,
    readonly picks: number[],
  ) {}
  check = (m: Readonly<Model>) => m.requests.length > 0;
  async run(model: Model, real: Real) {
    const r = model.requests[this.request % model.requests.length]!;
    const status = await real.ctx.db.kysely
      .selectFrom('quoteRequests')
      .select('status')
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    // A buyer confirms before it can choose: do that first, as it would from its inbox.
    if (status.status === 'unconfirmed')
      await new Confirm(model.requests.indexOf(r), 'none').run(model, real);
    if (status.status === 'deleted') return;
    const view = await buyerView(real.ctx, r.id);
    // What the page offers, and now and then a firm it does not (posted by hand).
    const offered = [
      ...view.proposals.filter((p) => p.status === 'proposed').map((p) => p.firmId),
      ...view.replacements.map((p) => p.firmId),
    ];
    const byHand = (await replacementCandidates(real.ctx, r.id, 10)).map((p) => p.firmId);
    const list = [...new Set([...offered, ...byHand, model.firms[0]!])];
    const picks = [...new Set(this.picks.map((i) => list[i % list.length]!))];
    const before = await real.ctx.db.kysely
      .selectFrom('briefs')
      .select('firmId')
      .where('requestId', '=', r.id)
      .execute();
    const rows = await firmRows(real.ctx);
    const result = await attempt(sendBriefs(real.ctx, r.id, picks));
    if (!result.ok) return void model.refusals++;
    // Every firm that got the brief could take it on at that moment (the replacements too).
    const today = real.clock.now().toISOString().slice(0, 10);
    for (const firmId of picks) {
      expect(before.some((b) => b.firmId === firmId)).toBe(false);
      expect(mayTakeOn(rows, firmId, SCOPES[r.scope]!, today), `${firmId} was briefed`).toBe(true);
    }
  }
  toString = () => `choose(request ${this.request}, picks ${this.picks.join(',')})`;
}

type Door = 'workspace' | 'email-link' | 'api';

/** The sequence's n-th brief; with `acceptedFirst`, among the accepted ones when there are any. */
async function nthBrief(real: Real, model: Model, n: number, acceptedFirst = false) {
  const briefs = await real.ctx.db.kysely
    .selectFrom('briefs')
    .select(['id', 'firmId', 'requestId', 'status'])
    .where('requestId', 'in', model.requests.length ? model.requests.map((r) => r.id) : [''])
    .orderBy('sentAt')
    .orderBy('id')
    .execute();
  const accepted = briefs.filter((b) => b.status === 'accepted');
  const pool = acceptedFirst && accepted.length > 0 ? accepted : briefs;
  return pool.length ? pool[n % pool.length]! : null;
}

const firmUser = (firmId: string): SessionUser => firmActor(firmId, { email: 'team@firm.example' });

class Answer implements Cmd {
  constructor(
    readonly brief: number,
    readonly accept: boolean,
    readonly door: Door,
  ) {}
  check = always;
  async run(model: Model, real: Real) {
    const brief = await nthBrief(real, model, this.brief);
    if (!brief) return;
    const answer = this.accept
      ? ({ action: 'accept' } as const)
      : ({ action: 'decline', reason: 'no-capacity' } as const);
    const by =
      this.door === 'workspace'
        ? ({ kind: 'firm-user', id: `user-of-${brief.firmId}`, firmId: brief.firmId } as const)
        : this.door === 'api'
          ? ({ kind: 'api-key', id: 'model-key', firmId: brief.firmId } as const)
          : ({ kind: 'brief-link' } as const);
    const rows = await firmRows(real.ctx);
    const result = await attempt(respondToBrief(real.ctx, brief.id, answer, by));
    if (!result.ok) return void model.refusals++;
    if (this.accept) {
      // An accept went through only for a firm that could take the brief on.
      const r = model.requests.find((m) => m.id === brief.requestId)!;
      expect(
        mayTakeOn(
          rows,
          brief.firmId,
          SCOPES[r.scope]!,
          real.clock.now().toISOString().slice(0, 10),
        ),
      ).toBe(true);
    }
  }
  toString = () => `${this.accept ? 'accept' : 'decline'}(brief ${this.brief}, ${this.door})`;
}

class Quote implements Cmd {
  constructor(
    readonly brief: number,
    readonly choose: boolean,
  ) {}
  check = always;
  async run(model: Model, real: Real) {
    const brief = await nthBrief(real, model, this.brief, true);
    if (!brief) return;
    const r = model.requests.find((m) => m.id === brief.requestId)!;
    const scope = SCOPES[r.scope]!;
    const lineItems = scope.frameworks.map((f) => ({
      framework: f.framework,
      phase: f.framework === 'soc2' ? ('type2' as const) : ('stage1-stage2' as const),
      feeUsd: 30000,
    }));
    const today = real.clock.now().toISOString().slice(0, 10);
    const quoted = await attempt(
      submitQuote(real.ctx, firmUser(brief.firmId), brief.id, {
        lineItems,
        startDate: '2027-01-15',
        reportDate: '2027-08-31',
        assumptions: 'Model quote',
        validUntil: '2027-06-30',
      } as never),
    );
    if (!quoted.ok) return void model.refusals++;
    expect(brief.status).toBe('accepted');
    expect(mayHold(await firmRows(real.ctx), brief.firmId, scope, today)).toBe(true);
    if (this.choose) {
      const chosen = await attempt(chooseQuote(real.ctx, r.id, quoted.value.id));
      if (!chosen.ok) model.refusals++;
    }
  }
  toString = () => `quote(brief ${this.brief}${this.choose ? ', buyer chooses it' : ''})`;
}

class ReadContact implements Cmd {
  constructor(readonly brief: number) {}
  check = always;
  async run(model: Model, real: Real) {
    const brief = await nthBrief(real, model, this.brief, true);
    if (!brief) return;
    const lead = await attempt(leadDetail(real.ctx, firmUser(brief.firmId), brief.id));
    if (!lead.ok) return void model.refusals++;
    const r = model.requests.find((m) => m.id === brief.requestId)!;
    if (lead.value.contact) {
      expect(brief.status).toBe('accepted');
      expect(
        mayHold(
          await firmRows(real.ctx),
          brief.firmId,
          SCOPES[r.scope]!,
          real.clock.now().toISOString().slice(0, 10),
        ),
      ).toBe(true);
    } else {
      expect(lead.value.contactNote?.length ?? 0).toBeGreaterThan(10);
    }
  }
  toString = () => `read contact on the lead page(brief ${this.brief})`;
}

class Ask implements Cmd {
  constructor(
    readonly brief: number,
    readonly byFirm: boolean,
    readonly withContact: boolean,
    readonly shareWithAll: boolean,
  ) {}
  check = always;
  async run(model: Model, real: Real) {
    const brief = await nthBrief(real, model, this.brief, true);
    if (!brief) return;
    const text = this.withContact
      ? 'Reach me at robin@buyer.example or +1 415 555 0100.'
      : 'How many systems are in scope, and which cloud?';
    const result = this.byFirm
      ? await attempt(askBuyer(real.ctx, firmUser(brief.firmId), brief.id, text))
      : await attempt(
          answerFirm(real.ctx, brief.requestId, brief.id, text, {
            shareWithAll: this.shareWithAll,
          }),
        );
    if (!result.ok) model.refusals++;
  }
  toString = () =>
    `${this.byFirm ? 'firm asks' : 'buyer writes'}(brief ${this.brief}${this.withContact ? ', with contact details' : ''}${this.shareWithAll ? ', shared with all' : ''})`;
}

class Share implements Cmd {
  constructor(readonly brief: number) {}
  check = always;
  async run(model: Model, real: Real) {
    const brief = await nthBrief(real, model, this.brief, true);
    if (!brief) return;
    const rows = await firmRows(real.ctx);
    const result = await attempt(shareDetails(real.ctx, brief.requestId, brief.id));
    if (!result.ok) return void model.refusals++;
    const r = model.requests.find((m) => m.id === brief.requestId)!;
    expect(brief.status).toBe('accepted');
    expect(
      mayHold(rows, brief.firmId, SCOPES[r.scope]!, real.clock.now().toISOString().slice(0, 10)),
    ).toBe(true);
  }
  toString = () => `buyer shares its details(brief ${this.brief})`;
}

/** The buyer books (a published slot, or three times of its own), the firm picks, either side moves or cancels. */
class Call implements Cmd {
  constructor(
    readonly brief: number,
    readonly step: 'publish' | 'book-slot' | 'offer' | 'pick' | 'move' | 'cancel',
    readonly when: number,
  ) {}
  check = always;
  async run(model: Model, real: Real) {
    const { ctx } = real;
    const brief = await nthBrief(real, model, this.brief, true);
    if (!brief) return;
    const day = 86_400_000;
    const base = Date.parse(`${ctx.now().toISOString().slice(0, 10)}T00:00:00Z`) + 2 * day;
    const at = (n: number) => base + (n % 6) * day + (14 + (n % 3)) * 3_600_000;
    const call = await ctx.db.kysely
      .selectFrom('calls')
      .selectAll()
      .where('briefId', '=', brief.id)
      .where('status', '!=', 'cancelled')
      .executeTakeFirst();
    let result: Awaited<ReturnType<typeof attempt>>;
    switch (this.step) {
      case 'publish': {
        real.touched.add(brief.firmId);
        await ctx.db.kysely
          .deleteFrom('firmAvailability')
          .where('firmId', '=', brief.firmId)
          .execute();
        for (const weekday of [0, 1, 2, 3, 4, 5, 6]) {
          await ctx.db.kysely
            .insertInto('firmAvailability')
            .values({
              id: crypto.randomUUID(),
              firmId: brief.firmId,
              weekday,
              startMinute: 14 * 60,
              endMinute: 17 * 60,
            })
            .execute();
        }
        await ctx.db.kysely
          .updateTable('firms')
          .set({ timeZone: 'UTC' })
          .where('id', '=', brief.firmId)
          .execute();
        return;
      }
      case 'book-slot': {
        let { slots } = await slotsFor(ctx, brief.requestId, brief.id);
        // A firm that takes calls has published its times: publish them the first time.
        if (slots.length === 0 && this.when % 4 !== 0) {
          await new Call(this.brief, 'publish', 0).run(model, real);
          slots = (await slotsFor(ctx, brief.requestId, brief.id)).slots;
        }
        result = await attempt(
          bookCall(
            ctx,
            brief.requestId,
            brief.id,
            {
              kind: 'slot',
              start: slots[this.when % Math.max(1, slots.length)] ?? at(this.when),
              published: false,
            },
            'Asia/Tokyo',
          ),
        );
        break;
      }
      case 'offer':
        result = await attempt(
          bookCall(
            ctx,
            brief.requestId,
            brief.id,
            { kind: 'offer', slots: [at(this.when), at(this.when + 1), at(this.when + 2)] },
            'Europe/Berlin',
          ),
        );
        break;
      case 'pick': {
        if (!call) return;
        const offered = call.offeredSlots ? (JSON.parse(call.offeredSlots) as string[]) : [];
        result = await attempt(
          pickOfferedTime(
            ctx,
            firmUser(brief.firmId),
            call.id,
            Date.parse(offered[this.when % Math.max(1, offered.length)] ?? ''),
          ),
        );
        break;
      }
      case 'move':
        if (!call) return;
        result = await attempt(
          rescheduleCall(
            ctx,
            this.when % 2
              ? { side: 'firm', who: firmUser(brief.firmId) }
              : { side: 'buyer', requestId: brief.requestId },
            call.id,
            at(this.when + 3),
          ),
        );
        break;
      case 'cancel':
        if (!call) return;
        result = await attempt(
          cancelCall(
            ctx,
            this.when % 2
              ? { side: 'firm', who: firmUser(brief.firmId) }
              : { side: 'buyer', requestId: brief.requestId },
            call.id,
            'Model-based test',
          ),
        );
        break;
    }
    if (!result.ok) model.refusals++;
  }
  toString = () => `call ${this.step}(brief ${this.brief}, ${this.when})`;
}

class PassTime implements Cmd {
  constructor(readonly days: number) {}
  check = always;
  async run(_model: Model, real: Real) {
    real.clock.advance(this.days * DAY_MS);
    // What the maintenance loop does each minute.
    await expireBriefs(real.ctx);
    await withdrawLostBriefs(real.ctx);
  }
  toString = () => `${this.days} days pass`;
}

class FirmChange implements Cmd {
  constructor(
    readonly firm: number,
    readonly change: 'suspend' | 'reinstate' | 'revoke' | 'lapse' | 'pause' | 'fill',
    /** Mostly a firm that holds one of the sequence's briefs: that is where a change can break a promise. */
    readonly holdingABrief: boolean,
  ) {}
  check = always;
  async run(model: Model, real: Real) {
    const { ctx } = real;
    const brief = this.holdingABrief ? await nthBrief(real, model, this.firm) : null;
    const firmId = brief?.firmId ?? model.firms[this.firm % model.firms.length]!;
    real.touched.add(firmId);
    const db = ctx.db.kysely;
    const today = ctx.now().toISOString().slice(0, 10);
    const verifiedCredentialOf = (id: string) =>
      db
        .selectFrom('credentials')
        .select('id')
        .where('firmId', '=', id)
        .where('verification', '=', 'verified')
        .orderBy('kind')
        .executeTakeFirst();
    switch (this.change) {
      case 'suspend':
      case 'reinstate': {
        const result = await attempt(
          changeFirmStatus(ctx, { firmId, action: this.change, reason: 'Model-based test' }, ADMIN),
        );
        if (!result.ok) model.refusals++;
        return;
      }
      case 'revoke': {
        const credential = await verifiedCredentialOf(firmId);
        if (!credential) return;
        const result = await attempt(
          decideCredential(
            ctx,
            { credentialId: credential.id, decision: 'revoke', note: 'Model-based test' },
            ADMIN,
          ),
        );
        if (!result.ok) model.refusals++;
        return;
      }
      case 'lapse': {
        // A credential reaches its end date: nothing changes but time, as far as the firm is concerned.
        const credential = await verifiedCredentialOf(firmId);
        if (!credential) return;
        await db
          .updateTable('credentials')
          .set({ validTo: new Date(ctx.now().getTime() - DAY_MS).toISOString().slice(0, 10) })
          .where('id', '=', credential.id)
          .execute();
        break;
      }
      case 'pause':
        await db
          .updateTable('firmServices')
          .set({ paused: 1, pausedUntil: null })
          .where('firmId', '=', firmId)
          .execute();
        break;
      case 'fill':
        await db
          .updateTable('firmServices')
          .set({ capacityUsed: sql`monthly_capacity`, capacityMonth: today.slice(0, 7) })
          .where('firmId', '=', firmId)
          .execute();
        break;
    }
    await bumpCatalogVersion(db);
    ctx.catalog.invalidate();
    // The maintenance sweep that follows any such change within a minute.
    await withdrawLostBriefs(ctx);
  }
  toString = () =>
    `${this.change}(${this.holdingABrief ? 'the firm of brief' : 'firm'} ${this.firm})`;
}

class Withdraw implements Cmd {
  constructor(
    readonly request: number,
    readonly mode: 'everything' | 'keep-chosen' | 'delete',
  ) {}
  check = (m: Readonly<Model>) => m.requests.length > 0;
  async run(model: Model, real: Real) {
    const r = model.requests[this.request % model.requests.length]!;
    const result = await attempt(
      this.mode === 'delete'
        ? eraseRequestData(real.ctx, r.id, 'buyer')
        : withdrawRequest(real.ctx, r.id, this.mode),
    );
    if (!result.ok) return void model.refusals++;
    const briefs = await real.ctx.db.kysely
      .selectFrom('briefs')
      .select(['status', 'firmId'])
      .where('requestId', '=', r.id)
      .execute();
    const holding = briefs.filter((b) => b.status === 'sent' || b.status === 'accepted');
    if (this.mode === 'keep-chosen') {
      // Exactly the chosen firm keeps the request.
      const chosen = await real.ctx.db.kysely
        .selectFrom('quotes')
        .select('firmId')
        .where('requestId', '=', r.id)
        .where('status', '=', 'chosen')
        .executeTakeFirst();
      expect(holding.map((b) => b.firmId)).toEqual(chosen ? [chosen.firmId] : []);
    } else {
      expect(holding).toEqual([]);
    }
  }
  toString = () =>
    `${this.mode === 'delete' ? 'delete' : `withdraw ${this.mode}`}(request ${this.request})`;
}

/** The same action twice at the same moment: two sends of one form, two choices, two accepts. */
class Twice implements Cmd {
  constructor(
    readonly inner: Cmd,
    readonly other: Cmd,
  ) {}
  check = (m: Readonly<Model>) => this.inner.check(m) && this.other.check(m);
  async run(model: Model, real: Real) {
    await Promise.all([this.inner.run(model, real), this.other.run(model, real)]);
  }
  toString = () => `at once [${this.inner.toString()} | ${this.other.toString()}]`;
}

const idx = fc.nat(12);
const buyerArb = fc.nat(1);
const door = fc.constantFrom<Door>('workspace', 'email-link', 'api');

const commandArbs: fc.Arbitrary<Cmd>[] = [
  fc
    .tuple(buyerArb, fc.nat(SCOPES.length - 1), fc.boolean())
    .map(([b, s, again]) => new Submit(b, s, again)),
  fc
    .tuple(buyerArb, fc.nat(SCOPES.length - 1), fc.boolean())
    .map(([b, s, again]) => new Submit(b, s, again)),
  fc
    .tuple(idx, fc.constantFrom<'none' | 'resend' | 'replace'>('none', 'none', 'resend', 'replace'))
    .map(([r, c]) => new Confirm(r, c)),
  fc
    .tuple(idx, fc.uniqueArray(fc.nat(9), { minLength: 1, maxLength: 4 }))
    .map(([r, p]) => new Choose(r, p)),
  fc
    .tuple(idx, fc.uniqueArray(fc.nat(9), { minLength: 1, maxLength: 3 }))
    .map(([r, p]) => new Choose(r, p)),
  fc.tuple(idx, fc.boolean(), door).map(([b, a, d]) => new Answer(b, a, d)),
  fc.tuple(idx, door).map(([b, d]) => new Answer(b, true, d)),
  fc.tuple(idx, fc.boolean()).map(([b, c]) => new Quote(b, c)),
  idx.map((b) => new ReadContact(b)),
  fc.constantFrom(1, 1, 3).map((d) => new PassTime(d)),
  fc
    .tuple(
      fc.nat(40),
      fc.constantFrom('suspend', 'reinstate', 'revoke', 'lapse', 'pause', 'fill') as fc.Arbitrary<
        FirmChange['change']
      >,
      fc.boolean(),
    )
    .map(([f, c, held]) => new FirmChange(f, c, held)),
  fc
    .tuple(idx, fc.constantFrom('suspend', 'revoke', 'lapse') as fc.Arbitrary<FirmChange['change']>)
    .map(([f, c]) => new FirmChange(f, c, true)),
  fc
    .tuple(
      idx,
      fc.constantFrom<'everything' | 'keep-chosen' | 'delete'>(
        'everything',
        'keep-chosen',
        'keep-chosen',
        'delete',
      ),
    )
    .map(([r, m]) => new Withdraw(r, m)),
  fc
    .tuple(buyerArb, fc.nat(SCOPES.length - 1))
    .map(([b, s]) => new Twice(new Submit(b, s, true), new Submit(b, s, true))),
  fc.tuple(idx, idx).map(([a, b]) => new Twice(new Confirm(a, 'none'), new Confirm(b, 'replace'))),
  fc.tuple(idx, idx).map(([a, b]) => new Twice(new Choose(a, [0, 1]), new Choose(b, [1, 2]))),
  fc
    .tuple(idx)
    .map(([b]) => new Twice(new Answer(b, true, 'api'), new Answer(b, true, 'workspace'))),
  fc
    .tuple(idx, fc.boolean(), fc.boolean(), fc.boolean())
    .map(([b, firm, contact, all]) => new Ask(b, firm, contact, all)),
  idx.map((b) => new Share(b)),
  fc
    .tuple(
      idx,
      fc.constantFrom(
        'publish',
        'book-slot',
        'book-slot',
        'offer',
        'pick',
        'move',
        'cancel',
      ) as fc.Arbitrary<Call['step']>,
      fc.nat(20),
    )
    .map(([b, step, when]) => new Call(b, step, when)),
  fc
    .tuple(
      idx,
      fc.constantFrom('publish', 'book-slot', 'offer', 'pick', 'move') as fc.Arbitrary<
        Call['step']
      >,
      fc.nat(20),
    )
    .map(([b, step, when]) => new Call(b, step, when)),
  fc
    .tuple(idx, idx)
    .map(([a, b]) => new Twice(new Call(a, 'book-slot', 1), new Call(b, 'book-slot', 1))),
];

describeEachEngine(
  'the lifecycle keeps every promise through any sequence of actions (model-based)',
  (t) => {
    const clock = new TestClock(START);
    let ctx: ServiceContext;
    let firmIds: string[];
    let snapshot: { firms: unknown[]; services: unknown[]; credentials: unknown[] };
    let sequences = 0;
    let commandsRun = 0;
    const touched = new Set<string>();

    beforeAll(async () => {
      ctx = await seededContext(t(), clock);
      const db = ctx.db.kysely;
      firmIds = (await db.selectFrom('firms').select('id').orderBy('slug').execute()).map(
        (f) => f.id,
      );
      snapshot = {
        firms: await db.selectFrom('firms').select(['id', 'status', 'statusReason']).execute(),
        services: await db
          .selectFrom('firmServices')
          .select(['id', 'firmId', 'paused', 'pausedUntil'])
          .execute(),
        credentials: await db
          .selectFrom('credentials')
          .select(['id', 'firmId', 'verification', 'validTo'])
          .execute(),
      };
    });

    /** Each sequence starts from the seeded firms, a fresh clock and buyers of its own. */
    async function reset(): Promise<void> {
      clock.set(START);
      const db = ctx.db.kysely;
      await db.transaction().execute(async (trx) => {
        // Earlier sequences' requests are closed, so the sweep and the limits see only this one's.
        await trx
          .updateTable('quoteRequests')
          .set({ status: 'withdrawn' })
          .where('status', 'in', ['unconfirmed', 'confirmed', 'active'])
          .execute();
        await trx
          .updateTable('calls')
          .set({ status: 'cancelled' })
          .where('status', '!=', 'cancelled')
          .execute();
        if (touched.size > 0)
          await trx
            .deleteFrom('firmAvailability')
            .where('firmId', 'in', [...touched])
            .execute();
        // Accepts take capacity from any firm; the rest was changed only for the firms touched.
        await trx.updateTable('firmServices').set({ capacityUsed: 0 }).execute();
        // Put back what the sequence changed on the firms it touched, row by row as the snapshot has it.
        const restore = async (
          table: 'firms' | 'firmServices' | 'credentials',
          rows: unknown[],
        ) => {
          for (const row of rows as { id: string; firmId?: string }[]) {
            if (!touched.has(row.firmId ?? row.id)) continue;
            const { id, firmId: _firmId, ...values } = row;
            await trx
              .updateTable(table)
              .set(values as never)
              .where('id', '=', id)
              .execute();
          }
        };
        await restore('firms', snapshot.firms);
        await restore('firmServices', snapshot.services);
        await restore('credentials', snapshot.credentials);
        touched.clear();
        await bumpCatalogVersion(trx);
      });
      ctx.catalog.invalidate();
    }

    afterAll(async () => {
      // How much was played, for the record of each run.
      const db = ctx.db.kysely;
      const count = async (status: BriefStatus) =>
        Number(
          (
            await db
              .selectFrom('briefs')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('status', '=', status)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const byFirm = Number(
        (
          await db
            .selectFrom('briefs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('withdrawnReason', 'in', ['firm-suspended', 'firm-no-longer-eligible'])
            .executeTakeFirstOrThrow()
        ).n,
      );
      const calls = await db
        .selectFrom('calls')
        .select(['status', 'startsAt', 'sequence'])
        .execute();
      const shared = (
        await db.selectFrom('briefs').select('id').where('sharedAt', 'is not', null).execute()
      ).length;
      const messages = (await db.selectFrom('briefMessages').select('id').execute()).length;
      console.info(
        `lifecycle model [${t().db.dialect}]: ${sequences} sequences, ${commandsRun} commands; briefs accepted ${await count('accepted')}, declined ${await count('declined')}, expired ${await count('expired')}, withdrawn ${await count('withdrawn')} (${byFirm} on the firm's side); calls booked ${calls.filter((c) => c.startsAt !== null).length} (moved ${calls.filter((c) => c.sequence > 0 && c.startsAt !== null).length}), offered ${calls.filter((c) => c.startsAt === null).length}; details shared ${shared}; messages ${messages}`,
      );
    });

    it('holds every promise after every step', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.nat(SCOPES.length - 1),
          fc.commands(commandArbs, { maxCommands: 20, size: '+1' }),
          async (firstScope, commands) => {
            await reset();
            sequences++;
            const run = sequences;
            const model: Model = {
              buyers: [0, 1].map(
                (b) =>
                  `model-${t().db.dialect}-${run}-${b}-${Math.random().toString(36).slice(2, 6)}@buyer.example`,
              ),
              requests: [],
              briefs: new Map(),
              firms: firmIds,
              refusals: 0,
            };
            const real: Real = { ctx, clock, touched };
            // Every sequence starts from a buyer with a request it has sent, so the steps have something to act on.
            await new Submit(0, firstScope, false).run(model, real);
            await new Choose(0, [0, 1, 2]).run(model, real);
            await new Answer(0, true, 'workspace').run(model, real);
            await checkPromises(model, real);
            await fc.asyncModelRun(
              () => ({ model, real }),
              [...commands].map((command) => ({
                check: (m: Readonly<Model>) => command.check(m),
                run: async (m: Model, r: Real) => {
                  await command.run(m, r);
                  commandsRun++;
                  await checkPromises(m, r);
                  await eventLoopTurn();
                },
                toString: () => command.toString(),
              })),
            );
          },
        ),
        {
          numRuns: runsOn(t().db.dialect),
          ...(process.env.MODEL_SEED ? { seed: Number(process.env.MODEL_SEED) } : {}),
          ...(process.env.MODEL_PATH ? { path: process.env.MODEL_PATH } : {}),
          endOnFailure: true,
        },
      );
    }, 600_000);
  },
);
