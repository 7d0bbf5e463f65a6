import { SMTPServer } from 'smtp-server';

/** One message as the sink received it, with its body decoded enough to read links. */
export interface SinkMessage {
  messageId: string;
  to: string[];
  subject: string;
  /** The whole message with quoted-printable soft breaks and escapes undone. */
  text: string;
  receivedAt: number;
}

function header(raw: string, name: string): string {
  const head = (raw.split(/\r?\n\r?\n/, 1)[0] ?? '').replace(/\r?\n[ \t]+/g, ' ');
  const line = head
    .split(/\r?\n/)
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}

/** Undoes quoted-printable (soft line breaks, =XX escapes) so URLs split across lines read whole. */
function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  return Buffer.from(
    joined.replace(/=([0-9A-F]{2})/g, (_m, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    ),
    'latin1',
  ).toString('utf8');
}

/**
 * A real SMTP server on 127.0.0.1 for the slow tests: random port, no TLS, no auth, every
 * message recorded. It can be stopped and started again on the same port (SMTP outage).
 */
export class SmtpSink {
  readonly messages: SinkMessage[] = [];
  private server: SMTPServer | null = null;
  private boundPort = 0;
  private listeners: ((m: SinkMessage) => void)[] = [];

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.boundPort}`;
  }

  /** Called for every message received from now on. */
  onMessage(listener: (m: SinkMessage) => void) {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      secure: false,
      disabledCommands: ['STARTTLS'],
      logger: false,
      disableReverseLookup: true,
      closeTimeout: 200,
      size: 1024 * 1024,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', callback);
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const message: SinkMessage = {
            messageId: header(raw, 'Message-ID'),
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: header(raw, 'Subject'),
            text: /quoted-printable/i.test(raw) ? decodeQuotedPrintable(raw) : raw,
            receivedAt: Date.now(),
          };
          this.messages.push(message);
          for (const l of this.listeners) l(message);
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => {});
    const address = server.server.address();
    if (address && typeof address === 'object') this.boundPort = address.port;
    this.server = server;
  }

  /** Stops listening and drops open connections; the port stays reserved for start(). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** How many copies of each Message-ID arrived. */
  copiesById(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.messages) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
    return counts;
  }
}

/** The path of the first link under `prefix` in a message (e.g. "/r/confirm/"). */
export function linkPath(message: SinkMessage, prefix: string): string | null {
  const escaped = prefix.replace(/[/.]/g, '\\$&');
  const match = new RegExp(`https?://[^\\s/]+(${escaped}[A-Za-z0-9_\\-.~%]+)`).exec(message.text);
  return match?.[1] ?? null;
}
