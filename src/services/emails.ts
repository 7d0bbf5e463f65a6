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
  type CompanyStage,
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

export function briefEmail(to: string, firmName: string, scope: ScopeInput, reference: string, link: string, respondBy: string): Email {
  return {
    to,
    subject: `New brief ${reference}: a company asks for your quote`,
    text: `Hello ${firmName},

A company chose you as one of at most three firms to hear from. Here is its anonymised brief (request ${reference}):

${briefSummary(scope)}

Read it and accept or decline here (before ${respondBy}):

${link}

Accepting gives you the buyer's contact details and a booking link for one short call. If you decline or do not answer in time, the buyer is offered another firm. There is no fee for this lead.${SIGN_OFF}`,
  };
}

export function introEmailToFirm(input: {
  to: string;
  firmName: string;
  buyer: { name: string; email: string; company: string; phone?: string | null };
  scope: ScopeInput;
  ics: string;
}): Email {
  return {
    to: input.to,
    replyTo: input.buyer.email,
    subject: `Introduction: ${input.buyer.company}`,
    ics: input.ics,
    text: `Hello ${input.firmName},

Thank you for accepting the brief. Here are the buyer's contact details:

Name: ${input.buyer.name}
Company: ${input.buyer.company}
Email: ${input.buyer.email}${input.buyer.phone ? `\nPhone: ${input.buyer.phone}` : ''}

Scope:
${briefSummary(input.scope)}

The buyer asked for one short call, not a sales sequence. A calendar proposal is attached; your booking link was sent to the buyer. You can submit an itemised quote against this scope in your workspace so the buyer can compare it side by side.

These details are for this introduction only: do not add them to marketing lists. The buyer can report unwanted contact to us.${SIGN_OFF}`,
  };
}

export function introEmailToBuyer(input: {
  to: string;
  buyerName: string;
  firm: { name: string; website: string | null; bookingUrl: string | null; email: string | null; profileUrl: string };
  ics: string;
}): Email {
  const f = input.firm;
  return {
    to: input.to,
    subject: `${f.name} accepted your brief`,
    ics: input.ics,
    ...(f.email ? { replyTo: f.email } : {}),
    text: `Hello ${input.buyerName},

${f.name} accepted your brief and now has your contact details.

Book your short call: ${f.bookingUrl ?? 'the firm will propose a time by email'}
Firm profile: ${f.profileUrl}${f.website ? `\nWebsite: ${f.website}` : ''}${f.email ? `\nEmail: ${f.email}` : ''}

A calendar proposal is attached. Quotes from the firms you chose will appear side by side on ${PAGE_HINT}.${SIGN_OFF}`,
  };
}

const PAGE_HINT = 'your private page (its link is in the email we sent when you confirmed your request)';

/** Why the buyer hears that a firm it chose is out, and what it can do next. */
export type FirmOutNotice = 'declined' | 'expired' | 'withdrawn-by-firm';

export function declinedEmail(to: string, buyerName: string, firmName: string, why: FirmOutNotice): Email {
  const subject = {
    declined: `${firmName} declined your brief`,
    expired: `${firmName} did not answer in time`,
    'withdrawn-by-firm': `${firmName} can no longer take your brief`,
  }[why];
  const what = {
    declined: `${firmName} declined your brief, so it never received your contact details.`,
    expired: `${firmName} did not answer your brief within the response window, so it never received your contact details.`,
    'withdrawn-by-firm': `${firmName} can no longer take your brief: it is suspended on Auditmatch or no longer holds the credentials or independence your scope needs. It cannot see your details or quote, and any quote it sent is withdrawn.`,
  }[why];
  return {
    to,
    subject,
    text: `Hello ${buyerName},

${what}

On ${PAGE_HINT} you can choose the next best firm for your scope, or carry on with the firms you have.${SIGN_OFF}`,
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
  const which = input.company ? `request ${input.reference} (${input.company})` : `request ${input.reference}`;
  return {
    to: input.to,
    subject: `Brief withdrawn: ${input.reference}`,
    text: `Hello ${input.firmName},

Your brief for ${which} was withdrawn: ${input.reason}.

${input.heldContact ? 'Please do not contact the buyer about it again, and delete the contact details you received.' : 'You never received the buyer’s details; there is nothing to do.'}

The lead stays in your workspace for your records: ${input.leadUrl}${SIGN_OFF}`,
  };
}
