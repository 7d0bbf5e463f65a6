import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type CallRow, lockFirmCalendar, toCallState } from '../db/requests';
import type { Database } from '../db/schema';
import {
  type AvailabilityWindow,
  callInterval,
  type Interval,
  isPublishedSlot,
  openSlots,
} from '../domain/calls/slots';
import { isTimeZone } from '../domain/calls/zones';
import {
  type Booking,
  type CallScene,
  type CallState,
  decideBooking,
  decideCancel,
  decidePick,
  decideReschedule,
} from '../domain/lifecycle/calls';
import type { Decision } from '../domain/lifecycle/decisions';
import { OPEN_REQUEST_STATUSES } from '../domain/lifecycle/states';
import { audit } from './audit';
import type { SessionUser } from './auth';
import { onRequest } from './briefs';
import { type ServiceContext, ServiceError } from './context';
import { assertOwnBrief, firmActor, type FirmWho, lifecycleActor } from './firm/actor';
import { firmIdOf } from './firm/profile';
import { standingsAt } from './lifecycle';
import { DAY_MS } from '../domain/matching/dates';

/**
 * The one short call, as a service: a firm's weekly availability, the slots a buyer may pick, and
 * booking, picking, rescheduling and cancelling — each one step of the lifecycle under the
 * request's lock, with the buyer's and the firm's calendars locked too, so that two calls of one
 * buyer (or one firm) never overlap, whatever runs at the same moment.
 */

/** A live call as the buyer's page and the firm's lead page show it, times as epoch milliseconds. */
export interface CallView {
  id: string;
  status: 'offered' | 'booked';
  start: number | null;
  offered: number[];
  buyerTimeZone: string;
}

export function callView(row: CallRow): CallView {
  const { start, offeredSlots } = toCallState(row);
  return {
    id: row.id,
    status: row.status as CallView['status'],
    start,
    offered: offeredSlots,
    buyerTimeZone: row.buyerTimeZone,
  };
}

export interface Availability {
  timeZone: string;
  windows: AvailabilityWindow[];
}

export async function availabilityOf(db: Kysely<Database>, firmId: string): Promise<Availability> {
  const [firm, windows] = await Promise.all([
    db.selectFrom('firms').select('timeZone').where('id', '=', firmId).executeTakeFirstOrThrow(),
    db
      .selectFrom('firmAvailability')
      .select(['weekday', 'startMinute', 'endMinute'])
      .where('firmId', '=', firmId)
      .orderBy('weekday')
      .orderBy('startMinute')
      .execute(),
  ]);
  return { timeZone: firm.timeZone, windows };
}

/** A firm publishes the weekly windows it takes short calls in, in its own time zone. */
export async function setAvailability(
  ctx: ServiceContext,
  user: SessionUser,
  availability: Availability,
): Promise<void> {
  const firmId = firmIdOf(user);
  if (!isTimeZone(availability.timeZone))
    throw new ServiceError(400, 'choose a time zone from the list', 'timeZone');
  const now = ctx.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable('firms')
      .set({ timeZone: availability.timeZone })
      .where('id', '=', firmId)
      .execute();
    await trx.deleteFrom('firmAvailability').where('firmId', '=', firmId).execute();
    for (const w of availability.windows) {
      await trx
        .insertInto('firmAvailability')
        .values({ id: randomUUID(), firmId, ...w })
        .execute();
    }
    await audit(trx, now, {
      actorKind: 'firm-user',
      actorId: user.id,
      action: 'firm.availability-updated',
      subjectKind: 'firm',
      subjectId: firmId,
      detail: { timeZone: availability.timeZone, windows: availability.windows.length },
    });
  });
}

/** Booked calls of every open request of this buyer (one address), and of this firm. */
/**
 * The buyer's and the firm's booked calls that can still clash with a new time: those starting
 * from a day before `now` on (a busy firm has thousands of past calls, which no new time can meet).
 */
