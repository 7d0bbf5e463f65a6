import type { Expression, ExpressionBuilder, SqlBool, Updateable } from 'kysely';
import type { CallRow } from '../db/requests';
import type { CallsTable, Database } from '../db/schema';
import { firmLead, loadFirm } from '../db/firms';
import { type Effect, WITHDRAWAL_WORDS } from '../domain/lifecycle/decisions';
import { CALL_MINUTES } from '../domain/calls/slots';
import { localTimeLabel } from '../domain/calls/zones';
import type { Email } from '../outbox/email';
import { queueEmail } from '../outbox/queue';
import { ServiceError } from './context';
import { changed } from './decisions';
import {
  type BuyerContactLines,
  briefAcceptedEmail,
  callBookedBuyerEmail,
  callBookedFirmEmail,
  callCancelledEmail,
  callOfferedFirmEmail,
  contactSharedEmail,
  declinedEmail,
  quoteLapsedFirmEmail,
  withdrawnEmail,
} from './emails';
import { callInvitation } from './invitations';
import type { Applying } from './lifecycle';
import { briefLink } from './lifecycle';
import { buyerAddress, newPrivateLink } from './private-links';

/**
 * What the buyer and the firm are told when the lifecycle moves: the words are in emails.ts, the
 * calendar in invitations.ts; here each effect becomes outbox messages, each with a key that
 * makes it unique, and every message carries the link it speaks of.
 */

const day = (iso: string) => iso.slice(0, 10);

/** The buyer's details, decrypted for a message to a firm that holds them now. */
function buyerContact(a: Applying): BuyerContactLines {
  const r = a.request;
  if (!r.contactEmailEnc || !r.contactNameEnc || !r.companyEnc)
    throw new ServiceError(410, 'The buyer has deleted its data.');
  const open = (v: string) => a.ctx.secrets.decrypt(v);
  return {
    name: open(r.contactNameEnc),
    email: open(r.contactEmailEnc),
    company: open(r.companyEnc),
    phone: r.phoneEnc ? open(r.phoneEnc) : null,
  };
}

/** The firm's lead page for this brief, from an email: the signed link works until the request ends. */
export function leadLinkFor(a: Pick<Applying, 'ctx' | 'request'>, briefId: string): string {
  return briefLink(a.ctx, briefId, new Date(a.request.expiresAt));
}

async function email(a: Applying, key: string, message: Email): Promise<void> {
  await queueEmail(a.trx, a.ctx.secrets, `req:${a.request.id}:${key}`, message, a.now);
}

export async function tellBuyer(
  a: Applying,
  e: Extract<Effect, { kind: 'tell-buyer' }>,
): Promise<void> {
  const r = a.request;
  // A buyer whose data is being erased is sent nothing more (see Applying.erasing).
  const buyer = a.erasing ? null : buyerAddress(a.ctx.secrets, r);
  if (!buyer) return;
  const why =
    e.about === 'brief-declined'
      ? 'declined'
      : e.about === 'brief-expired'
        ? 'expired'
        : e.about === 'quote-lapsed'
          ? 'quote-lapsed'
          : 'withdrawn-by-firm';
  // Keys keep the words earlier messages used (':declined', ':expired'): a message is never queued twice.
  const link = await newPrivateLink(a.trx, a.ctx, r.id, a.now);
  await email(
    a,
    `brief:${e.briefId}:${e.about === 'brief-declined' || e.about === 'brief-expired' ? why : e.about}`,
    declinedEmail(buyer.email, buyer.name, e.firmName, why, link),
  );
}

export async function tellFirm(
  a: Applying,
  e: Extract<Effect, { kind: 'tell-firm' }>,
): Promise<void> {
  const lead = await firmLead(a.trx, e.firmId);
  if (!lead) return;
  const n = e.notice;
  const link = leadLinkFor(a, e.briefId);
  const addressee = { to: lead.email, firmName: lead.name, reference: a.request.reference };
  const tell = (about: string, message: Email) => email(a, `brief:${e.briefId}:${about}`, message);
  switch (n.about) {
    case 'withdrawn':
      // A brief that never reached the firm's inbox needs no word: drop its unsent brief email.
      await a.trx
        .deleteFrom('outbox')
        .where('idempotencyKey', '=', `req:${a.request.id}:brief:${e.briefId}:sent`)
        .where('status', '=', 'pending')
        .execute();
      return tell(
        'withdrawn',
        withdrawnEmail({
          ...addressee,
          reason: WITHDRAWAL_WORDS[n.reason],
          company:
            n.heldContact && a.request.companyEnc && !a.erasing
              ? a.ctx.secrets.decrypt(a.request.companyEnc)
              : null,
          heldContact: n.heldContact,
          leadUrl: link,
        }),
      );
    case 'accepted':
      return tell(
        'accepted',
        briefAcceptedEmail({
          ...addressee,
          quoteBy: `${day(n.quoteBy)} ${n.quoteBy.slice(11, 16)} UTC`,
          leadLink: link,
          workspaceUrl: `${a.ctx.config.publicUrl}/firm/leads/${e.briefId}`,
        }),
      );
    case 'quote-lapsed':
      return tell(
        'quote-lapsed-firm',
        quoteLapsedFirmEmail(lead.email, lead.name, a.request.reference),
      );
    case 'contact-shared':
      return tell(
        'contact-shared',
        contactSharedEmail(lead.email, lead.name, a.request.reference, buyerContact(a), link),
      );
  }
}

