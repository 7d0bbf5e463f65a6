import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Db } from '../../src/db/client';
import type { Database } from '../../src/db/schema';
import { upsertFirms } from '../../src/services/firm-import/upsert';
import { hashToken, type Secrets } from '../../src/services/secrets';
import {
  Random,
  addDays,
  assertValidRecords,
  syntheticFirmRecords,
  syntheticScopes,
} from './synthetic';

/**
 * A year of marketplace traffic, written through the real schema: firms (through the real
 * import), their users and call windows, then requests in time order with their proposals,
 * briefs, quotes, questions and answers, calls, private links and audit entries. Sizes follow
 * `requests`; the other tables follow from per-request distributions:
 *
 * - request status by age: recent ones unconfirmed or confirmed, older ones mostly active with
 *   three briefs, some withdrawn, expired (never confirmed) or deleted; contact erased past the
 *   retention period, as the purge would;
 * - firms chosen with a Zipf-like skew (a few firms get thousands of briefs, most a few dozen);
 * - briefs answered within days: accepted about half the time, declined, expired or withdrawn;
 * - an accepted brief usually carries a quote and a short thread; about a third of the requests
 *   with quotes chose one and booked a call;
 * - about ten audit entries per request, in the order the service would write them.
 *
 * Rows go in with multi-row statements (PostgreSQL: one `unnest` of column arrays per batch;
 * SQLite: multi-row VALUES inside one transaction per chunk), which is what makes millions of
 * rows fit in minutes. Everything derives from a seed, so the bench can name the busiest firm,
 * a buyer's private link and sign-in tokens without reading them back.
 */

export interface ScaleOptions {
  firms: number;
  requests: number;
  /** Everything derives from it: the same seed gives the same rows. */
  seed?: number;
  /** The end of the simulated year (default: now). */
  now?: Date;
  /** Days of traffic (default 365). */
  days?: number;
  log?: (line: string) => void;
  /** Called after every 50,000 requests with what is stored so far (a stopped run keeps its prefix). */
  checkpoint?: (summary: ScaleSummary) => void;
}

export interface ScaleSummary {
  counts: Record<string, number>;
  seconds: number;
  /** Handles the bench uses: the busiest firm, a signed-in member of it, an operator, buyer links. */
  fixtures: ScaleFixtures;
}

export interface ScaleFixtures {
  busiestFirmId: string;
  busiestFirmSlug: string;
  firmSessionToken: string;
  apiKey: string;
  adminSessionToken: string;
  /** Private-link tokens of a few active requests (for the buyer page). */
  buyerTokens: string[];
  /** A few request ids and their firm, for the API and the console. */
  requestIds: string[];
}

/** Named sizes: `tiny` for tests, `full` for what the issue asks; anything else via numbers. */
export const SCALE_SIZES = {
  tiny: { firms: 30, requests: 300 },
  small: { firms: 1_000, requests: 20_000 },
  medium: { firms: 10_000, requests: 200_000 },
  full: { firms: 10_000, requests: 1_000_000 },
} as const;

