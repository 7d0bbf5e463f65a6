import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Secrets } from '../services/secrets';

export interface Email {
  to: string;
  subject: string;
  text: string;
  /** An iCalendar invitation proposal for the one short call, attached as text/calendar. */
  ics?: string;
  replyTo?: string;
}

/** Email payloads carry addresses, so they are sealed in the outbox like contact fields. */
export function sealEmail(secrets: Secrets, email: Email): string {
  return secrets.encrypt(JSON.stringify(email));
}

export function openEmail(secrets: Secrets, payload: string): Email {
  return JSON.parse(secrets.decrypt(payload)) as Email;
}

export interface EmailSender {
  send(email: Email, idempotencyKey: string): Promise<void>;
  close(): void;
}

/** A stable Message-ID per outbox key lets mail systems drop a copy resent after a crash. */
export function messageId(idempotencyKey: string, from: string): string {
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'auditmatch.local';
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
}

export function smtpSender(smtpUrl: string, from: string): EmailSender {
  const url = new URL(smtpUrl);
  const defaults = {
    // Short timeouts: a hung SMTP peer must fail the attempt (and be retried), not stall the worker.
    connectionTimeout: '5000',
    greetingTimeout: '5000',
    socketTimeout: '10000',
    // One connection carries many messages: a new session per message (connect, greeting, EHLO,
    // often TLS) capped delivery at a few messages a second. A connection that fails takes its
    // message with it into the outbox's retry; an idle one is closed after a while.
    pool: 'true',
    // As many sessions as the worker keeps messages in flight (OUTBOX_IN_FLIGHT), no more.
    maxConnections: '4',
  };
  for (const [k, v] of Object.entries(defaults)) {
    if (!url.searchParams.has(k)) url.searchParams.set(k, v);
  }
  const transport: Transporter = nodemailer.createTransport(url.toString());
  return {
    async send(email, idempotencyKey) {
      await transport.sendMail({
        from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        messageId: messageId(idempotencyKey, from),
        ...(email.replyTo ? { replyTo: email.replyTo } : {}),
        ...(email.ics
          ? { icalEvent: { method: 'REQUEST', filename: 'call.ics', content: email.ics } }
          : {}),
      });
    },
    close: () => transport.close(),
  };
}

/** Outside production without SMTP: the message is kept in the outbox and shown at /dev/mailbox. */
export const devMailboxSender: EmailSender = {
  async send() {},
  close() {},
};
