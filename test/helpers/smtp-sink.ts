import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** One message as the sink received it: the envelope, a few headers, and the raw text. */
export interface SunkMessage {
  envelopeTo: string[];
  to: string;
  subject: string;
  messageId: string;
  raw: string;
}

/** Unfolds RFC 5322 header lines and returns the first value of `name` (case-insensitive). */
export function headerValue(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name.toLowerCase()) {
      return line.slice(colon + 1).trim();
    }
  }
  return '';
}

export interface SmtpSinkOptions {
  /** Recipients the sink refuses with a permanent 550 (to make a message fail for good). */
  rejectRecipient?: (address: string) => boolean;
  /** Milliseconds the sink waits before accepting each message: a slow mail server. */
  dataDelayMs?: number;
}

/**
 * A real SMTP peer on 127.0.0.1 for tests: plain text (no TLS, STARTTLS disabled), no auth
 * required, recording every message. It can be stopped and started again on the same port,
 * so tests can take the mail server away while the app keeps sending.
 */
export class SmtpSink {
  readonly messages: SunkMessage[] = [];
  /** SMTP sessions opened to the sink so far (a pooled sender reuses one for many messages). */
  connections = 0;
  private server: SMTPServer | null = null;
  private boundPort = 0;
  private waiters: { n: number; resolve: () => void }[] = [];

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
      onConnect: (_session, callback) => {
        this.connections++;
        callback();
      },
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        if (this.options.rejectRecipient?.(address.address)) {
          const error = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
          callback(error);
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
          this.messages.push({
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            to: headerValue(raw, 'To'),
            subject: headerValue(raw, 'Subject'),
            messageId: headerValue(raw, 'Message-ID'),
            raw,
          });
          const accept = () => {
            this.notify();
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

  /** Stops listening; the port is kept, so `start` comes back on the same address. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once at least `n` messages have arrived in total; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs = 10_000): Promise<SunkMessage[]> {
    if (this.messages.length >= n) return Promise.resolve(this.messages.slice());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(`SMTP sink: ${this.messages.length} of ${n} messages after ${timeoutMs} ms`),
        );
      }, timeoutMs);
      const waiter = {
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.messages.slice());
        },
      };
      this.waiters.push(waiter);
    });
  }

  clear(): void {
    this.messages.length = 0;
  }

  private notify() {
    const ready = this.waiters.filter((w) => this.messages.length >= w.n);
    this.waiters = this.waiters.filter((w) => this.messages.length < w.n);
    for (const w of ready) w.resolve();
  }
}
