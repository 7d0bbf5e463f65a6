import { describe, expect, it } from 'vitest';
import { localTimeLabel, zonedInstant } from '../../src/domain/calls/zones';
import { type CallInvitation, callInvitation } from '../../src/services/invitations';
import { readInvitation } from '../helpers/calendar';

const base = (over: Partial<CallInvitation>): CallInvitation => ({
  uid: 'call-42@auditmatch',
  sequence: 0,
  method: 'REQUEST',
  start: Date.UTC(2027, 2, 9, 1, 0),
  end: Date.UTC(2027, 2, 9, 1, 30),
  summary: 'Short call: Northwind and Ambergill (request AM-7Q2K)',
  description: 'The one short call about request AM-7Q2K.',
  organizer: { name: 'Ambergill Assurance', email: 'leads@ambergill.example' },
  attendees: [
    { name: 'Dana Whitfield', email: 'dana@northwind.example' },
    { name: 'Ambergill Assurance', email: 'leads@ambergill.example' },
  ],
  now: new Date(Date.UTC(2027, 2, 1, 12, 0)),
  ...over,
});

const call = (start: number) => base({ start, end: start + 30 * 60_000 });

describe('call invitations read back by a calendar parser', () => {
  it.each([
    // A buyer in Tokyo books 10:00 its time; the firm in New York sees 20:00 the evening before.
    {
      zone: 'Asia/Tokyo',
      date: '2027-03-09',
      time: '10:00',
      utc: '2027-03-09T01:00:00.000Z',
      other: 'America/New_York',
      otherLabel: 'Monday 8 March 2027, 20:00 (America/New York)',
    },
    // Los Angeles has moved to summer time (14 March 2027), Berlin has not yet (28 March): the gap is 8 hours, not 9.
    {
      zone: 'America/Los_Angeles',
      date: '2027-03-15',
      time: '09:00',
      utc: '2027-03-15T16:00:00.000Z',
      other: 'Europe/Berlin',
      otherLabel: 'Monday 15 March 2027, 17:00 (Europe/Berlin)',
    },
    // The day after Berlin moves to summer time: 10:00 is 08:00 UTC.
    {
      zone: 'Europe/Berlin',
      date: '2027-03-29',
      time: '10:00',
      utc: '2027-03-29T08:00:00.000Z',
      other: 'America/Los_Angeles',
      otherLabel: 'Monday 29 March 2027, 01:00 (America/Los Angeles)',
    },
  ])(
    'a call at $time in $zone starts at $utc for every calendar',
    ({ zone, date, time, utc, other, otherLabel }) => {
      const start = zonedInstant(date, time, zone);
      const invitation = readInvitation(callInvitation(call(start)));
      expect(invitation.start).toBe(utc);
      expect(Date.parse(invitation.end) - Date.parse(invitation.start)).toBe(30 * 60_000);
      expect(localTimeLabel(start, other)).toBe(otherLabel);
    },
  );

  it('moving a call across a change to summer time keeps the UID, raises the SEQUENCE and keeps the local hour', () => {
    const before = zonedInstant('2027-03-26', '10:00', 'Europe/Berlin');
    const after = zonedInstant('2027-04-02', '10:00', 'Europe/Berlin');
    const first = readInvitation(callInvitation(call(before)));
    const moved = readInvitation(callInvitation({ ...call(after), sequence: 1 }));
    expect(moved.uid).toBe(first.uid);
    expect(moved.sequence).toBe(first.sequence + 1);
    expect(first.start).toBe('2027-03-26T09:00:00.000Z');
    expect(moved.start).toBe('2027-04-02T08:00:00.000Z');
  });

  it('a cancellation names the same event and is marked cancelled', () => {
    expect(readInvitation(callInvitation(base({ method: 'CANCEL', sequence: 2 })))).toMatchObject({
      method: 'CANCEL',
      status: 'CANCELLED',
      uid: 'call-42@auditmatch',
      sequence: 2,
    });
  });

  it('text with line breaks, a lone CR, separators and bidi characters stays inside its own property', () => {
    const summary =
      'Short call: Acme\r\nLOCATION:Evil HQ\rURL:https://evil.example/; a, b \\ c \u202Egnp.exe';
    const description = `${'Ünïcödé ✓ '.repeat(30)}\nsecond line\rthird`;
    const ics = callInvitation(
      base({
        summary,
        description,
        organizer: {
          name: 'Firm "X"\r\nATTENDEE:mailto:spy@evil.example',
          email: 'leads@x.example\r\nURL:https://evil.example',
        },
        attendees: [{ name: 'Dana;\rRSVP=TRUE', email: 'dana@northwind.example' }],
      }),
    );
    const { event, ...parsed } = readInvitation(ics);
    const names = event.getAllProperties().map((p) => p.name);
    expect(names.filter((n) => n === 'summary')).toHaveLength(1);
    expect(names).not.toContain('location');
    expect(names).not.toContain('url');
    expect(parsed.attendees).toHaveLength(1);
    expect(parsed.summary).toBe(summary.replace(/\r\n|\r/g, '\n'));
    expect(parsed.description).toBe(description.replace(/\r\n|\r/g, '\n'));
    expect(parsed.organizer).toBe('mailto:leads@x.exampleURLhttps//evil.example');
    // Every physical line is at most 75 octets and ends with CRLF.
    for (const line of ics.split('\r\n').slice(0, -1))
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });
});
