import type { Proposal } from '../matching';
import type { FrameworkId } from '../vocabulary';
import { type Standing, standingProblem } from './standing';
import {
  type BriefStatus,
  canMoveBrief,
  FIRM_SIDE_WITHDRAWALS,
  isActiveBrief,
  isOpenRequest,
  MAX_FIRMS_PER_BUYER,
  type ProposalStatus,
  type QuoteStatus,
  type RequestStatus,
  type WithdrawalReason,
} from './states';

/**
 * One function per move of the request-and-brief lifecycle. Each takes the state as plain
 * values and returns a decision: allowed, or refused with a reason a person can read, and in
 * either case the effects to store (a refused accept can still withdraw a brief the firm may no
 * longer hold). Services load the state under the request's lock, decide here, and apply the
 * effects in the same transaction (src/services/lifecycle.ts).
 */

export interface BriefState {
  id: string;
  firmId: string;
  firmName: string;
  status: BriefStatus;
  respondBy: string;
  withdrawnReason: WithdrawalReason | null;
  /** When the buyer's details reached the firm (a booked call, or the buyer shared them); null before. */
  contactReleasedAt: string | null;
  /** After accepting: the firm committed to quote by then. */
  quoteBy: string | null;
}

export interface ProposalState {
  id: string;
  firmId: string;
  status: ProposalStatus;
}

export interface QuoteState {
  id: string;
  briefId: string;
  firmId: string;
  status: QuoteStatus;
}

export interface RequestState {
  id: string;
  reference: string;
  status: RequestStatus;
  expiresAt: string;
  /** False once the buyer's contact is erased (by the buyer or by retention). */
  contactHeld: boolean;
  frameworks: FrameworkId[];
  briefs: BriefState[];
  proposals: ProposalState[];
  quotes: QuoteState[];
  /** Live calls (offered or booked) of this request. */
  calls: { id: string; briefId: string; status: 'offered' | 'booked' }[];
}

/** Another open request of the same buyer (same confirmed address), with its briefs. */
export interface SiblingRequest {
  id: string;
  reference: string;
  frameworks: FrameworkId[];
  briefs: Pick<BriefState, 'firmId' | 'firmName' | 'status'>[];
}

export type Actor =
  | { kind: 'buyer' }
  | { kind: 'firm-user'; id: string }
  | { kind: 'brief-link' }
  | { kind: 'api-key'; id: string }
  | { kind: 'admin'; id: string }
  | { kind: 'system' };

export interface Refusal {
  status: 400 | 403 | 404 | 409 | 410;
  message: string;
  field?: string;
}

export type BuyerNotice = 'brief-declined' | 'brief-expired' | 'quote-lapsed' | 'firm-withdrawn';
/** What a firm is told, besides its brief: why it ended, what it committed to, what the buyer did. */
export type FirmNotice =
  | { about: 'withdrawn'; reason: WithdrawalReason; heldContact: boolean }
  | { about: 'accepted'; quoteBy: string }
  | { about: 'quote-lapsed' }
  | { about: 'contact-shared' };
export type FirmWebhookEvent =
  | 'lead.accepted'
  | 'brief.declined'
  | 'brief.expired'
  | 'brief.withdrawn'
  | 'contact.shared'
  | 'call.booked'
  | 'call.cancelled';

export type Effect =
  | { kind: 'request-status'; from: RequestStatus; to: RequestStatus }
  | {
      kind: 'brief-sent';
      firmId: string;
      /** The stored proposal the buyer chose, or null for a replacement offer (stored with the brief). */
      proposalId: string | null;
      offer: Pick<Proposal, 'score' | 'breakdown' | 'reasons'> | null;
    }
  | {
      kind: 'brief-status';
      briefId: string;
      firmId: string;
      from: BriefStatus;
      to: BriefStatus;
      declineReason?: string;
      withdrawal?: { reason: WithdrawalReason; note: string | null };
      /** On accepting: the time the firm commits to quote by. */
      quoteBy?: string;
    }
  | { kind: 'capacity-taken'; firmId: string; frameworks: FrameworkId[] }
  | { kind: 'quotes-withdrawn'; briefId: string; reason: WithdrawalReason }
  | {
      kind: 'contact-released';
      briefId: string;
      firmId: string;
      /** Why now: the buyer booked a call with the firm, or chose to share its details. */
      occasion: 'booking' | 'share';
    }
  | { kind: 'tell-buyer'; briefId: string; firmName: string; about: BuyerNotice }
  | { kind: 'tell-firm'; briefId: string; firmId: string; notice: FirmNotice }
  | CallEffect
  | {
      kind: 'webhook';
      briefId: string;
      firmId: string;
      event: FirmWebhookEvent;
      data: Record<string, unknown>;
    }
  | {
      kind: 'audit';
      actor: Actor;
      action: string;
      subjectKind: string;
      subjectId: string;
      detail?: Record<string, unknown>;
    };

