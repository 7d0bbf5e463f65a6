import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { plainText } from '../../src/domain/text';
import { smtpSender } from '../../src/outbox/email';
import { callInvitation } from '../../src/services/invitations';
import { SmtpSink } from '../helpers/smtp-sink';
import { DIRECTION, LINE_BREAKS } from './corpus';

/**
 * Text that other people read: the text module refuses line breaks where a field is one line and
 * text-direction overrides anywhere; the writers of other formats (iCalendar, email headers)
 * escape what they are given, proven by parsing their output back. That every form and API body
 * refuses them is swept in test/sweeps/text-through-forms.test.ts.
 */

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