type CallEffect = Extract<
  Effect,
  { kind: 'call-booked' | 'call-offered' | 'call-rescheduled' | 'call-cancelled' }
>;

export async function applyCallEffect(a: Applying, e: CallEffect): Promise<void> {
  const { trx, now } = a;
  const at = now.toISOString();
  switch (e.kind) {
    case 'call-offered': {
      await insertCall(a, crypto.randomUUID(), e, {
        status: 'offered',
        startsAt: null,
        endsAt: null,
        offeredSlots: JSON.stringify(e.slots.map((s) => new Date(s).toISOString())),
        buyerTimeZone: e.buyerTimeZone,
      });
      const firm = await loadFirm(trx, e.firmId);
      const row = await trx
        .selectFrom('firms')
        .select(['leadEmail', 'timeZone'])
        .where('id', '=', e.firmId)
        .executeTakeFirstOrThrow();
      if (!firm || !row.leadEmail) return;
      return email(
        a,
        `brief:${e.briefId}:call-offered:${e.slots[0]}`,
        callOfferedFirmEmail({
          to: row.leadEmail,
          firmName: firm.name,
          reference: a.request.reference,
          times: e.slots.map(
            (s) =>
              `${localTimeLabel(s, row.timeZone)} — the buyer's ${localTimeLabel(s, e.buyerTimeZone)}`,
          ),
          link: leadLinkFor(a, e.briefId),
        }),
      );
    }
    case 'call-booked': {
      const offered = await trx
        .selectFrom('calls')
        .selectAll()
        .where('briefId', '=', e.briefId)
        .where('status', '=', 'offered')
        .executeTakeFirst();
      const start = new Date(e.start).toISOString();
      const end = new Date(e.start + CALL_MINUTES * 60_000).toISOString();
      let callId: string;
      let buyerTimeZone = e.buyerTimeZone;
      if (offered) {
        // The firm picked one of the buyer's times: the offered call becomes the booked one.
        callId = offered.id;
        buyerTimeZone = offered.buyerTimeZone;
        await trx
          .updateTable('calls')
          .set({
            status: 'booked',
            startsAt: start,
            endsAt: end,
            offeredSlots: null,
            updatedAt: at,
          })
          .where('id', '=', offered.id)
          .where('status', '=', 'offered')
          .execute();
      } else {
        callId = crypto.randomUUID();
        await insertCall(a, callId, e, {
          status: 'booked',
          startsAt: start,
          endsAt: end,
          offeredSlots: null,
          buyerTimeZone,
        });
      }
      return sendInvitations(a, {
        callId,
        briefId: e.briefId,
        firmId: e.firmId,
        start: e.start,
        sequence: 0,
        buyerTimeZone,
        kind: 'booked',
      });
    }
    case 'call-rescheduled': {
      const { call, sequence } = await resequenceCall(
        a,
        e.callId,
        {
          startsAt: new Date(e.start).toISOString(),
          endsAt: new Date(e.start + CALL_MINUTES * 60_000).toISOString(),
        },
        (eb, read) => eb.and([eb('sequence', '=', read.sequence), eb('status', '=', 'booked')]),
        'This call changed a moment ago; reload to see it.',
      );
      return sendInvitations(a, {
        callId: e.callId,
        briefId: e.briefId,
        firmId: e.firmId,
        start: e.start,
        sequence,
        buyerTimeZone: call.buyerTimeZone,
        kind: 'rescheduled',
      });
    }
    case 'call-cancelled': {
      const { call, sequence } = await resequenceCall(
        a,
        e.callId,
        { status: 'cancelled', cancelledBy: e.by, cancelReason: e.reason },
        (eb) => eb('status', '!=', 'cancelled'),
        'This call was cancelled a moment ago.',
      );
      if (!e.wasBooked || call.startsAt === null) return;
      return sendInvitations(a, {
        callId: e.callId,
        briefId: e.briefId,
        firmId: e.firmId,
        start: Date.parse(call.startsAt),
        sequence,
        buyerTimeZone: call.buyerTimeZone,
        kind: 'cancelled',
        by: e.by,
        reason: e.reason,
      });
    }
  }
}

/** A new call of a brief, offered or booked: not yet in any calendar, so at SEQUENCE 0. */
async function insertCall(
  a: Applying,
  id: string,
  of: { briefId: string; firmId: string },
  call: Pick<CallRow, 'status' | 'startsAt' | 'endsAt' | 'offeredSlots' | 'buyerTimeZone'>,
): Promise<void> {
  const at = a.now.toISOString();
  await a.trx
    .insertInto('calls')
    .values({
      id,
      briefId: of.briefId,
      requestId: a.request.id,
      firmId: of.firmId,
      ...call,
      sequence: 0,
      createdAt: at,
      updatedAt: at,
      cancelledBy: null,
      cancelReason: null,
    })
    .execute();
}