export type Decision =
  | { ok: true; effects: Effect[] }
  | { ok: false; refusal: Refusal; effects: Effect[] };

/** The one short call's effects (decided in ./calls.ts). */
export type CallEffect =
  | {
      kind: 'call-booked';
      briefId: string;
      firmId: string;
      start: number;
      buyerTimeZone: string;
      by: 'buyer' | 'firm';
    }
  | {
      kind: 'call-offered';
      briefId: string;
      firmId: string;
      slots: number[];
      buyerTimeZone: string;
    }
  | {
      kind: 'call-rescheduled';
      callId: string;
      briefId: string;
      firmId: string;
      start: number;
      by: 'buyer' | 'firm';
    }
  | {
      kind: 'call-cancelled';
      callId: string;
      briefId: string;
      firmId: string;
      by: 'buyer' | 'firm' | 'system';
      reason: string;
      wasBooked: boolean;
    };

export const allow = (effects: Effect[]): Decision => ({ ok: true, effects });
export const refuse = (refusal: Refusal, effects: Effect[] = []): Decision => ({
  ok: false,
  refusal,
  effects,
});

/** The firms holding, or about to hold, this buyer's contact across all its open requests. */
export function firmsHoldingBuyer(
  request: RequestState,
  siblings: readonly SiblingRequest[],
): Set<string> {
  const holding = new Set<string>();
  for (const b of request.briefs) if (isActiveBrief(b.status)) holding.add(b.firmId);
  for (const s of siblings)
    for (const b of s.briefs) if (isActiveBrief(b.status)) holding.add(b.firmId);
  return holding;
}

/** How many more firms the buyer may send its brief to now, across all its open requests. */
export function placesLeft(request: RequestState, siblings: readonly SiblingRequest[]): number {
  return Math.max(0, MAX_FIRMS_PER_BUYER - firmsHoldingBuyer(request, siblings).size);
}

function requestClosed(request: RequestState, at: string): Refusal | null {
  if (request.expiresAt < at && request.status !== 'withdrawn' && request.status !== 'deleted') {
    return { status: 410, message: 'This request has expired.' };
  }
  if (!isOpenRequest(request, at)) {
    return {
      status: 410,
      message:
        request.status === 'deleted'
          ? 'The buyer has deleted this request.'
          : 'The buyer has withdrawn this request.',
    };
  }
  return null;
}

/**
 * The buyer sends its brief to the firms it chose: each must be among its proposals or live
 * replacement offers, stand at the door today, not hold this buyer already (on any open
 * request), and the buyer may hold at most three firms at a time. All or nothing.
 */
