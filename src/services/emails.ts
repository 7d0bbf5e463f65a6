import { requestLabel } from '../domain/matching/labels';
import type { RequestedFramework } from '../domain/matching/scope';
import {
  BUDGET_BAND_LABELS,
  type BudgetBand,
  INDUSTRY_LABELS,
  type Industry,
  REGION_LABELS,
  type Region,
  STAGE_LABELS,
  STARTING_POINT_LABELS,
  type CompanyStage,
  languageLabel,
} from '../domain/vocabulary';
import type { Email } from '../outbox/email';
import type { ScopeInput } from './intake/schemas';

/**
 * The words of every email the platform sends. Plain text: readable in any client, and no
 * remote content for a tracker to hide in.
 */

const SIGN_OFF = '\n\n— Auditmatch\nIndependent of every firm listed. Free for buyers. No spam.';

export function confirmEmail(to: string, name: string, link: string, hours: number): Email {
  return {
    to,
    subject: 'Confirm your request for audit quotes',
    text: `Hello ${name},

Please confirm your email address to see the three audit firms that fit your scope:

${link}

The link works once and expires in ${hours} hours. Until you confirm, nothing about your request leaves Auditmatch.

If you did not ask for quotes, ignore this message and the request will be deleted.${SIGN_OFF}`,
  };
}

export function accessEmail(to: string, name: string, link: string, reference: string): Email {
  return {
    to,
    subject: `Your private page for request ${reference}`,
    text: `Hello ${name},

Your request ${reference} is confirmed. Your private page shows the firms we propose, lets you choose whom to hear from, and later compares their quotes side by side:

${link}

Keep this link to yourself: anyone with it can see and manage your request. From the page you can also withdraw the request or delete your data at any time.${SIGN_OFF}`,
  };
}

/** The anonymised scope a firm reads before deciding: no name, no company, no contact. */
export function briefSummary(scope: ScopeInput): string {
  const lines = [
    `Frameworks: ${scope.frameworks.map((f) => requestLabel(f as RequestedFramework)).join('; ')}`,
    `Company stage: ${STAGE_LABELS[scope.stage as CompanyStage]}, about ${scope.headcount} people`,
    `Industry: ${INDUSTRY_LABELS[scope.industry as Industry]}`,
    `Region: ${REGION_LABELS[scope.region as Region]}`,
    `Needed by: ${scope.neededBy}`,
    `Budget: ${scope.budget ? BUDGET_BAND_LABELS[scope.budget as BudgetBand] : 'not given'}`,
    `AI: ${scope.aiExposure === 'ai-is-the-product' ? 'AI is the product' : scope.aiExposure === 'uses-ai' ? 'the product uses AI' : 'no AI in the product'}`,
  ];
  return lines.join('\n');
}

/**
 * The whole anonymised scope sheet a firm reads once it accepted: the brief, and every part of
 * the scope it quotes against — categories, language, where the buyer starts, and the
 * consultancies and control builders the buyer named, so the firm can check its own
 * independence. Never the buyer's contact, never the firms it excluded.
 */
export function scopeSheet(scope: ScopeInput): string {
  const lines = [briefSummary(scope)];
  const categories = scope.frameworks
    .flatMap((f) => f.categories ?? [])
    .filter((c) => c !== 'security');
  const title = (id: string) =>
    id
      .split('-')
      .map((w) => `${w[0]?.toUpperCase()}${w.slice(1)}`)
      .join(' ');
  if (scope.frameworks.some((f) => f.framework === 'soc2'))
    lines.push(`Trust Services Categories: ${['Security', ...categories.map(title)].join(', ')}`);
  lines.push(`Working language: ${languageLabel(scope.language ?? 'en')}`);
  lines.push(`Where it starts: ${STARTING_POINT_LABELS[scope.startingPoint]}`);
  lines.push(
    `Firms that designed, implemented or operate its controls: ${scope.controlsBuiltBy.length ? scope.controlsBuiltBy.join('; ') : 'none named'}`,
    `Consultancies that helped build its management system: ${
      scope.managementSystemConsultants.length
        ? scope.managementSystemConsultants
            .map((c) =>
              c.advisedUntil ? `${c.name} (until ${c.advisedUntil})` : `${c.name} (still advising)`,
            )
            .join('; ')
        : 'none named'
    }`,
  );
  return lines.join('\n');
}

export function briefEmail(
  to: string,
  firmName: string,
  scope: ScopeInput,
  reference: string,
  link: string,
  respondBy: string,
): Email {
  return {
    to,
    subject: `New brief ${reference}: a company asks for your quote`,
    text: `Hello ${firmName},

A company chose you as one of at most three firms to hear from. Here is its anonymised brief (request ${reference}):

${briefSummary(scope)}

Read it and accept or decline here (before ${respondBy}):

${link}

Accepting commits your firm to send an itemised quote within the response window; the page then shows the whole scope sheet and lets you ask the buyer questions. The buyer compares the quotes and books one short call with the firm it picks; its contact details reach that firm with the booking. If you decline or do not answer in time, the buyer is offered another firm. There is no fee for this lead.${SIGN_OFF}`,
  };
}

