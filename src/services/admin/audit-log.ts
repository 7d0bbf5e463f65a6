import { sql } from 'kysely';
import { z } from 'zod';
import type { ServiceContext } from '../context';
import { plainText } from '../../domain/text';
import { escapeLike } from './firms';

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
    page: z.coerce
      .number('must be a number')
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(10_000, 'must be at most 10000')
      .default(1),
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
): Promise<{ rows: AuditRow[]; hasMore: boolean }> {
  const db = ctx.db.kysely;
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
  if (q.action)
    query = query.where(
      sql<boolean>`lower(audit_log.action) like ${`${escapeLike(q.action)}%`} escape '\\'`,
    );
  if (q.subject) {
    const subject = q.subject;
    query = query.where((eb) =>
      eb.or([eb('auditLog.subjectId', '=', subject), eb('auditLog.subjectKind', '=', subject)]),
    );
  }
  if (q.actor) {
    const actor = q.actor;
    const email = actor.toLowerCase();
    query = query.where((eb) =>
      eb.or([
        eb('auditLog.actorId', '=', actor),
        eb('auditLog.actorKind', '=', actor),
        eb('users.email', '=', email),
      ]),
    );
  }
  if (q.from) query = query.where('auditLog.at', '>=', `${q.from}T00:00:00.000Z`);
  if (q.to) query = query.where('auditLog.at', '<', nextDay(q.to));
  const rows = await query
    .orderBy('auditLog.id', 'desc')
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((q.page - 1) * AUDIT_PAGE_SIZE)
    .execute();
  return {
    rows: rows
      .slice(0, AUDIT_PAGE_SIZE)
      .map((r) => ({ ...r, id: Number(r.id), detail: parseDetail(r.detail) })),
    hasMore: rows.length > AUDIT_PAGE_SIZE,
  };
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();
}