export function decideSendBriefs(input: {
  request: RequestState;
  siblings: readonly SiblingRequest[];
  chosen: readonly string[];
  offers: readonly Proposal[];
  standings: ReadonlyMap<string, Standing>;
  at: string;
}): Decision {
  const { request, siblings, at } = input;
  const chosen = [...new Set(input.chosen)];
  if (chosen.length === 0)
    return refuse({ status: 400, message: 'Choose at least one firm.', field: 'firms' });
  if (request.status !== 'confirmed' && request.status !== 'active') {
    return refuse({ status: 409, message: 'This request no longer accepts new firms.' });
  }
  const closed = requestClosed(request, at);
  if (closed) return refuse(closed);
  if (!request.contactHeld)
    return refuse({ status: 410, message: 'This request’s contact details were deleted.' });

  const holding = firmsHoldingBuyer(request, siblings);
  const left = MAX_FIRMS_PER_BUYER - holding.size;
  if (chosen.length > left) {
    return refuse({
      status: 409,
      field: 'firms',
      message: `At most ${MAX_FIRMS_PER_BUYER} firms can hold your details at a time, across all your open requests; ${holding.size} already do. Choose ${Math.max(0, left)} or fewer.`,
    });
  }
  const effects: Effect[] = [];
  for (const firmId of chosen) {
    const standing = input.standings.get(firmId);
    const name = standing?.firmName ?? 'One of the chosen firms';
    if (request.briefs.some((b) => b.firmId === firmId)) {
      return refuse({
        status: 409,
        field: 'firms',
        message: `${name} has already received this brief.`,
      });
    }
    const elsewhere = siblings.find((s) =>
      s.briefs.some((b) => b.firmId === firmId && isActiveBrief(b.status)),
    );
    if (elsewhere) {
      return refuse({
        status: 409,
        field: 'firms',
        message: `${name} already holds your request ${elsewhere.reference}; it is never introduced to you twice while that request is open.`,
      });
    }
    const proposal = request.proposals.find((p) => p.firmId === firmId && p.status === 'proposed');
    const offer = proposal ? null : input.offers.find((o) => o.firmId === firmId);
    if (!proposal && !offer) {
      return refuse({
        status: 409,
        field: 'firms',
        message: 'One of the chosen firms is not among your proposals or offers.',
      });
    }
    if (!standing?.ok) {
      const why = standing ? standingProblem(standing) : 'no longer listed on Auditmatch';
      return refuse({
        status: 409,
        field: 'firms',
        message: `${name} can no longer take your brief (${why}). Choose another firm.`,
      });
    }
    effects.push({
      kind: 'brief-sent',
      firmId,
      proposalId: proposal?.id ?? null,
      offer: offer
        ? { score: offer.score, breakdown: offer.breakdown, reasons: offer.reasons }
        : null,
    });
  }
  if (request.status === 'confirmed')
    effects.push({ kind: 'request-status', from: 'confirmed', to: 'active' });
  effects.push({
    kind: 'audit',
    actor: { kind: 'buyer' },
    action: 'briefs.sent',
    subjectKind: 'quote-request',
    subjectId: request.id,
    detail: { firms: chosen },
  });
  return allow(effects);
}

export type BriefAnswer = { action: 'accept' } | { action: 'decline'; reason: string };

/**
 * A firm answers a brief (workspace, email link or API). Accepting commits the firm to quote by
 * `quoteBy` and gives it the full anonymised scope sheet — not the buyer's details, which reach a
 * firm only when the buyer books a call with it or chooses to share them. Accepting re-checks the
 * firm's standing first: a firm that lost the brief (suspended, unqualified, conflicted) is
 * refused and the brief is withdrawn so the buyer can choose another; a paused or full firm is
 * told what to change.
 */