/** Why the buyer hears that a firm it chose is out, and what it can do next. */
export type FirmOutNotice = 'declined' | 'expired' | 'quote-lapsed' | 'withdrawn-by-firm';

export function declinedEmail(
  to: string,
  buyerName: string,
  firmName: string,
  why: FirmOutNotice,
  link: string,
): Email {
  const subject = {
    declined: `${firmName} declined your brief`,
    expired: `${firmName} did not answer in time`,
    'quote-lapsed': `${firmName} did not send its quote in time`,
    'withdrawn-by-firm': `${firmName} can no longer take your brief`,
  }[why];
  const what = {
    declined: `${firmName} declined your brief, so it never received your contact details.`,
    expired: `${firmName} did not answer your brief within the response window, so it never received your contact details.`,
    'quote-lapsed': `${firmName} accepted your brief but did not send its quote by the time it committed to, so it no longer holds your request.`,
    'withdrawn-by-firm': `${firmName} can no longer take your brief: it is suspended on Auditmatch or no longer holds the credentials or independence your scope needs. It cannot see your details or quote, and any quote it sent is withdrawn.`,
  }[why];
  return {
    to,
    subject,
    text: `Hello ${buyerName},

${what}

On your private page you can choose the next best firm for your scope, or carry on with the firms you have:

${link}${SIGN_OFF}`,
  };
}

/**
 * A firm's brief ends because the buyer stopped it, or because the firm can no longer hold it.
 * The reference names the request; the company only for a firm that already holds the contact.
 */
export function withdrawnEmail(input: {
  to: string;
  firmName: string;
  reference: string;
  reason: string;
  company: string | null;
  heldContact: boolean;
  leadUrl: string;
}): Email {
  const which = input.company
    ? `request ${input.reference} (${input.company})`
    : `request ${input.reference}`;
  return {
    to: input.to,
    subject: `Brief withdrawn: ${input.reference}`,
    text: `Hello ${input.firmName},

Your brief for ${which} was withdrawn: ${input.reason}.

${input.heldContact ? 'Please do not contact the buyer about it again, and delete the contact details you received.' : 'You never received the buyer’s details; there is nothing to do.'}

The lead stays in your workspace for your records: ${input.leadUrl}${SIGN_OFF}`,
  };
}

// ---- Quotes first, then one short call ----

const JOURNEY = 'Compare the quotes, then book one short call with the firm you pick.';

export function quoteArrivedEmail(
  to: string,
  buyerName: string,
  firmName: string,
  link: string,
  allIn: boolean,
): Email {
  return {
    to,
    subject: allIn
      ? `All your quotes are in: ${firmName} sent the last one`
      : `${firmName} sent its quote`,
    text: `Hello ${buyerName},

${firmName} sent its itemised quote${allIn ? '. Every firm that accepted your brief has now quoted' : ''}. ${JOURNEY}

Your private page, with the quotes side by side:

${link}${SIGN_OFF}`,
  };
}

export function questionEmail(
  to: string,
  buyerName: string,
  firmName: string,
  question: string,
  link: string,
): Email {
  return {
    to,
    subject: `${firmName} has a question about your scope`,
    text: `Hello ${buyerName},

${firmName} asked, about your request:

${question}

Answer on your private page (you may share an answer with all your firms). ${firmName} does not have your contact details: please answer there rather than by email.

${link}${SIGN_OFF}`,
  };
}

export function answerEmail(
  to: string,
  firmName: string,
  reference: string,
  answer: string,
  link: string,
): Email {
  return {
    to,
    subject: `The buyer answered on request ${reference}`,
    text: `Hello ${firmName},

The buyer wrote, on request ${reference}:

${answer}

Your lead page, with the whole thread and the quote form:

${link}${SIGN_OFF}`,
  };
}

export function briefAcceptedEmail(input: {
  to: string;
  firmName: string;
  reference: string;
  quoteBy: string;
  leadLink: string;
  workspaceUrl: string;
}): Email {
  return {
    to: input.to,
    subject: `You accepted brief ${input.reference}: quote by ${input.quoteBy}`,
    text: `Hello ${input.firmName},

You accepted the brief for request ${input.reference}, and with it committed to send an itemised quote by ${input.quoteBy}. The buyer compares the quotes side by side and then books one short call with the firm it prefers; its contact details reach you with that booking, or earlier if it chooses to share them.

Your lead page — the whole scope sheet, questions to the buyer, the quote form and the call — works from this link without an account:

${input.leadLink}

If your firm has workspace accounts, the same lead is at ${input.workspaceUrl}.${SIGN_OFF}`,
  };
}

export function quoteLapsedFirmEmail(to: string, firmName: string, reference: string): Email {
  return {
    to,
    subject: `Brief ${reference} lapsed: no quote by the time you committed to`,
    text: `Hello ${firmName},

You accepted the brief for request ${reference} but sent no quote by the time you committed to. The brief has lapsed and the buyer may choose another firm; it never reached you with its contact details.${SIGN_OFF}`,
  };
}

