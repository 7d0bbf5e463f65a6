import { sql } from 'kysely';
import { z } from 'zod';
import type { ServiceContext } from '../context';
import { plainText } from '../../domain/text';
import type { DialectName } from '../../db/client';
import { ACTOR_KINDS } from '../audit';
import { decodeCursor, encodeCursor, pageOf } from '../paging';
import { DAY_MS } from '../../domain/matching/dates';

/**
 * The audit log, searchable by action, subject, actor and date range, newest first. Entries
 * are written without contact details; as a second line of defence, detail fields named like
 * contact fields, and any value shaped like an email address, are masked before display.
 */

export const AUDIT_PAGE_SIZE = 50;

const isoDay = z.iso.date('use the form YYYY-MM-DD');
const optionalText = (max: number) =>
  plainText(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const AuditQuerySchema = z
  .object({
    action: optionalText(100),
    subject: optionalText(200),
    actor: optionalText(254),
    from: z
      .union([z.literal(''), isoDay])
      .optional()
      .transform((v) => v || undefined),
    to: z
      .union([z.literal(''), isoDay])
      .optional()
      .transform((v) => v || undefined),
    cursor: z
      .string()
      .max(200, 'is too long')
      .optional()
      .transform((v) => v || undefined),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    path: ['to'],
    message: 'must not be before the start date',
  });
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export interface AuditRow {
  id: number;
  at: string;
  actorKind: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  subjectKind: string | null;
  subjectId: string | null;
  detail: Record<string, unknown> | null;
}

const CONTACT_KEYS = new Set([
  'email',
  'phone',
  'contact',
  'contactname',
  'contactemail',
  'company',
  'buyername',
  'buyeremail',
]);
const EMAIL_SHAPE = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const MASK = '[not shown]';

/** Masks contact-like keys and email-shaped values, at any depth. */
export function maskContact(value: unknown): unknown {
  if (typeof value === 'string') return EMAIL_SHAPE.test(value) ? MASK : value;
  if (Array.isArray(value)) return value.map(maskContact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        CONTACT_KEYS.has(k.toLowerCase()) ? MASK : maskContact(v),
      ]),
    );
  }
  return value;
}

function parseDetail(detail: string | null): Record<string, unknown> | null {
  if (!detail) return null;
  try {
    const parsed: unknown = JSON.parse(detail);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (maskContact(parsed) as Record<string, unknown>)
      : { value: maskContact(parsed) };
  } catch {
    return { value: MASK };
  }
}

/**
 * `action` matches from the start ("credential." finds every credential decision); `subject`
 * is a subject id or kind; `actor` an actor id, kind, or an operator's or firm user's email.
 */
export async function searchAuditLog(
  ctx: ServiceContext,
  q: AuditQuery,
): Promise<{ rows: AuditRow[]; next: string | null }> {
  const db = ctx.db.kysely;
  const before = q.cursor ? Number(decodeCursor(['audit'], q.cursor, 1).key[0]) : null;
  let query = db
    .selectFrom('auditLog')
    .leftJoin('users', 'users.id', 'auditLog.actorId')
    .select([
      'auditLog.id',
      'auditLog.at',
      'auditLog.actorKind',
      'auditLog.actorId',
      'users.email as actorEmail',
      'auditLog.action',
      'auditLog.subjectKind',
      'auditLog.subjectId',
      'auditLog.detail',
    ]);
  if (q.subject) {
    const subject = q.subject;
    query = query.where((eb) =>
      eb.or([eb('auditLog.subjectId', '=', subject), eb('auditLog.subjectKind', '=', subject)]),
    );
  }
  if (q.actor) {
    const actor = q.actor;
    // An email names a user: look its id up first, so the log is searched by actor id (indexed)
    // rather than joined to users row by row.
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', actor.toLowerCase())
      .executeTakeFirst();
    const ids = user ? [actor, user.id] : [actor];
    // A kind (system, buyer, …) names thousands of entries; anything else is an id, which the
    // index on actor_id finds without reading the log.
    query = (ACTOR_KINDS as readonly string[]).includes(actor)
      ? query.where((eb) =>
          eb.or([eb('auditLog.actorId', 'in', ids), eb('auditLog.actorKind', '=', actor)]),
        )
      : query.where('auditLog.actorId', 'in', ids);
  }
  if (before !== null) query = query.where('auditLog.id', '<', before);
  if (q.from) query = query.where('auditLog.at', '>=', `${q.from}T00:00:00.000Z`);
  if (q.to) query = query.where('auditLog.at', '<', nextDay(q.to));
  const newest = (of: typeof query) =>
    of
      .orderBy('auditLog.id', 'desc')
      .limit(AUDIT_PAGE_SIZE + 1)
      .execute();
  let rows: Awaited<ReturnType<typeof newest>>;
  if (q.action) {
    // Actions are written in lower case and are few (dozens). A prefix names some of them: each
    // is read newest first from the index on (action, id), a page's worth at most, and the pages
    // are merged. One query over the whole prefix range let the planners walk the log backwards
    // by id until 50 entries matched: most of ten million entries for a rare action.
    const dialect = ctx.db.dialect;
    rows = [];
    for (const action of await actionsStartingWith(ctx, q.action.toLowerCase()))
      rows.push(
        ...(await newest(
          query.where(actionIs(dialect, action)).orderBy(actionColumn(dialect), 'desc'),
        )),
      );
    rows.sort((a, b) => Number(b.id) - Number(a.id));
    rows = rows.slice(0, AUDIT_PAGE_SIZE + 1);
  } else rows = await newest(query);
  const page = pageOf(rows, AUDIT_PAGE_SIZE, (r) => encodeCursor('audit', [Number(r.id)]));
  return {
    rows: page.rows.map((r) => ({ ...r, id: Number(r.id), detail: parseDetail(r.detail) })),
    next: page.next,
  };
}

/**
 * The distinct actions that start with `prefix`, in order: one index seek per action (a "loose
 * index scan"), never a read of the entries. Compared bytewise (PostgreSQL: the "C" collation
 * the index is built with, see migration 007), so the prefix range matches SQLite's order.
 */
async function actionsStartingWith(ctx: ServiceContext, prefix: string): Promise<string[]> {
  const upper = `${prefix}\u{10ffff}`;
  const column = actionColumn(ctx.db.dialect);
  const found = await sql<{ action: string }>`
    with recursive found(action) as (
      select (select action from audit_log where ${column} >= ${prefix} and ${column} < ${upper}
              order by ${column} limit 1)
      union all
      select (select action from audit_log where ${column} > found.action and ${column} < ${upper}
              order by ${column} limit 1)
      from found where found.action is not null
    )
    select action from found where action is not null`.execute(ctx.db.kysely);
  return found.rows.map((r) => r.action);
}

/**
 * One action, written as a range of one value and read in the index's own order (action, then
 * id, backwards): with `=`, PostgreSQL's planner counted on common actions being spread evenly and
 * walked the primary key backwards instead (58,000 entries read for 51 of `quote.submitted`).
 */
function actionIs(dialect: DialectName, action: string) {
  const column = actionColumn(dialect);
  return sql<boolean>`${column} >= ${action} and ${column} <= ${action}`;
}

function actionColumn(dialect: DialectName) {
  return dialect === 'postgres' ? sql`audit_log.action collate "C"` : sql`audit_log.action`;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS).toISOString();
}