/** A deterministic id shaped like a UUID (v4 bits set), so ids stay unique across runs of one seed. */
function idOf(seed: number, kind: string, n: number): string {
  const h = createHash('md5').update(`${seed}:${kind}:${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A bearer token derived from the seed, shaped like the app's own (256 bits, base64url). */
function fixtureToken(seed: number, name: string): string {
  return createHash('sha256').update(`auditmatch-scale:${seed}:${name}`).digest('base64url');
}

/** The private-link token of request n (its hash is stored, as for a real link). */
export function scaleLinkToken(seed: number, n: number): string {
  return fixtureToken(seed, `link:${n}`);
}

type ColumnType = 'text' | 'int' | 'real';
interface TableSpec {
  name: string;
  columns: [name: string, type: ColumnType][];
}
type Row = (string | number | null)[];

const PG_ARRAY: Record<ColumnType, string> = { text: 'text[]', int: 'int8[]', real: 'float8[]' };

/**
 * Inserts rows in multi-row statements: on PostgreSQL one statement per batch that unnests one
 * array per column (a single round trip, a few parameters); on SQLite multi-row VALUES within
 * SQLite's parameter limit.
 */
async function insertRows(
  db: Kysely<Database>,
  dialect: Db['dialect'],
  table: TableSpec,
  rows: Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = sql.raw(table.columns.map(([n]) => n).join(', '));
  if (dialect === 'postgres') {
    for (let from = 0; from < rows.length; from += 20_000) {
      const part = rows.slice(from, from + 20_000);
      const cols = table.columns.map(
        ([, type], i) => sql`${part.map((r) => r[i] ?? null)}::${sql.raw(PG_ARRAY[type])}`,
      );
      await sql`insert into ${sql.raw(table.name)} (${names}) select * from unnest(${sql.join(cols)})`.execute(
        db,
      );
    }
    return;
  }
  const perStatement = Math.max(1, Math.floor(30_000 / table.columns.length));
  for (let from = 0; from < rows.length; from += perStatement) {
    const part = rows.slice(from, from + perStatement);
    await sql`insert into ${sql.raw(table.name)} (${names}) values ${sql.join(part.map((r) => sql`(${sql.join(r)})`))}`.execute(
      db,
    );
  }
}

const T = {
  users: {
    name: 'users',
    columns: [
      ['id', 'text'],
      ['email', 'text'],
      ['name', 'text'],
      ['role', 'text'],
      ['firm_id', 'text'],
      ['firm_role', 'text'],
      ['created_at', 'text'],
    ],
  },
  sessions: {
    name: 'sessions',
    columns: [
      ['id_hash', 'text'],
      ['user_id', 'text'],
      ['created_at', 'text'],
      ['expires_at', 'text'],
      ['last_seen_at', 'text'],
    ],
  },
  apiKeys: {
    name: 'api_keys',
    columns: [
      ['id', 'text'],
      ['firm_id', 'text'],
      ['key_hash', 'text'],
      ['label', 'text'],
      ['created_at', 'text'],
    ],
  },
  availability: {
    name: 'firm_availability',
    columns: [
      ['id', 'text'],
      ['firm_id', 'text'],
      ['weekday', 'int'],
      ['start_minute', 'int'],
      ['end_minute', 'int'],
    ],
  },
  requests: {
    name: 'quote_requests',
    columns: [
      ['id', 'text'],
      ['reference', 'text'],
      ['status', 'text'],
      ['scope', 'text'],
      ['contact_name_enc', 'text'],
      ['contact_email_enc', 'text'],
      ['company_enc', 'text'],
      ['phone_enc', 'text'],
      ['email_hash', 'text'],
      ['consent_text', 'text'],
      ['consent_at', 'text'],
      ['confirm_token_hash', 'text'],
      ['confirm_expires_at', 'text'],
      ['confirmed_at', 'text'],
      ['access_token_hash', 'text'],
      ['match_result', 'text'],
      ['match_rotation', 'int'],
      ['algorithm_version', 'text'],
      ['created_at', 'text'],
      ['updated_at', 'text'],
      ['expires_at', 'text'],
      ['contact_erased_at', 'text'],
      ['proposed_top', 'int'],
    ],
  },
  links: {
    name: 'request_links',
    columns: [
      ['token_hash', 'text'],
      ['request_id', 'text'],
      ['created_at', 'text'],
    ],
  },
  proposals: {
    name: 'proposals',
    columns: [
      ['id', 'text'],
      ['request_id', 'text'],
      ['firm_id', 'text'],
      ['rank', 'int'],
      ['score', 'real'],
      ['breakdown', 'text'],
      ['reasons', 'text'],
      ['algorithm_version', 'text'],
      ['status', 'text'],
      ['created_at', 'text'],
    ],
  },
  briefs: {
    name: 'briefs',
    columns: [
      ['id', 'text'],
      ['request_id', 'text'],
      ['proposal_id', 'text'],
      ['firm_id', 'text'],
      ['status', 'text'],
      ['sent_at', 'text'],
      ['respond_by', 'text'],
      ['responded_at', 'text'],
      ['decline_reason', 'text'],
      ['contact_released_at', 'text'],
      ['withdrawn_reason', 'text'],
      ['quote_by', 'text'],
      ['shared_at', 'text'],
    ],
  },
  quotes: {
    name: 'quotes',
    columns: [
      ['id', 'text'],
      ['brief_id', 'text'],
      ['request_id', 'text'],
      ['firm_id', 'text'],
      ['line_items', 'text'],
      ['total_usd', 'int'],
      ['start_date', 'text'],
      ['report_date', 'text'],
      ['assumptions', 'text'],
      ['valid_until', 'text'],
      ['status', 'text'],
      ['created_at', 'text'],
      ['withdrawn_reason', 'text'],
      ['call_could_change', 'text'],
      ['year_one_min_usd', 'int'],
      ['year_one_max_usd', 'int'],
      ['full_cycle_min_usd', 'int'],
      ['full_cycle_max_usd', 'int'],
    ],
  },
  messages: {
    name: 'brief_messages',
    columns: [
      ['id', 'text'],
      ['brief_id', 'text'],
      ['request_id', 'text'],
      ['author', 'text'],
      ['body', 'text'],
      ['shared_from', 'text'],
      ['created_at', 'text'],
    ],
  },
  calls: {
    name: 'calls',
    columns: [
      ['id', 'text'],
      ['brief_id', 'text'],
      ['request_id', 'text'],
      ['firm_id', 'text'],
      ['status', 'text'],
      ['starts_at', 'text'],
      ['ends_at', 'text'],
      ['offered_slots', 'text'],
      ['buyer_time_zone', 'text'],
      ['sequence', 'int'],
      ['created_at', 'text'],
      ['updated_at', 'text'],
    ],
  },
  audit: {
    name: 'audit_log',
    columns: [
      ['at', 'text'],
      ['actor_kind', 'text'],
      ['actor_id', 'text'],
      ['action', 'text'],
      ['subject_kind', 'text'],
      ['subject_id', 'text'],
      ['detail', 'text'],
    ],
  },
} satisfies Record<string, TableSpec>;

/** Where a request row holds its count of proposals within the promised three. */
const REQUEST_PROPOSED_TOP = T.requests.columns.findIndex(([name]) => name === 'proposed_top');

/** Cumulative Zipf-like weights (s = 0.9, shifted by 10 so the head is not a single firm). */
function zipf(n: number): Float64Array {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += 1 / (k + 10) ** 0.9;
    cumulative[k] = sum;
  }
  for (let k = 0; k < n; k++) cumulative[k] = (cumulative[k] as number) / sum;
  return cumulative;
}

function drawIndex(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TIME_ZONES = [
  'UTC',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Tokyo',
  'Australia/Sydney',
];
const QUESTIONS = [
  'How many production systems are in scope?',
  'Do you already run a vulnerability scanning programme?',
  'Which cloud providers host the in-scope systems?',
  'Is the readiness assessment optional for you?',
];
const ANSWERS = [
  'Three services on one cloud account.',
  'Yes, weekly, with tickets for every finding.',
  'AWS only, in two regions.',
  'We would rather go straight to Type 1.',
];
const DECLINES = ['no-capacity', 'outside-expertise', 'conflict', 'other'];

/**
 * Fills an empty, migrated database. Returns row counts and the handles the bench needs.
 * Refuses a database that already holds requests (a second run would mix two years).
 */
export async function generateScaleData(
  db: Db,
  secrets: Secrets,
  options: ScaleOptions,
): Promise<ScaleSummary> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 16;
  const nowMs = (options.now ?? new Date()).getTime();
  const days = options.days ?? 365;
  const k = db.kysely;
  const existing = await k
    .selectFrom('quoteRequests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(existing.n) > 0)
    throw new Error('the database already holds requests; generate into an empty one');

  // Firms through the real import, so the catalog reads them as it reads any firm.
  const today = iso(nowMs).slice(0, 10);
  for (let from = 0; from < options.firms; from += 1_000) {
    const records = syntheticFirmRecords(Math.min(1_000, options.firms - from), today, {
      seed,
      offset: from,
    });
    assertValidRecords(records);
    await upsertFirms(k, records, new Date(nowMs - days * DAY), { kind: 'system' });
    log(`firms: ${Math.min(options.firms, from + 1_000)} / ${options.firms}`);
  }
  const firms = await k
    .selectFrom('firms')
    .select(['id', 'slug'])
    .where('demo', '=', 0)
    .orderBy('slug')
    .execute();
  const r = new Random(seed);
  // Popularity follows a shuffled order, so the busiest firm is not simply the first slug.
  const order = firms
    .map((f) => ({ f, key: r.float() }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.f);
  const popularity = zipf(order.length);
  const counts: Record<string, number> = { firms: firms.length };
  const add = (table: string, n: number) => {
    counts[table] = (counts[table] ?? 0) + n;
  };

  // Users, sessions, API key, call windows and time zones.
  const at0 = iso(nowMs - days * DAY);
  const busiest = order[0]!;
  const userRows: Row[] = order.map((f, i) => [
    idOf(seed, 'user', i),
    `owner@${f.slug}.example`,
    `Owner ${i}`,
    'firm',
    f.id,
    'owner',
    at0,
  ]);
  const adminId = idOf(seed, 'admin', 0);
  userRows.push([adminId, 'operator@auditmatch.example', 'Operator', 'admin', null, null, at0]);
  await inChunk(k, db.dialect, async (trx) => {
    await insertRows(trx, db.dialect, T.users, userRows);
    const firmSessionToken = fixtureToken(seed, 'firm-session');
    const adminSessionToken = fixtureToken(seed, 'admin-session');
    const farFuture = iso(nowMs + 3650 * DAY);
    await insertRows(trx, db.dialect, T.sessions, [
      [hashToken(firmSessionToken), userRows[0]![0] as string, at0, farFuture, at0],
      [hashToken(adminSessionToken), adminId, at0, farFuture, at0],
    ]);
    await insertRows(trx, db.dialect, T.apiKeys, [
      [
        idOf(seed, 'key', 0),
        busiest.id,
        hashToken(`amk_${fixtureToken(seed, 'api-key')}`),
        'CRM',
        at0,
      ],
    ]);
    const windows: Row[] = [];
    order.forEach((f, i) => {
      for (let d = 1; d <= 5; d++)
        windows.push([idOf(seed, 'window', i * 7 + d), f.id, d, 9 * 60, 17 * 60]);
    });
    await insertRows(trx, db.dialect, T.availability, windows);
    for (const tz of TIME_ZONES) {
      const ids = order
        .filter((_, i) => i % TIME_ZONES.length === TIME_ZONES.indexOf(tz))
        .map((f) => f.id);
      for (let from = 0; from < ids.length; from += 5_000) {
        await trx
          .updateTable('firms')
          .set({ timeZone: tz })
          .where('id', 'in', ids.slice(from, from + 5_000))
          .execute();
      }
    }
  });
  add('users', userRows.length);
  add('firm_availability', order.length * 5);

  // Sealed contacts: a handful of real ciphertexts shared by all requests (the app decrypts them as any other).
  const contacts = Array.from({ length: 16 }, (_, i) => ({
    name: secrets.encrypt(`Buyer ${i}`),
    email: secrets.encrypt(`buyer${i}@example.com`),
    company: secrets.encrypt(`Company ${i}`),
    phone: i % 3 === 0 ? secrets.encrypt(`+1 555 0100 ${i}`) : null,
  }));
  // Each request its own buyer address (a few buyers come back), so "this buyer's open requests" stays small.
  const emailHash = (n: number) => secrets.keyedHash(`buyer${n % 5 === 0 ? n - 5 : n}@example.com`);
  const scopes = syntheticScopes(512, today, { seed }).map((s) => ({
    ...s,
    excludeFirms: [],
    controlsBuiltBy: [],
  }));
  const matchResult = JSON.stringify({
    algorithmVersion: 'scale',
    proposals: [],
    alternates: [],
    shortfall: null,
  });
  const consent = 'I agree that Auditmatch shares my request with the firms I choose.';

  const fixtures: ScaleFixtures = {
    busiestFirmId: busiest.id,
    busiestFirmSlug: busiest.slug,
    firmSessionToken: fixtureToken(seed, 'firm-session'),
    apiKey: `amk_${fixtureToken(seed, 'api-key')}`,
    adminSessionToken: fixtureToken(seed, 'admin-session'),
    buyerTokens: [],
    requestIds: [],
  };

  // Bulk loading: secondary indexes are dropped now and built once at the end, which is several
  // times faster than keeping them up to date row by row. Unique constraints stay.
  const indexes = await secondaryIndexes(k, db.dialect, LOADED_TABLES);
  for (const index of indexes) await sql`drop index ${sql.raw(index.name)}`.execute(k);

  const span = days * DAY;
  const start = nowMs - span;
  const retentionCut = nowMs - 365 * DAY;
  const CHUNK = 2_000;
  for (let from = 0; from < options.requests; from += CHUNK) {
    const rows = {
      requests: [] as Row[],
      links: [] as Row[],
      proposals: [] as Row[],
      briefs: [] as Row[],
      quotes: [] as Row[],
      messages: [] as Row[],
      calls: [] as Row[],
      audit: [] as Row[],
    };
    for (let n = from; n < Math.min(options.requests, from + CHUNK); n++) {
      // Traffic grows over the year: later days hold more requests.
      const created = Math.floor(start + span * Math.sqrt((n + r.float()) / options.requests));
      const age = nowMs - created;
      const id = idOf(seed, 'req', n);
      const c = contacts[n % contacts.length]!;
      const u = r.float();
      let status: string;
      if (age < 2 * DAY && u < 0.3) status = 'unconfirmed';
      else if (u < 0.05) status = 'expired';
      else if (u < 0.08) status = 'deleted';
      else if (age < 3 * DAY && u < 0.4) status = 'confirmed';
      else if (u < 0.16) status = 'withdrawn';
      else status = 'active';
      const confirmed =
        status === 'unconfirmed' || status === 'expired'
          ? null
          : Math.min(nowMs, created + r.int(5, 600) * 60_000);
      const erased =
        status === 'deleted' || created < retentionCut || status === 'expired'
          ? created + (confirmed ? 30 * DAY : 2 * DAY)
          : null;
      const keep = erased === null || erased > nowMs;
      const scope = scopes[n % scopes.length]!;
      rows.requests.push([
        id,
        `AM-${(n + 100_000).toString(36).toUpperCase()}`,
        status,
        JSON.stringify({ ...scope, neededBy: addDays(iso(created).slice(0, 10), 60 + (n % 300)) }),
        keep ? c.name : null,
        keep ? c.email : null,
        keep ? c.company : null,
        keep ? c.phone : null,
        keep ? emailHash(n) : null,
        consent,
        iso(created),
        hashToken(`scale-confirm-${seed}-${n}`),
        iso(created + 48 * HOUR),
        confirmed ? iso(confirmed) : null,
        null,
        confirmed ? matchResult : null,
        n % 97,
        confirmed ? 'scale' : null,
        iso(created),
        iso(confirmed ?? created),
        iso(confirmed ? confirmed + 60 * DAY : created + 48 * HOUR),
        keep ? null : iso(erased!),
        0, // proposals within the promised three: set below, once they are drawn
      ]);
      rows.audit.push([
        iso(created),
        'buyer',
        null,
        'request.submitted',
        'quote-request',
        id,
        null,
      ]);
      if (!confirmed) continue;
      rows.links.push([hashToken(scaleLinkToken(seed, n)), id, iso(confirmed)]);
      rows.audit.push([
        iso(confirmed),
        'buyer',
        null,
        'request.confirmed',
        'quote-request',
        id,
        null,
      ]);
      if (
        status === 'active' &&
        fixtures.buyerTokens.length < 50 &&
        age < 30 * DAY &&
        r.chance(0.05)
      ) {
        fixtures.buyerTokens.push(scaleLinkToken(seed, n));
        fixtures.requestIds.push(id);
      }
      // The matcher proposed three firms (now and then fewer: a shortfall the operator sees);
      // the buyer sent its brief to some of them. Distinct firms, by popularity.
      const proposed = r.chance(0.04) ? r.int(0, 2) : 3;
      const briefCount =
        status === 'confirmed' ? 0 : Math.min(proposed, r.chance(0.9) ? 3 : r.chance(0.5) ? 2 : 1);
      const picked = new Set<number>();
      while (picked.size < proposed) picked.add(drawIndex(popularity, r.float()));
      rows.requests.at(-1)![REQUEST_PROPOSED_TOP] = proposed;
      const sent = Math.min(nowMs, confirmed + r.int(10, 3_000) * 60_000);
      let quoteChosen = status === 'active' && age > 20 * DAY && r.chance(0.35);
      let rank = 0;
      for (const fi of picked) {
        rank++;
        const firm = order[fi]!;
        const proposalId = idOf(seed, `prop:${n}`, rank);
        const briefId = idOf(seed, `brief:${n}`, rank);
        rows.proposals.push([
          proposalId,
          id,
          firm.id,
          rank,
          90 - rank * 3 - r.int(0, 5),
          '{}',
          '[]',
          'scale',
          rank <= briefCount ? 'chosen' : 'proposed',
          iso(confirmed),
        ]);
        if (rank > briefCount) continue;
        const answered = sent + r.int(1, 96) * HOUR;
        let bStatus: string;
        let withdrawn: string | null = null;
        const v = r.float();
        if (answered > nowMs) bStatus = 'sent';
        else if (v < 0.55) bStatus = 'accepted';
        else if (v < 0.75) bStatus = 'declined';
        else if (v < 0.85) bStatus = 'expired';
        else bStatus = 'withdrawn';
        if (status === 'withdrawn' && (bStatus === 'sent' || bStatus === 'accepted'))
          bStatus = 'withdrawn';
        if (bStatus === 'withdrawn')
          withdrawn = status === 'withdrawn' ? 'buyer-withdrew' : 'buyer-kept-another-firm';
        if (bStatus === 'withdrawn' && status === 'deleted') withdrawn = 'request-deleted';
        // Most accepted briefs get a quote within days. One left unquoted past its quote window
        // is lapsed by the lifecycle job (no call can exist without a quote): expired here too,
        // as the job leaves it, rather than accepted for ever.
        const quoteAt = answered + r.int(1, 6) * DAY;
        const quoted = quoteAt <= nowMs && r.chance(0.85);
        if (bStatus === 'accepted' && !quoted && answered + 7 * DAY < nowMs) bStatus = 'expired';
        const accepted = bStatus === 'accepted' || (bStatus === 'withdrawn' && v < 0.55);
        rows.briefs.push([
          briefId,
          id,
          proposalId,
          firm.id,
          bStatus,
          iso(sent),
          iso(sent + 5 * DAY),
          bStatus === 'sent' ? null : iso(answered),
          bStatus === 'declined' ? DECLINES[n % DECLINES.length]! : null,
          accepted ? iso(answered) : null,
          withdrawn,
          accepted ? iso(answered + 7 * DAY) : null,
          accepted && r.chance(0.2) ? iso(answered + DAY) : null,
        ]);
        rows.audit.push([
          iso(sent),
          'buyer',
          null,
          'brief.sent',
          'brief',
          briefId,
          JSON.stringify({ firmId: firm.id }),
        ]);
        if (bStatus !== 'sent' && bStatus !== 'withdrawn') {
          rows.audit.push([
            iso(answered),
            'firm-user',
            null,
            bStatus === 'accepted'
              ? 'accept'
              : bStatus === 'declined'
                ? 'decline'
                : 'brief.expired',
            'brief',
            briefId,
            null,
          ]);
        }
        if (!accepted) continue;
        rows.audit.push([
          iso(answered + HOUR),
          'firm-user',
          null,
          'contact.viewed',
          'brief',
          briefId,
          JSON.stringify({ firmId: firm.id, via: 'workspace' }),
        ]);
        for (let m = 0; m < r.int(0, 4); m++) {
          const mAt = answered + (m + 1) * 6 * HOUR;
          if (mAt > nowMs) break;
          const author = m % 2 === 0 ? 'firm' : 'buyer';
          rows.messages.push([
            idOf(seed, `msg:${n}:${rank}`, m),
            briefId,
            id,
            author,
            (author === 'firm' ? QUESTIONS : ANSWERS)[(n + m) % 4]!,
            null,
            iso(mAt),
          ]);
          rows.audit.push([
            iso(mAt),
            author === 'firm' ? 'firm-user' : 'buyer',
            null,
            `message.${author}`,
            'brief',
            briefId,
            null,
          ]);
        }
        if (!quoted) continue;
        const low = 8_000 + r.int(0, 40) * 1_000;
        const high = low + r.int(0, 10) * 1_000;
        const qStatus =
          bStatus === 'withdrawn' ? 'withdrawn' : quoteChosen ? 'chosen' : 'submitted';
        const quoteId = idOf(seed, `quote:${n}`, rank);
        rows.quotes.push([
          quoteId,
          briefId,
          id,
          firm.id,
          JSON.stringify([
            {
              framework: scope.frameworks[0]!.framework,
              phase: 'type1',
              label: 'Type 1 report',
              minUsd: low,
              maxUsd: high,
            },
          ]),
          high,
          addDays(iso(quoteAt).slice(0, 10), 30),
          addDays(iso(quoteAt).slice(0, 10), 90),
          'One product, one cloud account.',
          addDays(iso(quoteAt).slice(0, 10), 30),
          qStatus,
          iso(quoteAt),
          qStatus === 'withdrawn' ? withdrawn : null,
          'Scope of the systems in the report.',
          low,
          high,
          low,
          high,
        ]);
        rows.audit.push([
          iso(quoteAt),
          'firm-user',
          null,
          'quote.submitted',
          'quote',
          quoteId,
          JSON.stringify({ briefId }),
        ]);
        if (qStatus === 'chosen') {
          quoteChosen = false;
          rows.audit.push([
            iso(quoteAt + DAY),
            'buyer',
            null,
            'quote.chosen',
            'quote',
            quoteId,
            null,
          ]);
          if (r.chance(0.7)) {
            const callStart = Math.floor((quoteAt + 3 * DAY) / HOUR) * HOUR;
            rows.calls.push([
              idOf(seed, 'call', n),
              briefId,
              id,
              firm.id,
              'booked',
              iso(callStart),
              iso(callStart + 30 * 60_000),
              null,
              TIME_ZONES[n % TIME_ZONES.length]!,
              0,
              iso(quoteAt + DAY),
              iso(quoteAt + DAY),
            ]);
            rows.audit.push([
              iso(quoteAt + DAY),
              'buyer',
              null,
              'call.booked',
              'brief',
              briefId,
              null,
            ]);
          }
        }
      }
    }
    // Audit ids grow with time, as they do when the services write them.
    rows.audit.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
    await inChunk(k, db.dialect, async (trx) => {
      await insertRows(trx, db.dialect, T.requests, rows.requests);
      await insertRows(trx, db.dialect, T.links, rows.links);
      await insertRows(trx, db.dialect, T.proposals, rows.proposals);
      await insertRows(trx, db.dialect, T.briefs, rows.briefs);
      await insertRows(trx, db.dialect, T.quotes, rows.quotes);
      await insertRows(trx, db.dialect, T.messages, rows.messages);
      await insertRows(trx, db.dialect, T.calls, rows.calls);
      await insertRows(trx, db.dialect, T.audit, rows.audit);
    });
    add('quote_requests', rows.requests.length);
    add('request_links', rows.links.length);
    add('proposals', rows.proposals.length);
    add('briefs', rows.briefs.length);
    add('quotes', rows.quotes.length);
    add('brief_messages', rows.messages.length);
    add('calls', rows.calls.length);
    add('audit_log', rows.audit.length);
    const done = Math.min(options.requests, from + CHUNK);
    if (done % 50_000 === 0 || done === options.requests) {
      log(
        `requests: ${done} / ${options.requests} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
      );
      options.checkpoint?.({
        counts: { ...counts },
        seconds: (Date.now() - started) / 1000,
        fixtures,
      });
    }
  }
  log(`building ${indexes.length} indexes`);
  for (const index of indexes) await sql.raw(index.sql).execute(k);
  await sql`analyze`.execute(k);
  return { counts, seconds: (Date.now() - started) / 1000, fixtures };
}