async function busy(
  trx: Kysely<Database>,
  now: Date,
  request: { emailHash: string | null; id: string },
  firmId: string,
  except?: string,
): Promise<{ buyer: Interval[]; firm: Interval[] }> {
  const buyerRequests = request.emailHash
    ? (
        await trx
          .selectFrom('quoteRequests')
          .select('id')
          .where('emailHash', '=', request.emailHash)
          .where('status', 'in', [...OPEN_REQUEST_STATUSES])
          .execute()
      ).map((r) => r.id)
    : [request.id];
  const booked = await trx
    .selectFrom('calls')
    .select(['id', 'requestId', 'firmId', 'startsAt'])
    .where('status', '=', 'booked')
    .where('startsAt', '>=', new Date(now.getTime() - DAY_MS).toISOString())
    .where((eb) =>
      eb.or([
        eb('requestId', 'in', buyerRequests.length ? buyerRequests : [request.id]),
        eb('firmId', '=', firmId),
      ]),
    )
    .execute();
  const intervals = (rows: typeof booked) =>
    rows
      .filter((c) => c.id !== except && c.startsAt !== null)
      .map((c) => callInterval(Date.parse(c.startsAt!)));
  return {
    buyer: intervals(booked.filter((c) => buyerRequests.includes(c.requestId))),
    firm: intervals(booked.filter((c) => c.firmId === firmId)),
  };
}

async function callOfBrief(trx: Kysely<Database>, briefId: string): Promise<CallState | undefined> {
  const row = await trx
    .selectFrom('calls')
    .selectAll()
    .where('briefId', '=', briefId)
    .where('status', '!=', 'cancelled')
    .executeTakeFirst();
  return row ? toCallState(row) : undefined;
}

/** The firm's published times the buyer can pick for a call about this brief, none clashing with either side's calls. */
export async function slotsFor(
  ctx: ServiceContext,
  requestId: string,
  briefId: string,
): Promise<{ timeZone: string; slots: number[] }> {
  const db = ctx.db.kysely;
  const [request, brief] = await Promise.all([
    db
      .selectFrom('quoteRequests')
      .select(['id', 'emailHash'])
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('briefs')
      .select(['firmId', 'status'])
      .where('id', '=', briefId)
      .where('requestId', '=', requestId)
      .executeTakeFirst(),
  ]);
  if (!brief || brief.status !== 'accepted') return { timeZone: 'UTC', slots: [] };
  const availability = await availabilityOf(db, brief.firmId);
  const taken = await busy(db, ctx.now(), request, brief.firmId);
  return {
    timeZone: availability.timeZone,
    slots: openSlots({
      windows: availability.windows,
      timeZone: availability.timeZone,
      now: ctx.now().getTime(),
      busy: [...taken.buyer, ...taken.firm],
    }),
  };
}

/**
 * Runs a call step with the buyer's calendar and the firm's locked, in that order, and hands it
 * the scene every call decision weighs (the call being moved, `except`, does not count as busy).
 */
function onCall<T>(
  ctx: ServiceContext,
  requestId: string,
  brief: { id: string; firmId: string },
  step: (
    s: RequestStep<T> & { scene: CallScene },
  ) => ReturnType<Parameters<typeof onRequest<T>>[2]>,
  except?: string,
): Promise<T> {
  return onRequest<T>(
    ctx,
    requestId,
    async (s) => {
      await lockFirmCalendar(s.trx, ctx.db.dialect, brief.firmId);
      const current = s.state.briefs.find((b) => b.id === brief.id)!;
      const standings = await standingsAt(s.trx, 'read-contact', s.scope, [brief.firmId], s.now);
      const taken = await busy(s.trx, s.now, s.request, brief.firmId, except);
      const scene: CallScene = {
        request: s.state,
        brief: current,
        standing: standings.get(brief.firmId)!,
        buyerBusy: taken.buyer,
        firmBusy: taken.firm,
        now: s.now.getTime(),
        at: s.at,
      };
      return step({ ...s, scene });
    },
    { buyerLock: true },
  );
}

type RequestStep<T> = Parameters<Parameters<typeof onRequest<T>>[2]>[0];

/** A call as the lifecycle decides on it, read inside the step's transaction. */
async function callState(trx: Kysely<Database>, callId: string): Promise<CallState> {
  return toCallState(
    await trx.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirstOrThrow(),
  );
}