export function decideAnswer(input: {
  request: RequestState;
  brief: BriefState;
  answer: BriefAnswer;
  standing: Standing;
  frameworks: readonly FrameworkId[];
  actor: Actor;
  at: string;
  /** The time an accepting firm must quote by (the response window from now). */
  quoteBy: string;
}): Decision {
  const { request, brief, answer, standing, actor, at } = input;
  if (brief.status !== 'sent') {
    const why = brief.withdrawnReason ? ` (${WITHDRAWAL_WORDS[brief.withdrawnReason]})` : '';
    return refuse({ status: 409, message: `This brief was already ${brief.status}${why}.` });
  }
  const closed = requestClosed(request, at);
  if (closed) return refuse(closed);
  if (brief.respondBy < at)
    return refuse({ status: 410, message: 'The response window for this brief has passed.' });

  if (answer.action === 'decline') {
    return allow([
      {
        kind: 'brief-status',
        briefId: brief.id,
        firmId: brief.firmId,
        from: 'sent',
        to: 'declined',
        declineReason: answer.reason,
      },
      ...(request.contactHeld
        ? [
            {
              kind: 'tell-buyer',
              briefId: brief.id,
              firmName: brief.firmName,
              about: 'brief-declined',
            } as const,
          ]
        : []),
      {
        kind: 'webhook',
        briefId: brief.id,
        firmId: brief.firmId,
        event: 'brief.declined',
        data: { reason: answer.reason },
      },
      {
        kind: 'audit',
        actor,
        action: 'brief.declined',
        subjectKind: 'brief',
        subjectId: brief.id,
        detail: { firmId: brief.firmId, reason: answer.reason },
      },
    ]);
  }
  if (!request.contactHeld)
    return refuse({ status: 410, message: 'The buyer has deleted its data.' });
  if (!standing.ok) {
    const problem = standingProblem(standing);
    if (standing.lost) {
      const reason: WithdrawalReason = standing.failures.some((f) => f.code === 'firm-not-active')
        ? 'firm-suspended'
        : 'firm-no-longer-eligible';
      return refuse(
        {
          status: 409,
          message: `Your firm can no longer take this brief: ${problem}. The brief is withdrawn and the buyer may choose another firm.`,
        },
        withdrawBrief(request, brief, reason, problem, actor),
      );
    }
    return refuse({
      status: 409,
      message: `Your firm cannot accept this brief now: ${problem}. Change that in your workspace, or decline the brief.`,
    });
  }
  return allow([
    {
      kind: 'capacity-taken',
      firmId: brief.firmId,
      frameworks: [...new Set(input.frameworks)].sort(),
    },
    {
      kind: 'brief-status',
      briefId: brief.id,
      firmId: brief.firmId,
      from: 'sent',
      to: 'accepted',
      quoteBy: input.quoteBy,
    },
    {
      kind: 'tell-firm',
      briefId: brief.id,
      firmId: brief.firmId,
      notice: { about: 'accepted', quoteBy: input.quoteBy },
    },
    {
      kind: 'webhook',
      briefId: brief.id,
      firmId: brief.firmId,
      event: 'lead.accepted',
      data: { quoteBy: input.quoteBy },
    },
    {
      kind: 'audit',
      actor,
      action: 'brief.accepted',
      subjectKind: 'brief',
      subjectId: brief.id,
      detail: {
        firmId: brief.firmId,
        requestId: request.id,
        via: actor.kind,
        quoteBy: input.quoteBy,
      },
    },
  ]);
}

/**
 * The buyer shares its details with a firm that accepted, before any call: the one way besides
 * booking that a firm gets them. The firm must still stand at the read-contact door.
 */
export function decideShare(input: {
  request: RequestState;
  brief: BriefState;
  standing: Standing;
  at: string;
}): Decision {
  const { request, brief, standing, at } = input;
  if (brief.status !== 'accepted')
    return refuse({
      status: 409,
      message: `${brief.firmName} has not accepted your brief; only a firm that accepted can receive your details.`,
    });
  const closed = requestClosed(request, at);
  if (closed) return refuse(closed);
  if (!request.contactHeld) return refuse({ status: 410, message: 'Your details were deleted.' });
  if (!standing.ok)
    return refuse({
      status: 409,
      message: `${brief.firmName} cannot receive your details now: ${standingProblem(standing)}.`,
    });
  if (brief.contactReleasedAt !== null) return allow([]);
  const [released, audited] = contactRelease(request, brief, 'share');
  return allow([
    released,
    {
      kind: 'tell-firm',
      briefId: brief.id,
      firmId: brief.firmId,
      notice: { about: 'contact-shared' },
    },
    { kind: 'webhook', briefId: brief.id, firmId: brief.firmId, event: 'contact.shared', data: {} },
    audited,
  ]);
}

/** The buyer's details go to a firm, booking a call or sharing them: the release and its audit entry. */
export function contactRelease(
  request: RequestState,
  brief: BriefState,
  occasion: 'booking' | 'share',
): [Effect, Effect] {
  return [
    { kind: 'contact-released', briefId: brief.id, firmId: brief.firmId, occasion },
    {
      kind: 'audit',
      actor: { kind: 'buyer' },
      action: 'contact.released',
      subjectKind: 'brief',
      subjectId: brief.id,
      detail: { firmId: brief.firmId, requestId: request.id, occasion },
    },
  ];
}

