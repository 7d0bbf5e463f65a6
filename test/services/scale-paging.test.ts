import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScaleData, type ScaleSummary, scaleLinkToken } from '../../bench/lib/scale';
import { parseStoredScope } from '../../src/db/requests';
import { AuditQuerySchema, searchAuditLog } from '../../src/services/admin/audit-log';
import { unmatchedRequests } from '../../src/services/admin/requests';
import { audit } from '../../src/services/audit';
import { requestIdForAccessToken } from '../../src/services/buyer';
import type { SessionUser } from '../../src/services/auth';
import type { ServiceContext } from '../../src/services/context';
import { ServiceError } from '../../src/services/context';
import { leadsCsv, leadsForApiKey, listLeads } from '../../src/services/firm/leads';
import { workspaceSummary } from '../../src/services/firm/workspace';
import { buildApp } from '../../src/web/app';
import { describeEachEngine } from '../helpers/databases';
import { ENGINES, openTestDatabase } from '../helpers/engines';
import { withoutLiveQuote } from '../../src/services/briefs';
import { refusal, serviceContext, TestClock } from '../helpers/requests';

/**
 * The scale generator writes data the services read as their own, and every paged list walks
 * its rows exactly once by cursor, even while new rows arrive between pages.
 */
describeEachEngine('scale data and cursor paging', (t) => {
  const clock = new TestClock('2026-11-30T09:00:00.000Z');
  let ctx: ServiceContext;
  let summary: ScaleSummary;
  let app: FastifyInstance;
  const key = () => ({ id: 'scale-key', firmId: summary.fixtures.busiestFirmId });

  beforeAll(async () => {
    ctx = serviceContext(t(), clock);
    summary = await generateScaleData(t().db, ctx.secrets, {
      firms: 30,
      requests: 400,
      now: clock.now(),
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('fills every table through the real schema with consistent, skewed, readable rows', async () => {
    const db = t().db.kysely;
    const count = async (
      table:
        | 'quoteRequests'
        | 'briefs'
        | 'proposals'
        | 'quotes'
        | 'briefMessages'
        | 'calls'
        | 'auditLog'
        | 'firms',
    ) =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('quoteRequests')).toBe(400);
    expect(summary.counts.quote_requests).toBe(400);
    // The firm import writes its own audit entry (one per thousand firms) besides the generated ones.
    expect(await count('auditLog')).toBe(summary.counts.audit_log! + 1);
    for (const [table, name] of [
      ['briefs', 'briefs'],
      ['quotes', 'quotes'],
      ['briefMessages', 'brief_messages'],
      ['calls', 'calls'],
    ] as const) {
      expect(await count(table), table).toBe(summary.counts[name]);
      expect(summary.counts[name], table).toBeGreaterThan(0);
    }
    // About three briefs and ten audit entries per request, as the services write them.
    expect(summary.counts.briefs! / 400).toBeGreaterThan(1.5);
    expect(summary.counts.audit_log! / 400).toBeGreaterThan(6);

    // Every brief answers a proposal of the same request and firm.
    const orphans = await db
      .selectFrom('briefs')
      .leftJoin('proposals', 'proposals.id', 'briefs.proposalId')
      .select('briefs.id')
      .where((eb) =>
        eb.or([
          eb('proposals.id', 'is', null),
          eb('proposals.firmId', '!=', eb.ref('briefs.firmId')),
          eb('proposals.requestId', '!=', eb.ref('briefs.requestId')),
        ]),
      )
      .execute();
    expect(orphans).toEqual([]);
    // Every stored scope parses as the app reads it; contacts open with the app's keys.
    const requests = await db
      .selectFrom('quoteRequests')
      .select(['scope', 'contactEmailEnc', 'status'])
      .execute();
    for (const r of requests) expect(() => parseStoredScope(r.scope)).not.toThrow();
    const held = requests.find((r) => r.contactEmailEnc !== null)!;
    expect(ctx.secrets.decrypt(held.contactEmailEnc!)).toMatch(/@example\.com$/);
    expect(new Set(requests.map((r) => r.status)).size).toBeGreaterThanOrEqual(4);
    // As the lifecycle job leaves them: no brief stays accepted and unquoted past its quote window.
    const unlapsed = await db
      .selectFrom('briefs')
      .select('id')
      .where('status', '=', 'accepted')
      .where('quoteBy', '<', clock.now().toISOString())
      .where(withoutLiveQuote)
      .execute();
    expect(unlapsed).toEqual([]);

    // Popularity is skewed: the busiest firm gets several times the median firm's briefs.
    const perFirm = await db
      .selectFrom('briefs')
      .select(['firmId', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('firmId')
      .execute();
    const sorted = perFirm.map((r) => Number(r.n)).sort((a, b) => a - b);
    const busiest = perFirm.find((r) => r.firmId === summary.fixtures.busiestFirmId);
    // The fixture's firm is the most popular by draw: at this tiny size, among the busiest few.
    expect(Number(busiest?.n)).toBeGreaterThanOrEqual(sorted[Math.floor(sorted.length * 0.8)]!);
    expect(sorted.at(-1)!).toBeGreaterThan(2 * sorted[Math.floor(sorted.length / 2)]!);

    // Audit ids grow with time; buyer links resolve; a second run is refused.
    const log = await db.selectFrom('auditLog').select(['id', 'at']).orderBy('id').execute();
    expect(log.every((row, i) => i === 0 || row.at >= log[i - 1]!.at)).toBe(true);
    const token = summary.fixtures.buyerTokens[0] ?? scaleLinkToken(16, 399);
    expect(await requestIdForAccessToken(ctx, token)).not.toBeNull();
    await expect(
      generateScaleData(t().db, ctx.secrets, { firms: 1, requests: 1, now: clock.now() }),
    ).rejects.toThrow(/already holds requests/);
  });

  /** A new brief for the busiest firm, sent `at`, as if a buyer chose it between two page reads. */
  async function newLead(at: Date): Promise<string> {
    const db = t().db.kysely;
    const firmId = summary.fixtures.busiestFirmId;
    const requestId = randomUUID();
    const proposalId = randomUUID();
    const briefId = randomUUID();
    const when = at.toISOString();
    const scope = (
      await db.selectFrom('quoteRequests').select('scope').limit(1).executeTakeFirstOrThrow()
    ).scope;
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('quoteRequests')
        .values({
          id: requestId,
          reference: `NEW-${requestId.slice(0, 8)}`,
          status: 'active',
          scope,
          contactNameEnc: null,
          contactEmailEnc: null,
          companyEnc: null,
          phoneEnc: null,
          emailHash: null,
          consentText: 'ok',
          consentAt: when,
          confirmTokenHash: null,
          confirmExpiresAt: null,
          confirmedAt: when,
          accessTokenHash: null,
          idempotencyKey: null,
          matchResult: null,
          algorithmVersion: null,
          createdAt: when,
          updatedAt: when,
          expiresAt: when,
          contactErasedAt: null,
        })
        .execute();
      await trx
        .insertInto('proposals')
        .values({
          id: proposalId,
          requestId,
          firmId,
          rank: 1,
          score: 80,
          breakdown: '{}',
          reasons: '[]',
          algorithmVersion: 't',
          status: 'chosen',
          createdAt: when,
        })
        .execute();
      await trx
        .insertInto('briefs')
        .values({
          id: briefId,
          requestId,
          proposalId,
          firmId,
          status: 'sent',
          sentAt: when,
          respondBy: when,
          respondedAt: null,
          declineReason: null,
          contactReleasedAt: null,
          withdrawnReason: null,
          withdrawnNote: null,
          quoteBy: null,
          sharedAt: null,
        })
        .execute();
    });
    return briefId;
  }

  async function briefIdsOfBusiest(): Promise<string[]> {
    const rows = await t()
      .db.kysely.selectFrom('briefs')
      .select('id')
      .where('firmId', '=', summary.fixtures.busiestFirmId)
      .execute();
    return rows.map((r) => r.id);
  }

  it('walks every lead exactly once, newest first, while new leads arrive between pages', async () => {
    const before = await briefIdsOfBusiest();
    expect(before.length).toBeGreaterThan(14);
    const seen: string[] = [];
    const added: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      // A new lead lands while this page is read (on PostgreSQL, from another connection at once).
      const [page, id] = await Promise.all([
        leadsForApiKey(ctx, key(), { limit: 7, ...(cursor ? { cursor } : {}) }),
        newLead(new Date(clock.now().getTime() + ++pages * 1000)),
      ]);
      added.push(id);
      seen.push(...page.leads.map((l) => l.id));
      for (let i = 1; i < page.leads.length; i++)
        expect(page.leads[i - 1]!.sentAt >= page.leads[i]!.sentAt).toBe(true);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);
    // Leads newer than the first page arrive on a fresh first page, not in the middle of the walk.
    expect(seen.filter((id) => added.includes(id)).length).toBeLessThanOrEqual(1);
    const fresh = await leadsForApiKey(ctx, key(), { limit: 200 });
    for (const id of added) expect(fresh.leads.map((l) => l.id)).toContain(id);
  });

  it('follows new leads oldest first from `since`, keeping the last cursor to poll again', async () => {
    const all = await briefIdsOfBusiest();
    const seen: string[] = [];
    let cursor: string | undefined;
    let page = await leadsForApiKey(ctx, key(), { since: '2000-01-01T00:00:00Z', limit: 9 });
    for (;;) {
      seen.push(...page.leads.map((l) => l.id));
      for (let i = 1; i < page.leads.length; i++)
        expect(page.leads[i - 1]!.sentAt <= page.leads[i]!.sentAt).toBe(true);
      expect(page.nextCursor).not.toBeNull();
      cursor = page.nextCursor!;
      if (page.leads.length < 9) break;
      page = await leadsForApiKey(ctx, key(), { cursor, limit: 9 });
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(all));
    // Nothing new yet: an empty page that still hands back where to look next time.
    const idle = await leadsForApiKey(ctx, key(), { cursor, limit: 9 });
    expect(idle.leads).toEqual([]);
    expect(idle.nextCursor).toBe(cursor);
    const later = await newLead(new Date(clock.now().getTime() + 3_600_000));
    const polled = await leadsForApiKey(ctx, key(), { cursor, limit: 9 });
    expect(polled.leads.map((l) => l.id)).toEqual([later]);
    // A status filter pages the same way and holds only that status.
    const accepted = await leadsForApiKey(ctx, key(), { status: 'accepted', limit: 3 });
    expect(accepted.leads.every((l) => l.status === 'accepted')).toBe(true);
  });

  it('pages the inbox: waiting briefs first, then every other lead once, newest first', async () => {
    const all = await briefIdsOfBusiest();
    const first = await listLeads(ctx, summary.fixtures.busiestFirmId);
    expect(first.awaiting.every((l) => l.status === 'sent')).toBe(true);
    const seen = [...first.awaiting.map((l) => l.id), ...first.leads.map((l) => l.id)];
    let cursor = first.nextCursor;
    while (cursor) {
      await newLead(new Date(clock.now().getTime() + 7_200_000));
      const page = await listLeads(ctx, summary.fixtures.busiestFirmId, cursor);
      expect(page.awaiting).toEqual([]);
      expect(page.leads.every((l) => l.status !== 'sent')).toBe(true);
      seen.push(...page.leads.map((l) => l.id));
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(all));
  });

  it('pages the audit log and the unmatched requests by cursor, stable while entries are added', async () => {
    const db = t().db.kysely;
    const expected = (
      await db.selectFrom('auditLog').select('id').where('action', 'like', 'brief.%').execute()
    ).map((r) => Number(r.id));
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      await audit(db, clock.now(), {
        actorKind: 'system',
        action: 'brief.sent',
        subjectKind: 'brief',
        subjectId: 'new',
      });
      const page = await searchAuditLog(ctx, AuditQuerySchema.parse({ action: 'BRIEF.', cursor }));
      seen.push(...page.rows.map((r) => r.id));
      expect(page.rows.every((r) => r.action.startsWith('brief.'))).toBe(true);
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    // Each action is read on its own and the reads merged: newest first across them all.
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    for (const id of expected) expect(seen).toContain(id);

    const unmatched: string[] = [];
    let next: string | null | undefined;
    do {
      const page = await unmatchedRequests(ctx, next ?? undefined);
      unmatched.push(...page.items.map((i) => i.id));
      expect(page.items.every((i) => i.proposed < 3)).toBe(true);
      next = page.next;
    } while (next);
    expect(new Set(unmatched).size).toBe(unmatched.length);
  });

  /** A member of the firm as the services see one signed in. */
  async function memberOf(firmId: string): Promise<SessionUser> {
    const member = await t()
      .db.kysely.selectFrom('users')
      .select(['id', 'email', 'role', 'firmId', 'firmRole'])
      .where('firmId', '=', firmId)
      .executeTakeFirstOrThrow();
    return { ...member, name: null, sessionHash: '' } as SessionUser;
  }

  it('writes the leads CSV in batches, each lead once, newest first, as one read would', async () => {
    const db = t().db.kysely;
    const firmId = summary.fixtures.busiestFirmId;
    const user = await memberOf(firmId);
    const write = async (batch: number) => {
      let text = '';
      for await (const chunk of leadsCsv(ctx, user, batch)) text += chunk;
      return text;
    };
    const whole = await write(1_000_000);
    expect(await write(7)).toBe(whole);
    const ids = whole
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[0]!);
    const all = await briefIdsOfBusiest();
    expect(ids.length).toBeGreaterThan(14);
    expect(ids).toHaveLength(all.length);
    expect(new Set(ids)).toEqual(new Set(all));
    const sentAt = new Map(
      (
        await db
          .selectFrom('briefs')
          .select(['id', 'sentAt'])
          .where('firmId', '=', firmId)
          .execute()
      ).map((b) => [b.id, b.sentAt]),
    );
    for (let i = 1; i < ids.length; i++)
      expect(sentAt.get(ids[i - 1]!)! >= sentAt.get(ids[i]!)!).toBe(true);
  });

  it("counts the workspace home's waiting and unquoted leads in the database, as reading every row would", async () => {
    const db = t().db.kysely;
    const firmId = summary.fixtures.busiestFirmId;
    const home = await workspaceSummary(ctx, await memberOf(firmId));
    const briefs = await db
      .selectFrom('briefs')
      .select(['id', 'status', 'respondBy'])
      .where('firmId', '=', firmId)
      .execute();
    const live = new Set(
      (
        await db
          .selectFrom('quotes')
          .select('briefId')
          .where('firmId', '=', firmId)
          .where('status', '!=', 'withdrawn')
          .execute()
      ).map((q) => q.briefId),
    );
    const waiting = briefs
      .filter((b) => b.status === 'sent')
      .map((b) => b.respondBy)
      .sort();
    expect(home.awaitingAnswer).toBe(waiting.length);
    expect(home.nextDeadline).toBe(waiting[0] ?? null);
    expect(home.acceptedWithoutQuote).toBe(
      briefs.filter((b) => b.status === 'accepted' && !live.has(b.id)).length,
    );
    expect(home.awaitingAnswer + home.acceptedWithoutQuote).toBeGreaterThan(0);
  });

  it('refuses a cursor it did not give out, naming the field, over HTTP as a problem', async () => {
    const forged = Buffer.from(JSON.stringify(['audit', 5])).toString('base64url');
    const wrongList = await refusal(leadsForApiKey(ctx, key(), { cursor: forged }));
    expect(wrongList).toBeInstanceOf(ServiceError);
    expect(wrongList).toMatchObject({ status: 400, field: 'cursor' });
    expect(
      await refusal(listLeads(ctx, summary.fixtures.busiestFirmId, 'not-a-cursor')),
    ).toMatchObject({ status: 400, field: 'cursor' });

    app = await buildApp(t().config, { db: t().db, now: clock.now });
    await app.ready();
    const auth = { authorization: `Bearer ${summary.fixtures.apiKey}` };
    const ok = await app.inject({ method: 'GET', url: '/api/v1/leads?limit=2', headers: auth });
    expect(ok.statusCode).toBe(200);
    const body = ok.json() as { leads: { id: string }[]; nextCursor: string | null };
    expect(body.leads).toHaveLength(2);
    const second = await app.inject({
      method: 'GET',
      url: `/api/v1/leads?limit=2&cursor=${body.nextCursor}`,
      headers: auth,
    });
    expect((second.json() as { leads: { id: string }[] }).leads[0]!.id).not.toBe(body.leads[0]!.id);
    for (const [query, field] of [
      ['cursor=garbage', 'cursor'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['since=yesterday', 'since'],
    ] as const) {
      const bad = await app.inject({ method: 'GET', url: `/api/v1/leads?${query}`, headers: auth });
      expect(bad.statusCode, query).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(bad.json()), query).toContain(field);
    }
  });
});

describe.runIf(ENGINES.includes('postgres'))('PostgreSQL connections of the app', () => {
  it('compile no statement just in time (a misestimated short one took 270 ms to compile)', async () => {
    const pg = await openTestDatabase('postgres');
    try {
      const shown = await sql<{ jit: string }>`show jit`.execute(pg.db.kysely);
      expect(shown.rows[0]?.jit).toBe('off');
    } finally {
      await pg.cleanup();
    }
  });
});