/** The buyer books its short call with a firm that accepted: a published slot, or three times of its own. */
export async function bookCall(
  ctx: ServiceContext,
  requestId: string,
  briefId: string,
  booking: Booking,
  buyerTimeZone: string,
): Promise<void> {
  if (!isTimeZone(buyerTimeZone)) throw new ServiceError(400, 'choose your time zone', 'timeZone');
  const brief = await ctx.db.kysely
    .selectFrom('briefs')
    .select('firmId')
    .where('id', '=', briefId)
    .where('requestId', '=', requestId)
    .executeTakeFirst();
  if (!brief) throw new ServiceError(404, 'This firm did not receive your brief.', 'brief');
  await onCall<void>(
    ctx,
    requestId,
    { id: briefId, firmId: brief.firmId },
    async ({ trx, scene }) => {
      const availability = await availabilityOf(trx, brief.firmId);
      const decision = decideBooking({
        ...scene,
        existing: await callOfBrief(trx, briefId),
        booking:
          booking.kind === 'slot'
            ? {
                ...booking,
                published: isPublishedSlot(
                  booking.start,
                  availability.windows,
                  availability.timeZone,
                ),
              }
            : booking,
        buyerTimeZone,
      });
      return { decision, result: undefined };
    },
  );
}

export type CallSide = { side: 'buyer'; requestId: string } | { side: 'firm'; who: FirmWho };

/** The call, its brief and request, checked against who acts on it. */
async function callFor(ctx: ServiceContext, side: CallSide, callId: string) {
  const call = await ctx.db.kysely
    .selectFrom('calls')
    .select(['id', 'briefId', 'requestId', 'firmId'])
    .where('id', '=', callId)
    .executeTakeFirst();
  if (side.side === 'buyer') {
    if (!call || call.requestId !== side.requestId)
      throw new ServiceError(404, 'This call is not one of yours.');
    return { call, firmActor: null };
  }
  const actor = firmActor(side.who);
  assertOwnBrief(actor, call ? { id: call.briefId, firmId: call.firmId } : undefined);
  return { call: call!, firmActor: actor };
}

/** The firm picks one of the times the buyer offered. */
export async function pickOfferedTime(
  ctx: ServiceContext,
  who: FirmWho,
  callId: string,
  start: number,
): Promise<void> {
  const { call, firmActor: actor } = await callFor(ctx, { side: 'firm', who }, callId);
  await onCall<void>(
    ctx,
    call.requestId,
    { id: call.briefId, firmId: call.firmId },
    async ({ trx, scene }) => {
      const decision = decidePick({
        ...scene,
        call: await callState(trx, callId),
        start,
        firmActor: lifecycleActor(actor!),
      });
      return { decision, result: undefined };
    },
  );
}

/** Either side moves a booked call: the buyer to another published slot, the firm to a time of its own. */
export async function rescheduleCall(
  ctx: ServiceContext,
  side: CallSide,
  callId: string,
  start: number,
): Promise<void> {
  const { call, firmActor: actor } = await callFor(ctx, side, callId);
  await onCall<void>(
    ctx,
    call.requestId,
    { id: call.briefId, firmId: call.firmId },
    async ({ trx, scene }) => {
      const availability = await availabilityOf(trx, call.firmId);
      const decision = decideReschedule({
        ...scene,
        call: await callState(trx, callId),
        start,
        by: side.side,
        published: isPublishedSlot(start, availability.windows, availability.timeZone),
        firmActor: actor ? lifecycleActor(actor) : { kind: 'buyer' },
      });
      return { decision, result: undefined };
    },
    callId,
  );
}

/** Either side cancels a call; a booked one's invitation is cancelled in both calendars. */
export async function cancelCall(
  ctx: ServiceContext,
  side: CallSide,
  callId: string,
  reason: string,
): Promise<void> {
  const { call, firmActor: actor } = await callFor(ctx, side, callId);
  await onRequest<void>(ctx, call.requestId, async ({ trx, state }) => {
    const decision: Decision = decideCancel({
      brief: state.briefs.find((b) => b.id === call.briefId)!,
      call: await callState(trx, callId),
      by: side.side,
      reason,
      firmActor: actor ? lifecycleActor(actor) : { kind: 'buyer' },
    });
    return { decision, result: undefined };
  });
}