/**
 * A firm that accepted but let its quote window pass without quoting (and without a call booked)
 * loses the brief: the buyer hears it and may choose another firm. Run by the maintenance loop.
 */
export function decideQuoteLapse(input: {
  request: RequestState;
  brief: BriefState;
  hasQuote: boolean;
  hasLiveCall: boolean;
  at: string;
}): Decision {
  const { request, brief, at } = input;
  if (
    brief.status !== 'accepted' ||
    brief.quoteBy === null ||
    brief.quoteBy >= at ||
    input.hasQuote ||
    input.hasLiveCall
  ) {
    return refuse({ status: 409, message: 'This brief is not due to lapse.' });
  }
  const tell = request.contactHeld && isOpenRequest(request, at);
  return allow([
    {
      kind: 'brief-status',
      briefId: brief.id,
      firmId: brief.firmId,
      from: 'accepted',
      to: 'expired',
    },
    ...(tell
      ? [
          {
            kind: 'tell-buyer',
            briefId: brief.id,
            firmName: brief.firmName,
            about: 'quote-lapsed',
          } as const,
        ]
      : []),
    {
      kind: 'tell-firm',
      briefId: brief.id,
      firmId: brief.firmId,
      notice: { about: 'quote-lapsed' },
    },
    {
      kind: 'webhook',
      briefId: brief.id,
      firmId: brief.firmId,
      event: 'brief.expired',
      data: { reason: 'no quote by the committed time' },
    },
    {
      kind: 'audit',
      actor: { kind: 'system' },
      action: 'brief.quote-lapsed',
      subjectKind: 'brief',
      subjectId: brief.id,
      detail: { firmId: brief.firmId, quoteBy: brief.quoteBy },
    },
  ]);
}

/** A firm quotes for a brief it accepted, while the request is open and it still stands. */
export function decideQuote(input: {
  request: RequestState;
  brief: BriefState;
  standing: Standing;
  actor: Actor;
  at: string;
}): Decision {
  const { request, brief, standing, actor, at } = input;
  if (brief.status !== 'accepted') {
    return refuse({
      status: 409,
      message:
        brief.status === 'withdrawn'
          ? `This brief was withdrawn (${WITHDRAWAL_WORDS[brief.withdrawnReason ?? 'buyer-withdrew']}); it takes no quote.`
          : 'Accept the brief before you send a quote.',
    });
  }
  const closed = requestClosed(request, at);
  if (closed) return refuse({ status: 410, message: `${closed.message} It takes no more quotes.` });
  if (!standing.ok) {
    const problem = standingProblem(standing);
    return standing.lost
      ? refuse(
          {
            status: 409,
            message: `Your firm can no longer quote for this brief: ${problem}. The brief is withdrawn and the buyer may choose another firm.`,
          },
          withdrawBrief(
            request,
            brief,
            standing.failures.some((f) => f.code === 'firm-not-active')
              ? 'firm-suspended'
              : 'firm-no-longer-eligible',
            problem,
            actor,
          ),
        )
      : refuse({ status: 409, message: `Your firm cannot quote for this brief now: ${problem}.` });
  }
  return allow([]);
}

/** Whether the firm may see the buyer's contact on this lead now, and if not, why not. */
export function contactAccess(input: {
  request: Pick<RequestState, 'status' | 'expiresAt' | 'contactHeld'>;
  brief: Pick<BriefState, 'status' | 'withdrawnReason' | 'contactReleasedAt'>;
  standing: Standing;
  at: string;
}): { shown: true } | { shown: false; note: string } {
  const { request, brief, standing, at } = input;
  if (brief.status === 'withdrawn') {
    return {
      shown: false,
      note: `This brief was withdrawn (${WITHDRAWAL_WORDS[brief.withdrawnReason ?? 'buyer-withdrew']}): please do not contact the buyer about it.`,
    };
  }
  if (brief.status !== 'accepted')
    return {
      shown: false,
      note: 'Accept the brief to see the whole scope sheet, ask the buyer questions and quote.',
    };
  if (brief.contactReleasedAt === null) {
    return {
      shown: false,
      note: 'The buyer’s details reach you when it books its short call with you, or chooses to share them. Until then, ask your questions here.',
    };
  }
  if (!isOpenRequest(request, at))
    return {
      shown: false,
      note: 'The buyer withdrew or closed this request: please do not contact them about it.',
    };
  if (!request.contactHeld) return { shown: false, note: 'The buyer deleted its data.' };
  if (!standing.ok)
    return {
      shown: false,
      note: `The buyer’s contact details are not shown: ${standingProblem(standing)}.`,
    };
  return { shown: true };
}