/**
 * Changes a call that calendars already hold: one more iCalendar SEQUENCE, written only while
 * the call is still as it was read, so of two changes at once the second is refused.
 */
async function resequenceCall(
  a: Applying,
  callId: string,
  change: Updateable<CallsTable>,
  stillAsRead: (eb: ExpressionBuilder<Database, 'calls'>, read: CallRow) => Expression<SqlBool>,
  refusal: string,
): Promise<{ call: CallRow; sequence: number }> {
  const call = await a.trx
    .selectFrom('calls')
    .selectAll()
    .where('id', '=', callId)
    .executeTakeFirstOrThrow();
  const sequence = call.sequence + 1;
  const moved = await a.trx
    .updateTable('calls')
    .set({ ...change, sequence, updatedAt: a.now.toISOString() })
    .where('id', '=', callId)
    .where((eb) => stillAsRead(eb, call))
    .executeTakeFirst();
  changed(moved.numUpdatedRows, refusal);
  return { call, sequence };
}

/**
 * One invitation per side, each in its own email with its own local times: a booked call, its
 * update after a reschedule (same UID, higher SEQUENCE), or its cancellation (METHOD:CANCEL).
 */
async function sendInvitations(
  a: Applying,
  c: {
    callId: string;
    briefId: string;
    firmId: string;
    start: number;
    sequence: number;
    buyerTimeZone: string;
    kind: 'booked' | 'rescheduled' | 'cancelled';
    by?: string;
    reason?: string;
  },
): Promise<void> {
  const firm = await a.trx
    .selectFrom('firms')
    .select(['name', 'leadEmail', 'timeZone'])
    .where('id', '=', c.firmId)
    .executeTakeFirstOrThrow();
  // While the buyer's data is erased only a cancellation can happen, and only the firm hears it.
  if (a.erasing && c.kind !== 'cancelled') return;
  const buyer = a.erasing ? null : buyerContact(a);
  const organizer = firm.leadEmail
    ? { name: firm.name, email: firm.leadEmail }
    : {
        name: 'Auditmatch',
        email: /<([^>]+)>/.exec(a.ctx.config.mailFrom)?.[1] ?? a.ctx.config.mailFrom,
      };
  const ics = callInvitation({
    uid: `call-${c.callId}@auditmatch`,
    sequence: c.sequence,
    method: c.kind === 'cancelled' ? 'CANCEL' : 'REQUEST',
    start: c.start,
    end: c.start + CALL_MINUTES * 60_000,
    summary: `Short call: ${buyer ? `${buyer.company} and ` : ''}${firm.name} (request ${a.request.reference})`,
    description: `The one short call about request ${a.request.reference}, after the quotes. Reschedule or cancel from your Auditmatch page.`,
    organizer,
    attendees: [
      ...(buyer ? [{ name: buyer.name, email: buyer.email }] : []),
      ...(firm.leadEmail ? [{ name: firm.name, email: firm.leadEmail }] : []),
    ],
    now: a.now,
  });
  const buyerTime = localTimeLabel(c.start, c.buyerTimeZone);
  const firmTime = localTimeLabel(c.start, firm.timeZone);
  const buyerLink = buyer ? await newPrivateLink(a.trx, a.ctx, a.request.id, a.now) : '';
  const firmLink = leadLinkFor(a, c.briefId);
  const key = `brief:${c.briefId}:call:${c.callId}:${c.sequence}`;
  if (c.kind === 'cancelled') {
    const reason = c.reason ?? 'cancelled';
    // Each side hears it in its own time, with its own link; "by the other side" from its view.
    const buyerSide = {
      to: buyer?.email,
      name: buyer?.name ?? '',
      when: buyerTime,
      link: buyerLink,
    };
    const firmSide = { to: firm.leadEmail, name: firm.name, when: firmTime, link: firmLink };
    for (const [side, who, other, otherName] of [
      ['buyer', buyerSide, 'firm', firm.name],
      ['firm', firmSide, 'buyer', buyer?.company ?? 'the buyer'],
    ] as const) {
      if (!who.to) continue;
      await email(
        a,
        `${key}:${side}`,
        callCancelledEmail({ ...who, to: who.to, otherName, byOther: c.by === other, reason, ics }),
      );
    }
    return;
  }
  if (!buyer) return;
  const rescheduled = c.kind === 'rescheduled';
  await email(
    a,
    `${key}:buyer`,
    callBookedBuyerEmail({
      to: buyer.email,
      buyerName: buyer.name,
      firmName: firm.name,
      firmEmail: firm.leadEmail,
      buyerTime,
      firmTime,
      rescheduled,
      link: buyerLink,
      ics,
    }),
  );
  if (firm.leadEmail) {
    await email(
      a,
      `${key}:firm`,
      callBookedFirmEmail({
        to: firm.leadEmail,
        firmName: firm.name,
        reference: a.request.reference,
        contact: buyer,
        firmTime,
        buyerTime,
        rescheduled,
        link: firmLink,
        ics,
      }),
    );
  }
}