export interface BuyerContactLines {
  name: string;
  email: string;
  company: string;
  phone: string | null;
}

function contactLines(c: BuyerContactLines): string {
  return `Name: ${c.name}
Company: ${c.company}
Email: ${c.email}${c.phone ? `\nPhone: ${c.phone}` : ''}`;
}

const FOR_THIS_ONLY =
  'These details are for this request only: do not add them to marketing lists. The buyer can report unwanted contact to us.';

export function contactSharedEmail(
  to: string,
  firmName: string,
  reference: string,
  contact: BuyerContactLines,
  link: string,
): Email {
  return {
    to,
    replyTo: contact.email,
    subject: `The buyer of request ${reference} shared its details with you`,
    text: `Hello ${firmName},

The buyer of request ${reference} chose to share its contact details with you:

${contactLines(contact)}

${FOR_THIS_ONLY}

Your lead page: ${link}${SIGN_OFF}`,
  };
}

/** What either side's email about a booked (or moved) call says, each in its own time. */
interface CallBooking {
  to: string;
  firmName: string;
  firmTime: string;
  buyerTime: string;
  rescheduled: boolean;
  link: string;
  /** The calendar invitation, attached. */
  ics: string;
}

export function callBookedFirmEmail(
  input: CallBooking & { reference: string; contact: BuyerContactLines },
): Email {
  return {
    to: input.to,
    replyTo: input.contact.email,
    ics: input.ics,
    subject: `${input.rescheduled ? 'Call moved' : 'Call booked'}: ${input.contact.company}, ${input.firmTime}`,
    text: `Hello ${input.firmName},

${input.rescheduled ? 'The short call about' : 'The buyer booked its short call with you about'} request ${input.reference}${input.rescheduled ? ' has moved' : ''}:

Your time: ${input.firmTime}
The buyer's time: ${input.buyerTime}

The buyer's contact details:

${contactLines(input.contact)}

The invitation is attached. Reschedule or cancel from your lead page: ${input.link}

${FOR_THIS_ONLY}${SIGN_OFF}`,
  };
}

export function callBookedBuyerEmail(
  input: CallBooking & { buyerName: string; firmEmail: string | null },
): Email {
  return {
    to: input.to,
    ics: input.ics,
    ...(input.firmEmail ? { replyTo: input.firmEmail } : {}),
    subject: `${input.rescheduled ? 'Your call moved' : 'Your call is booked'}: ${input.firmName}, ${input.buyerTime}`,
    text: `Hello ${input.buyerName},

Your short call with ${input.firmName}${input.rescheduled ? ' has moved' : ' is booked'}:

Your time: ${input.buyerTime}
The firm's time: ${input.firmTime}

${input.firmName} now has your contact details, for this call and your request only.${input.firmEmail ? ` You can reach it at ${input.firmEmail}.` : ''} The invitation is attached. Reschedule or cancel from your private page:

${input.link}${SIGN_OFF}`,
  };
}

export function callOfferedFirmEmail(input: {
  to: string;
  firmName: string;
  reference: string;
  times: string[];
  link: string;
}): Email {
  return {
    to: input.to,
    subject: `The buyer of request ${input.reference} offered times for a short call`,
    text: `Hello ${input.firmName},

The buyer of request ${input.reference} would like one short call with you and offered these times (in your time zone):

${input.times.map((t) => `- ${t}`).join('\n')}

Pick one on your lead page; the buyer's contact details reach you with the booking:

${input.link}${SIGN_OFF}`,
  };
}

export function callCancelledEmail(input: {
  to: string;
  name: string;
  otherName: string;
  when: string | null;
  byOther: boolean;
  reason: string;
  link: string;
  ics: string | null;
}): Email {
  const what = input.when ? `The short call on ${input.when}` : 'The short call you were arranging';
  return {
    to: input.to,
    ...(input.ics ? { ics: input.ics } : {}),
    subject: `Call cancelled${input.when ? `: ${input.when}` : ''}`,
    text: `Hello ${input.name},

${what} with ${input.otherName} is cancelled${input.byOther ? ` by ${input.otherName}` : ''}: ${input.reason}.

${input.ics ? 'The attached update removes it from your calendar. ' : ''}You can arrange another from your page:

${input.link}${SIGN_OFF}`,
  };
}

/** To a lead address that is not a user: the links to its open leads, each working without an account. */
export function leadLinksEmail(
  to: string,
  firmName: string,
  leads: { reference: string; status: string; link: string }[],
): Email {
  return {
    to,
    subject: 'Your open leads on Auditmatch',
    text: `Hello ${firmName},

This address has no Auditmatch account, but briefs for your firm come here. Each link below opens its lead — accept, ask the buyer, quote, and take the call — without an account:

${leads.map((l) => `Request ${l.reference} (${l.status === 'sent' ? 'waiting for your answer' : 'accepted'}): ${l.link}`).join('\n')}

To manage your profile and every lead in one place, claim your firm's workspace on Auditmatch.${SIGN_OFF}`,
  };
}