export type WithdrawMode = 'everything' | 'keep-chosen';

/**
 * The buyer stops firms: every firm (the request closes), or every firm but the one it chose
 * (whose brief and quote stay). Each firm that loses the brief is told which request, and its
 * CRM gets `brief.withdrawn`.
 */
export function decideWithdraw(input: {
  request: RequestState;
  mode: WithdrawMode;
  keepFirmId: string | null;
  /** Why everything stops: the buyer's own choice, a newer request for the same need, or erasure. */
  reason?: Extract<WithdrawalReason, 'buyer-withdrew' | 'request-replaced' | 'request-deleted'>;
  at: string;
}): Decision {
  const { request, mode } = input;
  const reason = input.reason ?? 'buyer-withdrew';
  if (!['unconfirmed', 'confirmed', 'active'].includes(request.status)) {
    return refuse({ status: 409, message: 'This request is already closed.' });
  }
  const active = request.briefs.filter((b) => isActiveBrief(b.status));
  if (mode === 'keep-chosen') {
    const kept = active.find((b) => b.firmId === input.keepFirmId && b.status === 'accepted');
    if (!kept)
      return refuse({
        status: 409,
        field: 'mode',
        message: 'Choose a quote first: only a firm that accepted your brief can be kept.',
      });
    const others = active.filter((b) => b !== kept);
    if (others.length === 0)
      return refuse({
        status: 409,
        field: 'mode',
        message: `${kept.firmName} is already the only firm holding your request.`,
      });
    return allow([
      ...others.flatMap((b) =>
        withdrawBrief(request, b, 'buyer-kept-another-firm', null, { kind: 'buyer' }),
      ),
      {
        kind: 'audit',
        actor: { kind: 'buyer' },
        action: 'request.narrowed',
        subjectKind: 'quote-request',
        subjectId: request.id,
        detail: { kept: kept.firmId, stopped: others.map((b) => b.firmId) },
      },
    ]);
  }
  return allow([
    // Erasure sets its own final status; a withdrawal or a replacement closes the request here.
    ...(reason === 'request-deleted'
      ? []
      : [{ kind: 'request-status', from: request.status, to: 'withdrawn' } as const]),
    ...active.flatMap((b) => withdrawBrief(request, b, reason, null, { kind: 'buyer' })),
    ...(reason === 'request-deleted'
      ? []
      : [
          {
            kind: 'audit',
            actor: { kind: 'buyer' },
            action: reason === 'request-replaced' ? 'request.replaced' : 'request.withdrawn',
            subjectKind: 'quote-request',
            subjectId: request.id,
          } as const,
        ]),
  ]);
}

/**
 * The firm's open briefs on this request end because of the firm (suspension, or a standing it
 * lost): withdrawn, its quotes with them, and the buyer offered a replacement.
 */
export function decideFirmWithdrawal(input: {
  request: RequestState;
  firmId: string;
  reason: Extract<WithdrawalReason, 'firm-suspended' | 'firm-no-longer-eligible'>;
  note: string;
  actor: Actor;
}): Decision {
  const briefs = input.request.briefs.filter(
    (b) => b.firmId === input.firmId && isActiveBrief(b.status),
  );
  return allow(
    briefs.flatMap((b) => withdrawBrief(input.request, b, input.reason, input.note, input.actor)),
  );
}

