import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasUnsafeText, plainText } from '../../src/domain/text';
import { smtpSender } from '../../src/outbox/email';
import { callInvitation } from '../../src/services/invitations';
import { formSession, useApp } from '../helpers/app';
import { describeEachEngine } from '../helpers/databases';
import { SmtpSink } from '../helpers/smtp-sink';
import { leafPaths, toForm, toJson, withValue } from './corpus';
import {
  allTableNames,
  baseBody,
  cookies,
  credentialsFor,
  type Fixtures,
  type PageForm,
  plausiblePath,
  type RouteEntry,
  STATE_CHANGING,
  surveyApp,
} from './routes';

/**
 * Text that other people read: line breaks where a field is one line, and text-direction
 * overrides anywhere, are refused by every form and API body; the writers of other formats
 * (iCalendar, email headers) escape what they are given, proven by parsing their output back.
 */

const LINE_BREAKS = {
  LF: 'Robin\nBcc: victim@evil.example',
  CRLF: 'Robin\r\nLOCATION:Evil street',
  'lone CR': 'Robin\rURL:https://evil.example/',
} as const;
const DIRECTION = {
  'U+202E override': 'Robin \u202Eexe.txt\u202C Buyer',
  'U+2066 isolate': 'Robin \u2066gnp.exe\u2069 Buyer',
} as const;
const HOSTILE: Record<string, string> = { ...LINE_BREAKS, ...DIRECTION };

