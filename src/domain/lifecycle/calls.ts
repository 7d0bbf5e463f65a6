import { callInterval, earliestStart, type Interval, overlaps } from '../calls/slots';
import {
  type Actor,
  allow,
  type BriefState,
  contactRelease,
  type Decision,
  type Effect,
  refuse,
  type Refusal,
  type RequestState,
} from './decisions';
import { type Standing, standingProblem } from './standing';
import { type CallStatus, isOpenRequest } from './states';

/**
 * The one short call, after the quotes: the buyer books it with the firm it prefers (more if it
 * wants, among the firms that accepted), picking a slot the firm publishes or offering three
 * times of its own for the firm to pick. The buyer's details reach the firm with the booking.
 * Two calls of one buyer never overlap, nor two of one firm; either side can reschedule or cancel.
 */

export interface CallState {
  id: string;
  briefId: string;
  firmId: string;
  status: CallStatus;
  /** Start of a booked call (ms since the epoch). */
  start: number | null;
  /** Times the buyer offered, while the call is `offered`. */
  offeredSlots: number[];
}

/** How many times a buyer offers when the firm's published slots do not suit it. */
export const OFFERED_SLOT_COUNT = 3;

export type Side = 'buyer' | 'firm';

const actorOf = (side: Side, firmActor: Actor): Actor =>
  side === 'buyer' ? { kind: 'buyer' } : firmActor;

/** Why a step that needs the call offered (the firm picks a time) or booked (a move) cannot run. */
const WRONG_STATUS: Record<'offered' | 'booked', Partial<Record<CallStatus, string>>> = {
  offered: { booked: 'This call is already booked.', cancelled: 'The buyer cancelled this call.' },
  booked: {
    offered: 'This call is not booked yet.',
    cancelled: 'This call was cancelled: book a new one.',
  },
};

function statusRefusal(call: CallState, needed: 'offered' | 'booked'): Refusal | null {
  if (call.status === needed) return null;
  return { status: 409, message: WRONG_STATUS[needed][call.status]! };
}

/** May a call with this firm be arranged at all now? */
function callRefusal(
  request: RequestState,
  brief: BriefState,
  standing: Standing,
  at: string,
): Refusal | null {
  if (brief.status !== 'accepted')
    return {
      status: 409,
      message: `${brief.firmName} has not accepted this brief, so no call can be booked with it.`,
    };
  if (!isOpenRequest(request, at))
    return { status: 410, message: 'This request is closed: no new calls.' };
  if (!request.contactHeld) return { status: 410, message: 'The buyer’s details were deleted.' };
  if (!standing.ok)
    return {
      status: 409,
      message: `A call with ${brief.firmName} cannot be arranged now: ${standingProblem(standing)}.`,
    };
  return null;
}

/** Why this start does not work, or null: notice, and no overlap with either side's calls. */
function slotRefusal(
  start: number,
  now: number,
  buyerBusy: readonly Interval[],
  firmBusy: readonly Interval[],
  field: string,
): Refusal | null {
  if (!Number.isFinite(start)) return { status: 400, field, message: 'Choose a time.' };
  if (start < earliestStart(now))
    return {
      status: 409,
      field,
      message: 'Choose a time at least a day ahead, so both sides can plan for it.',
    };
  const slot = callInterval(start);
  if (buyerBusy.some((b) => overlaps(b, slot)))
    return {
      status: 409,
      field,
      message: 'This time overlaps another call of yours. Choose another time.',
    };
  if (firmBusy.some((b) => overlaps(b, slot)))
    return { status: 409, field, message: 'The firm has another call then. Choose another time.' };
  return null;
}

/** The buyer's details go with the first booking with a firm (never twice). */
function releaseWithBooking(request: RequestState, brief: BriefState): Effect[] {
  if (brief.contactReleasedAt !== null) return [];
  return contactRelease(request, brief, 'booking');
}

function booked(
  request: RequestState,
  brief: BriefState,
  start: number,
  buyerTimeZone: string,
  by: Side,
  firmActor: Actor,
): Effect[] {
  return [
    { kind: 'call-booked', briefId: brief.id, firmId: brief.firmId, start, buyerTimeZone, by },
    ...releaseWithBooking(request, brief),
    {
      kind: 'webhook',
      briefId: brief.id,
      firmId: brief.firmId,
      event: 'call.booked',
      data: { startsAt: new Date(start).toISOString() },
    },
    {
      kind: 'audit',
      actor: actorOf(by, firmActor),
      action: 'call.booked',
      subjectKind: 'brief',
      subjectId: brief.id,
      detail: { firmId: brief.firmId, startsAt: new Date(start).toISOString() },
    },
  ];
}

/**
 * What every decision to book or move a call weighs: the request and the brief as stored, the
 * firm's standing, the calls either side has booked already, and the clock.
 */
export interface CallScene {
  request: RequestState;
  brief: BriefState;
  standing: Standing;
  buyerBusy: readonly Interval[];
  firmBusy: readonly Interval[];
  now: number;
  at: string;
}

export type Booking =
  | { kind: 'slot'; start: number; published: boolean }
  | { kind: 'offer'; slots: number[] };

