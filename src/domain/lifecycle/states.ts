/**
 * The states a quote request, its proposals, its briefs and its quotes move through, and the
 * moves each allows. Stored status columns hold exactly these words (src/db/schema.ts types
 * them with these unions); every change of state is decided in ./decisions.ts and checked
 * against these tables before it is stored.
 */

export const REQUEST_STATUSES = [
  /** Sent, but the buyer has not proved the address yet: nothing leaves Auditmatch. */
  'unconfirmed',
  /** Address confirmed and matched: the buyer chooses whom to hear from. */
  'confirmed',
  /** At least one brief sent. */
  'active',
  /** Stopped by the buyer (or replaced by a newer request for the same need). */
  'withdrawn',
  /** Never confirmed in time. */
  'expired',
  /** The buyer erased its data. */
  'deleted',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/**
 * How long a request stays open after its confirmation: then it takes no new firms, and its
 * contact is purged after the retention period. Everything that happens on a request (a brief
 * sent, accepted, due to quote) happens within it.
 */
export const REQUEST_LIFETIME_DAYS = 60;

/** Requests the buyer can still act on; later states only allow reading and deleting. */
export const OPEN_REQUEST_STATUSES: readonly RequestStatus[] = ['confirmed', 'active'];

export const REQUEST_TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  unconfirmed: ['confirmed', 'withdrawn', 'expired', 'deleted'],
  confirmed: ['active', 'withdrawn', 'deleted'],
  active: ['withdrawn', 'deleted'],
  withdrawn: ['deleted'],
  expired: ['deleted'],
  deleted: [],
};

export const PROPOSAL_STATUSES = [
  /** One of the three firms the matcher proposed; the buyer may choose it. */
  'proposed',
  /** The next best fits, kept to explain the match and to offer replacements. */
  'alternate',
  /** The buyer sent this firm its brief. */
  'chosen',
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const BRIEF_STATUSES = ['sent', 'accepted', 'declined', 'expired', 'withdrawn'] as const;
export type BriefStatus = (typeof BRIEF_STATUSES)[number];

/** Briefs that hold, or may soon hold, the buyer's contact: these count against the limit of three. */
export const ACTIVE_BRIEF_STATUSES: readonly BriefStatus[] = ['sent', 'accepted'];

export const BRIEF_TRANSITIONS: Record<BriefStatus, readonly BriefStatus[]> = {
  sent: ['accepted', 'declined', 'expired', 'withdrawn'],
  // An accepted brief expires when the firm lets its quote window pass without quoting.
  accepted: ['withdrawn', 'expired'],
  declined: [],
  expired: [],
  withdrawn: [],
};

/** Why a brief was withdrawn. The firm-side reasons leave the buyer a place to fill. */
export const WITHDRAWAL_REASONS = [
  'buyer-withdrew',
  'buyer-kept-another-firm',
  'request-replaced',
  'request-deleted',
  'firm-suspended',
  'firm-no-longer-eligible',
] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

export const FIRM_SIDE_WITHDRAWALS: readonly WithdrawalReason[] = [
  'firm-suspended',
  'firm-no-longer-eligible',
];

export const QUOTE_STATUSES = ['submitted', 'chosen', 'withdrawn'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

export const CALL_STATUSES = [
  /** The buyer offered three times of its own; the firm is to pick one. */
  'offered',
  /** A time both sides have; the buyer's details reached the firm with the booking. */
  'booked',
  'cancelled',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const CALL_TRANSITIONS: Record<CallStatus, readonly CallStatus[]> = {
  offered: ['booked', 'cancelled'],
  // A reschedule stays booked, with a higher iCalendar sequence.
  booked: ['booked', 'cancelled'],
  cancelled: [],
};

/** At most this many firms hold, or may soon hold, one buyer's contact, across all its open requests. */
export const MAX_FIRMS_PER_BUYER = 3;

export function canMoveRequest(from: RequestStatus, to: RequestStatus): boolean {
  return REQUEST_TRANSITIONS[from].includes(to);
}

export function canMoveBrief(from: BriefStatus, to: BriefStatus): boolean {
  return BRIEF_TRANSITIONS[from].includes(to);
}

export function isActiveBrief(status: BriefStatus): boolean {
  return ACTIVE_BRIEF_STATUSES.includes(status);
}

/** Open: in an open status and not past its end (a request lives a fixed time after confirmation). */
export function isOpenRequest(
  request: { status: RequestStatus; expiresAt: string },
  at: string,
): boolean {
  return OPEN_REQUEST_STATUSES.includes(request.status) && request.expiresAt >= at;
}
