import type { Email } from '../../outbox/email';
import { SIGN_IN_LINK_MINUTES } from '../auth';

/** The words of the emails the firm workspace sends. Plain text, like every other email. */

const SIGN_OFF = '\n\n— Auditmatch\nIndependent of every firm listed. Free for buyers. No spam.';

/** The one-time sign-in link, how long it lasts and where to ask for another. */
const signInLink = (link: string, signInUrl: string) =>
  `${link}\n\nThe link works once and expires in ${SIGN_IN_LINK_MINUTES} minutes. If the link has expired, ask for a new one at ${signInUrl}.`;

export function applicationReceivedEmail(to: string, name: string, firmName: string): Email {
  return {
    to,
    subject: `We received your application for ${firmName}`,
    text: `Hello ${name},

Thank you for applying to manage ${firmName} on Auditmatch. The Auditmatch team checks every application against the firm's public records before opening the workspace; you will get an email with a sign-in link once it is approved.

If you did not apply, ignore this message.${SIGN_OFF}`,
  };
}

export function applicationApprovedEmail(
  to: string,
  firmName: string,
  ...link: Parameters<typeof signInLink>
): Email {
  return {
    to,
    subject: `Your Auditmatch workspace for ${firmName} is open`,
    text: `Hello,

Your application to manage ${firmName} on Auditmatch is approved. Sign in here:

${signInLink(...link)}

In the workspace you can complete your profile, add your credentials for verification and answer briefs.${SIGN_OFF}`,
  };
}

export function applicationRejectedEmail(to: string, firmName: string, reason: string): Email {
  return {
    to,
    subject: `Your application for ${firmName}`,
    text: `Hello,

We could not approve your application to manage ${firmName} on Auditmatch.

Reason: ${reason}

You can reply to this email if you think this is a mistake.${SIGN_OFF}`,
  };
}

export function invitationEmail(
  to: string,
  firmName: string,
  invitedBy: string,
  ...link: Parameters<typeof signInLink>
): Email {
  return {
    to,
    subject: `You are invited to ${firmName} on Auditmatch`,
    text: `Hello,

${invitedBy} added you to ${firmName}'s workspace on Auditmatch, where the firm answers briefs from companies looking for an auditor and sends its quotes.

Sign in here:

${signInLink(...link)}${SIGN_OFF}`,
  };
}

export function quoteChosenEmail(to: string, firmName: string, leadUrl: string): Email {
  return {
    to,
    subject: 'A buyer chose your quote',
    text: `Hello ${firmName},

The buyer marked your quote as its choice among the quotes it compared. It books its short call with the firm it picks; its contact details reach you with that booking, or when it shares them. Your lead:

${leadUrl}${SIGN_OFF}`,
  };
}

/** To the firm member who asked for a new website: what the operator decided, and what shows now. */
export function websiteDecisionEmail(input: {
  to: string;
  firmName: string;
  approved: boolean;
  requested: string | null;
  shown: string | null;
  note: string;
  profileUrl: string;
}): Email {
  const requested = input.requested ?? 'no website';
  const shown = input.shown ?? 'no website';
  return {
    to: input.to,
    subject: input.approved
      ? `${input.firmName}'s new website is live on Auditmatch`
      : `${input.firmName}'s website change was not approved`,
    text: `Hello,

${
  input.approved
    ? `The Auditmatch team approved the website change you asked for: ${input.firmName}'s profile now shows ${requested}.`
    : `The Auditmatch team did not approve the website change you asked for (${requested}): ${input.firmName}'s profile keeps ${shown}.`
}${input.note ? `\n\nNote from the team: ${input.note}` : ''}

Your profile: ${input.profileUrl}${input.approved ? '' : '\n\nYou can reply to this email with what shows the new address belongs to your firm, or ask again from the profile page.'}${SIGN_OFF}`,
  };
}