/** The buyer books its short call with a firm that accepted: a published slot, or three times of its own. */
export function decideBooking(
  input: CallScene & {
    existing: CallState | undefined;
    booking: Booking;
    buyerTimeZone: string;
  },
): Decision {
  const { request, brief, booking, now } = input;
  const closed = callRefusal(request, brief, input.standing, input.at);
  if (closed) return refuse(closed);
  if (input.existing && input.existing.status !== 'cancelled') {
    return refuse({
      status: 409,
      message: `You already have a call with ${brief.firmName}: reschedule or cancel it instead.`,
    });
  }
  if (booking.kind === 'slot') {
    if (!booking.published)
      return refuse({
        status: 409,
        field: 'slot',
        message: `That time is not one ${brief.firmName} offers. Choose one of its times, or offer three of your own.`,
      });
    const bad = slotRefusal(booking.start, now, input.buyerBusy, input.firmBusy, 'slot');
    if (bad) return refuse(bad);
    return allow(
      booked(request, brief, booking.start, input.buyerTimeZone, 'buyer', { kind: 'buyer' }),
    );
  }
  const slots = [...new Set(booking.slots)].sort((a, b) => a - b);
  if (slots.length !== OFFERED_SLOT_COUNT)
    return refuse({
      status: 400,
      field: 'offered',
      message: `Offer ${OFFERED_SLOT_COUNT} different times.`,
    });
  for (const [i, start] of slots.entries()) {
    const bad = slotRefusal(start, now, input.buyerBusy, [], `offered.${i}`);
    if (bad) return refuse(bad);
    if (
      slots.some((other) => other !== start && overlaps(callInterval(other), callInterval(start)))
    ) {
      return refuse({
        status: 400,
        field: `offered.${i}`,
        message: 'Offer times at least 30 minutes apart.',
      });
    }
  }
  return allow([
    {
      kind: 'call-offered',
      briefId: brief.id,
      firmId: brief.firmId,
      slots,
      buyerTimeZone: input.buyerTimeZone,
    },
    {
      kind: 'audit',
      actor: { kind: 'buyer' },
      action: 'call.offered',
      subjectKind: 'brief',
      subjectId: brief.id,
      detail: { firmId: brief.firmId, offered: slots.map((s) => new Date(s).toISOString()) },
    },
  ]);
}

/** The firm picks one of the times the buyer offered: the call is booked, and the details go with it. */
export function decidePick(
  input: CallScene & { call: CallState; start: number; firmActor: Actor },
): Decision {
  const { request, brief, call, start } = input;
  const closed =
    callRefusal(request, brief, input.standing, input.at) ?? statusRefusal(call, 'offered');
  if (closed) return refuse(closed);
  if (!call.offeredSlots.includes(start))
    return refuse({
      status: 400,
      field: 'slot',
      message: 'Pick one of the times the buyer offered.',
    });
  const bad = slotRefusal(start, input.now, input.buyerBusy, input.firmBusy, 'slot');
  if (bad) return refuse(bad);
  return allow(booked(request, brief, start, '', 'firm', input.firmActor));
}

/**
 * Either side moves a booked call. The buyer moves it to another of the firm's published slots;
 * the firm to a time of its own. The invitation is updated (same UID, higher SEQUENCE).
 */
export function decideReschedule(
  input: CallScene & {
    call: CallState;
    start: number;
    by: Side;
    /** For the buyer: whether `start` is one of the firm's published slots. */
    published: boolean;
    firmActor: Actor;
  },
): Decision {
  const { request, brief, call, start, by } = input;
  const closed =
    callRefusal(request, brief, input.standing, input.at) ?? statusRefusal(call, 'booked');
  if (closed) return refuse(closed);
  if (call.start === start)
    return refuse({ status: 409, field: 'slot', message: 'The call is already at that time.' });
  if (by === 'buyer' && !input.published)
    return refuse({
      status: 409,
      field: 'slot',
      message: `That time is not one ${brief.firmName} offers.`,
    });
  const bad = slotRefusal(start, input.now, input.buyerBusy, input.firmBusy, 'slot');
  if (bad) return refuse(bad);
  return allow([
    {
      kind: 'call-rescheduled',
      callId: call.id,
      briefId: brief.id,
      firmId: brief.firmId,
      start,
      by,
    },
    {
      kind: 'webhook',
      briefId: brief.id,
      firmId: brief.firmId,
      event: 'call.booked',
      data: { startsAt: new Date(start).toISOString(), rescheduled: true },
    },
    {
      kind: 'audit',
      actor: actorOf(by, input.firmActor),
      action: 'call.rescheduled',
      subjectKind: 'brief',
      subjectId: brief.id,
      detail: {
        firmId: brief.firmId,
        from: call.start === null ? null : new Date(call.start).toISOString(),
        to: new Date(start).toISOString(),
      },
    },
  ]);
}

/** Either side cancels a call (offered or booked); a booked one's invitation is cancelled too. */
export function decideCancel(input: {
  brief: BriefState;
  call: CallState;
  by: Side | 'system';
  reason: string;
  firmActor: Actor;
}): Decision {
  const { brief, call, by } = input;
  if (call.status === 'cancelled')
    return refuse({ status: 409, message: 'This call is already cancelled.' });
  return allow([
    {
      kind: 'call-cancelled',
      callId: call.id,
      briefId: brief.id,
      firmId: brief.firmId,
      by,
      reason: input.reason,
      wasBooked: call.status === 'booked',
    },
    {
      kind: 'webhook',
      briefId: brief.id,
      firmId: brief.firmId,
      event: 'call.cancelled',
      data: { by, reason: input.reason },
    },
    {
      kind: 'audit',
      actor:
        by === 'firm' ? input.firmActor : by === 'buyer' ? { kind: 'buyer' } : { kind: 'system' },
      action: 'call.cancelled',
      subjectKind: 'brief',
      subjectId: brief.id,
      detail: { firmId: brief.firmId, by, reason: input.reason },
    },
  ]);
}