const LOADED_TABLES = [
  'quote_requests',
  'request_links',
  'proposals',
  'briefs',
  'quotes',
  'brief_messages',
  'calls',
  'audit_log',
];

/** The tables' indexes that back no constraint, with the statement that makes each again. */
async function secondaryIndexes(
  db: Kysely<Database>,
  dialect: Db['dialect'],
  tables: string[],
): Promise<{ name: string; sql: string }[]> {
  if (dialect === 'postgres') {
    const { rows } = await sql<{ name: string; sql: string }>`
      select indexname as name, indexdef as sql from pg_indexes
      where schemaname = current_schema() and tablename in (${sql.join(tables)})
        and indexname not in (select conname from pg_constraint where connamespace = current_schema()::regnamespace)`.execute(
      db,
    );
    return rows;
  }
  const { rows } = await sql<{ name: string; sql: string }>`
    select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${sql.join(tables)})`.execute(
    db,
  );
  return rows;
}

/** One transaction per chunk: SQLite writes fast only inside one, and a failed chunk leaves nothing half-stored. */
async function inChunk(
  db: Kysely<Database>,
  dialect: Db['dialect'],
  work: (trx: Kysely<Database>) => Promise<void>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Bulk loading: a crash loses at most the last chunks, and the generator is rerun anyway.
    if (dialect === 'postgres') await sql`set local synchronous_commit = off`.execute(trx);
    await work(trx);
  });
}
