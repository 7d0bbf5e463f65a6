import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/**
 * The one SMTP peer of the tests: unit tests of the sender, the browser journeys and the slow
 * fault tests all read the mail the app sends through this.
 */

/**
 * How long a wait for mail may last before it fails: a hang guard, never a speed check. Waits end
 * as soon as the mail arrives; on a machine at load 25, delivery through the outbox has taken
 * longer than the 10 to 15 s these waits once allowed.
 */
export const MAIL_WAIT_MS = 240_000;

/** One message as the sink received it: envelope, headers, decoded text and the raw source. */
export interface SunkMessage {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  /** The `To:` header as written. */
  toHeader: string;
  /** The subject, RFC 2047 encoded words decoded. */
  subject: string;
  messageId: string;
  /** Every text part (text/plain, text/calendar) decoded and joined. */
  text: string;
  raw: string;
  /** `Date.now()` when the message was accepted. */
  receivedAt: number;
}

/** Unfolds RFC 5322 header lines and returns the first value of `name` (case-insensitive). */
export function headerValue(raw: string, name: string): string {
  return splitHead(raw).headers.get(name.toLowerCase()) ?? '';
}

/** Undoes quoted-printable: soft line breaks (`=\r\n`) and `=XX` escapes (e.g. `=3D`). */
export function decodeQuotedPrintable(body: string): string {
  const unfolded = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unfolded.length; i++) {
    const hex = unfolded.slice(i + 1, i + 3);
    if (unfolded[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(unfolded[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function splitHead(part: string): { headers: Map<string, string>; body: string } {
  const at = part.search(/\r?\n\r?\n/);
  const head = at === -1 ? part : part.slice(0, at);
  const body = at === -1 ? '' : part.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  // Header folding: a line starting with white space continues the previous header.
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (colon > 0 && !headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

/** The text parts of a MIME entity, multipart or not (enough for what the app sends). */
function textParts(entity: string): string[] {
  const { headers, body } = splitHead(entity);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((p) => !p.startsWith('--'))
      .flatMap((p) => textParts(p.replace(/^\r?\n/, '')));
  }
  return /^text\//i.test(type) ? [decodeBody(body, headers.get('content-transfer-encoding'))] : [];
}

/** A subject may be an RFC 2047 encoded word when it carries non-ASCII text. */
function decodeHeader(value: string): string {
  return value.replace(
    /=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g,
    (_, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
}

export function parseMessage(raw: string, envelopeTo: string[]): SunkMessage {
  const { headers } = splitHead(raw);
  return {
    to: envelopeTo.map((a) => a.toLowerCase()),
    toHeader: headers.get('to') ?? '',
    subject: decodeHeader(headers.get('subject') ?? ''),
    messageId: headers.get('message-id') ?? '',
    text: textParts(raw).join('\n'),
    raw,
    receivedAt: Date.now(),
  };
}

/** Every http(s) link in a message's text. */
export function linksIn(message: SunkMessage): string[] {
  return [...message.text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]);
}

/** The path of the first link under `prefix` in a message (e.g. "/r/confirm/"), or null. */
export function linkPath(message: SunkMessage, prefix: string): string | null {
  for (const link of linksIn(message)) {
    const url = new URL(link);
    if (url.pathname.startsWith(prefix) && url.pathname.length > prefix.length) return url.pathname;
  }
  return null;
}

export interface SmtpSinkOptions {
  /** Recipients the sink refuses with a permanent 550 (to make a message fail for good). */
  rejectRecipient?: (address: string) => boolean;
  /** Milliseconds the sink waits before accepting each message: a slow mail server. */
  dataDelayMs?: number;
}

/**
 * A real SMTP peer on 127.0.0.1: plain text (no TLS, STARTTLS disabled), no auth required,
 * recording every message. It can be stopped and started again on the same port, so tests can
 * take the mail server away while the app keeps sending.
 */
export class SmtpSink {
  readonly messages: SunkMessage[] = [];
  /** SMTP sessions opened to the sink so far (a pooled sender reuses one for many messages). */
  connections = 0;
  private server: SMTPServer | null = null;
  private boundPort = 0;
  private listeners = new Set<(m: SunkMessage) => void>();

  constructor(private readonly options: SmtpSinkOptions = {}) {}

  get port(): number {
    if (!this.boundPort) throw new Error('the SMTP sink was never started');
    return this.boundPort;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  get listening(): boolean {
    return this.server !== null;
  }

  /** Starts listening: on a random free port the first time, on the same port afterwards. */
  async start(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      secure: false,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 200,
      disableReverseLookup: true,
      size: 1024 * 1024,
      onConnect: (_session, callback) => {
        this.connections++;
        callback();
      },
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        if (this.options.rejectRecipient?.(address.address)) {
          callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', callback);
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const message = parseMessage(
            raw,
            session.envelope.rcptTo.map((r) => r.address),
          );
          this.messages.push(message);
          const accept = () => {
            for (const listener of this.listeners) listener(message);
            callback();
          };
          if (this.options.dataDelayMs) setTimeout(accept, this.options.dataDelayMs);
          else accept();
        });
      },
    });
    server.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    const address = server.server.address();
    if (!address || typeof address === 'string')
      throw new Error('the SMTP sink has no TCP address');
    this.boundPort = address.port;
    this.server = server;
  }

  /** Stops listening and drops open connections; the port is kept, so `start` comes back on it. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Called for every message received from now on; returns a function that stops it. */
  onMessage(listener: (m: SunkMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once at least `n` messages have arrived in total; rejects after `timeoutMs`. */
  waitForCount(n: number, timeoutMs = MAIL_WAIT_MS): Promise<SunkMessage[]> {
    return this.until(
      () => (this.messages.length >= n ? this.messages.slice() : undefined),
      () => `SMTP sink: ${this.messages.length} of ${n} messages after ${timeoutMs} ms`,
      timeoutMs,
    );
  }

  /** Resolves with the first message that matches, waiting for delivery if needed. */
  waitFor(
    match: (m: SunkMessage) => boolean,
    what: string,
    timeoutMs = MAIL_WAIT_MS,
  ): Promise<SunkMessage> {
    return this.until(
      () => this.messages.find(match),
      () => {
        const seen =
          this.messages.map((m) => `${m.to.join(',')}: ${m.subject}`).join('; ') || 'none';
        return `No email ${what} within ${timeoutMs} ms (received: ${seen})`;
      },
      timeoutMs,
    );
  }

  /** How many copies of each Message-ID arrived. */
  copiesById(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.messages) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
    return counts;
  }

  clear(): void {
    this.messages.length = 0;
  }

  private until<T>(
    found: () => T | undefined,
    failure: () => string,
    timeoutMs: number,
  ): Promise<T> {
    const now = found();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const stop = this.onMessage(() => {
        const value = found();
        if (value === undefined) return;
        clearTimeout(timer);
        stop();
        resolve(value);
      });
      const timer = setTimeout(() => {
        stop();
        reject(new Error(failure()));
      }, timeoutMs);
    });
  }
}

/** A sink already listening on a random port. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const sink = new SmtpSink(options);
  await sink.start();
  return sink;
}