/** A brief unanswered past its window expires; the buyer hears it may pick another firm. */
export function decideExpiry(input: {
  request: RequestState;
  brief: BriefState;
  at: string;
}): Decision {
  const { request, brief, at } = input;
  if (brief.status !== 'sent' || brief.respondBy >= at)
    return refuse({ status: 409, message: 'This brief is not due to expire.' });
  const tell = request.contactHeld && isOpenRequest(request, at);
  return allow([
    { kind: 'brief-status', briefId: brief.id, firmId: brief.firmId, from: 'sent', to: 'expired' },
    ...(tell
      ? [
          {
            kind: 'tell-buyer',
            briefId: brief.id,
            firmName: brief.firmName,
            about: 'brief-expired',
          } as const,
        ]
      : []),
    { kind: 'webhook', briefId: brief.id, firmId: brief.firmId, event: 'brief.expired', data: {} },
    {
      kind: 'audit',
      actor: { kind: 'system' },
      action: 'brief.expired',
      subjectKind: 'brief',
      subjectId: brief.id,
    },
  ]);
}

/**
 * Confirming an address that already has an open request for an overlapping scope: that is the
 * same need, not a second round of introductions.
 */
export function decideConfirmation(input: {
  request: RequestState;
  siblings: readonly SiblingRequest[];
}): { kind: 'confirm' } | { kind: 'duplicate'; of: SiblingRequest; all: SiblingRequest[] } {
  // A scope can overlap more than one open request (SOC 2 + ISO 42001 against one for each):
  // all of them are the same need, so replacing means replacing every one.
  const overlapping = input.siblings.filter((s) =>
    s.frameworks.some((f) => input.request.frameworks.includes(f)),
  );
  return overlapping.length > 0
    ? { kind: 'duplicate', of: overlapping[0]!, all: overlapping }
    : { kind: 'confirm' };
}

/** Effects of one brief ending by withdrawal, whoever caused it. */
function withdrawBrief(
  request: RequestState,
  brief: BriefState,
  reason: WithdrawalReason,
  note: string | null,
  actor: Actor,
): Effect[] {
  if (!canMoveBrief(brief.status, 'withdrawn')) return [];
  const firmSide = FIRM_SIDE_WITHDRAWALS.includes(reason);
  const liveQuote = request.quotes.some((q) => q.briefId === brief.id && q.status !== 'withdrawn');
  const liveCalls = request.calls.filter((c) => c.briefId === brief.id);
  return [
    // A call with a firm that no longer holds the brief does not happen: both calendars hear so.
    ...liveCalls.map(
      (c) =>
        ({
          kind: 'call-cancelled',
          callId: c.id,
          briefId: brief.id,
          firmId: brief.firmId,
          by: 'system',
          reason: WITHDRAWAL_WORDS[reason],
          wasBooked: c.status === 'booked',
        }) as const,
    ),
    {
      kind: 'brief-status',
      briefId: brief.id,
      firmId: brief.firmId,
      from: brief.status,
      to: 'withdrawn',
      withdrawal: { reason, note },
    },
    ...(liveQuote ? [{ kind: 'quotes-withdrawn', briefId: brief.id, reason } as const] : []),
    {
      kind: 'tell-firm',
      briefId: brief.id,
      firmId: brief.firmId,
      notice: {
        about: 'withdrawn',
        reason,
        heldContact: brief.contactReleasedAt !== null && request.contactHeld,
      },
    },
    ...(firmSide && request.contactHeld && request.status !== 'withdrawn'
      ? [
          {
            kind: 'tell-buyer',
            briefId: brief.id,
            firmName: brief.firmName,
            about: 'firm-withdrawn',
          } as const,
        ]
      : []),
    {
      kind: 'webhook',
      briefId: brief.id,
      firmId: brief.firmId,
      event: 'brief.withdrawn',
      data: { reason },
    },
    {
      kind: 'audit',
      actor,
      action: 'brief.withdrawn',
      subjectKind: 'brief',
      subjectId: brief.id,
      detail: { firmId: brief.firmId, requestId: request.id, reason, ...(note ? { note } : {}) },
    },
  ];
}

/** Why a brief was withdrawn, as the firm and the buyer read it. */
export const WITHDRAWAL_WORDS: Record<WithdrawalReason, string> = {
  'buyer-withdrew': 'the buyer withdrew the request',
  'buyer-kept-another-firm': 'the buyer chose another firm',
  'request-replaced': 'the buyer replaced the request with a newer one',
  'request-deleted': 'the buyer deleted its data',
  'firm-suspended': 'the firm is suspended on Auditmatch',
  'firm-no-longer-eligible': 'the firm no longer qualifies for this brief',
};