describe('plainText', () => {
  it('refuses line breaks in one-line text and direction characters everywhere', () => {
    const oneLine = plainText(200);
    const multi = plainText(200, { multiline: true });
    for (const [label, value] of Object.entries(LINE_BREAKS)) {
      expect(oneLine.safeParse(value).success, label).toBe(false);
      // Kept in several-line text, as LF only.
      expect(multi.parse(value), label).toBe(value.replace(/\r\n?/g, '\n'));
    }
    for (const [label, value] of Object.entries(DIRECTION)) {
      expect(oneLine.safeParse(value).success, label).toBe(false);
      expect(multi.safeParse(value).success, label).toBe(false);
    }
    for (const bad of ['a\u0000b', 'a\u001bb', 'a\u0085b', 'a\u2028b', 'a\u202Ab', 'a\u2069b']) {
      expect(multi.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(oneLine.parse('  Zoë 🤖 Ωmega GmbH — عربي  ')).toBe('Zoë 🤖 Ωmega GmbH — عربي');
  });
});

describe('writers of other formats', () => {
  it('escapes every text of a calendar invitation, so no value adds a property', () => {
    const hostile = `Acme${LINE_BREAKS['lone CR']}${LINE_BREAKS.CRLF}${LINE_BREAKS.LF};x,y\\z`;
    const ics = callInvitation({
      uid: 'call-1@auditmatch',
      sequence: 0,
      method: 'REQUEST',
      start: Date.UTC(2027, 0, 5, 15),
      end: Date.UTC(2027, 0, 5, 15, 30),
      summary: `Short call: ${hostile}`,
      description: hostile,
      organizer: { name: hostile, email: 'firm@firm.example' },
      attendees: [{ name: `"${hostile}"`, email: 'buyer@buyer.example\r\nX-EVIL:1' }],
      now: new Date(Date.UTC(2027, 0, 1)),
    });
    // Every physical line is a fold of at most 75 octets ending in CRLF; no bare CR or LF.
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const calendar = new ICAL.Component(ICAL.parse(ics));
    const events = calendar.getAllSubcomponents('vevent');
    expect(events).toHaveLength(1);
    const event = events[0]!;
    const names = event
      .getAllProperties()
      .map((p) => p.name)
      .sort();
    expect(names).toEqual(
      [
        'attendee',
        'description',
        'dtend',
        'dtstamp',
        'dtstart',
        'organizer',
        'sequence',
        'status',
        'summary',
        'uid',
      ].sort(),
    );
    expect(
      calendar
        .getAllProperties()
        .map((p) => p.name)
        .sort(),
    ).toEqual(['calscale', 'method', 'prodid', 'version']);
    expect(event.getFirstPropertyValue('description')).toBe(hostile.replace(/\r\n?/g, '\n'));
    expect(event.getFirstPropertyValue('summary')).toBe(
      `Short call: ${hostile.replace(/\r\n?/g, '\n')}`,
    );
  });

  it('sends an email whose headers no value can add to', async () => {
    const sink = new SmtpSink();
    await sink.start();
    const sender = smtpSender(sink.url, 'Auditmatch <hello@auditmatch.example>');
    try {
      await sender.send(
        {
          to: 'firm@firm.example',
          replyTo: 'buyer@buyer.example',
          subject: `Call booked: Acme${LINE_BREAKS.LF}${LINE_BREAKS['lone CR']}${LINE_BREAKS.CRLF}`,
          text: `Hello\r\n\r\nBcc: nobody`,
        },
        'text-test',
      );
      await sink.waitForCount(1);
      const parsed = await simpleParser(sink.messages[0]!.raw);
      expect([...parsed.headers.keys()].filter((h) => /bcc|location|url/i.test(h))).toEqual([]);
      expect(parsed.subject).not.toMatch(/[\r\n]/);
      expect(parsed.subject).toContain('Call booked: Acme');
      expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toBe('firm@firm.example');
    } finally {
      sender.close();
      await sink.stop();
    }
  });
});

/** Single-line text columns that must never hold a line break, as stored (decrypted where sealed). */
const ONE_LINE_COLUMNS: Record<string, string[]> = {
  quote_requests: ['contact_name_enc', 'company_enc', 'phone_enc'],
  firms: ['name'],
  users: ['name'],
  credentials: ['issuer', 'identifier'],
  api_keys: ['label'],
};

describeEachEngine('text others read, through every form and API body', (t) => {
  let app: FastifyInstance;
  let routes: RouteEntry[];
  let fixtures: Fixtures;
  let forms = new Map<string, PageForm[]>();
  let session: { token: string; cookie: string };

  useApp(t, (built) => (app = built), { config: { rateLimitMultiplier: 100_000 } });
  beforeAll(async () => {
    ({ routes, fixtures, forms } = await surveyApp(app));
    session = await formSession(app, '/sign-in');
  });

  it('stores no line break in a one-line field and no direction character anywhere', async () => {
    let sent = 0;
    for (const route of routes.filter((r) => STATE_CHANGING.has(r.method))) {
      const path = plausiblePath(route, fixtures, forms);
      const base = baseBody(route, path, forms);
      const auth = credentialsFor(route, fixtures);
      for (const field of leafPaths(base)) {
        if (field.at(-1) === '_csrf') continue;
        for (const [label, value] of Object.entries(HOSTILE)) {
          const body = withValue(base, field, value) as Record<string, unknown>;
          const headers: Record<string, string> = {};
          const cookie = cookies(route.api ? undefined : session.cookie, auth.cookie);
          if (cookie) headers.cookie = cookie;
          if (auth.authorization) headers.authorization = auth.authorization;
          let payload: string;
          if (route.api) {
            headers['content-type'] = 'application/json';
            payload = toJson(body);
          } else {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            payload = toForm({ ...body, _csrf: session.token });
          }
          const res = await app.inject({ method: route.method, url: path, headers, payload });
          sent++;
          expect(
            res.statusCode,
            `${route.method} ${route.url} ${field.join('.')} = ${label}`,
          ).toBeLessThan(500);
        }
      }
    }
    expect(sent).toBeGreaterThan(200);
    // A direction character may only pass where the value is not kept as text (an id, a choice).
    const stored = await storedText(app);
    expect(
      stored.filter((s) => hasUnsafeText(s.value, { multiline: true })).map((s) => s.where),
    ).toEqual([]);
    expect(stored.filter((s) => s.value.includes('\r')).map((s) => s.where)).toEqual([]);
    expect(stored.filter((s) => s.oneLine && hasUnsafeText(s.value)).map((s) => s.where)).toEqual(
      [],
    );
  }, 600_000);
});

/** Every text value in the database, sealed ones opened, with whether its column is one line. */
async function storedText(
  app: FastifyInstance,
): Promise<{ where: string; value: string; oneLine: boolean }[]> {
  const { db, secrets } = app.ctx;
  const out: { where: string; value: string; oneLine: boolean }[] = [];
  for (const name of await allTableNames(app)) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(
      db.kysely,
    );
    for (const row of rows.rows) {
      for (const [column, raw] of Object.entries(row)) {
        if (typeof raw !== 'string') continue;
        const snake = column.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        let value = raw;
        if (/_enc$/.test(snake) || (name === 'outbox' && column === 'payload')) {
          try {
            value = secrets.decrypt(raw);
          } catch {
            continue;
          }
        }
        // Email bodies and calendar files are multi-line by nature; their headers are checked above.
        if (name === 'outbox') {
          try {
            const email = JSON.parse(value) as { subject?: string };
            if (typeof email.subject === 'string')
              out.push({ where: `outbox.subject`, value: email.subject, oneLine: true });
          } catch {}
          continue;
        }
        out.push({
          where: `${name}.${snake}: ${JSON.stringify(value).slice(0, 60)}`,
          value,
          oneLine: ONE_LINE_COLUMNS[name]?.includes(snake) ?? false,
        });
      }
    }
  }
  return out;
}
