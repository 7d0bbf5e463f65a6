/** Calendar arithmetic the services share: business days and the proposed call slot. */

/** Adds business days (Monday–Friday); public holidays are not modelled. */
export function addBusinessDays(from: Date, days: number): Date {
  const d = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d;
}

/** Escapes a TEXT value for iCalendar (RFC 5545 §3.3.11). */
function icsText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

function icsStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * A proposal for the one short call: 30 minutes at 15:00 UTC two business days out, which
 * either side can move; the booking link in the description is the real way to pick a time.
 */
export function introCallInvite(input: {
  uid: string;
  now: Date;
  summary: string;
  description: string;
  organizerEmail: string;
  attendees: string[];
}): string {
  const start = addBusinessDays(input.now, 2);
  start.setUTCHours(15, 0, 0, 0);
  const end = new Date(start.getTime() + 30 * 60_000);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Auditmatch//Intro call//EN',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    `UID:${input.uid}`,
    `DTSTAMP:${icsStamp(input.now)}`,
    `DTSTART:${icsStamp(start)}`,
    `DTEND:${icsStamp(end)}`,
    `SUMMARY:${icsText(input.summary)}`,
    `DESCRIPTION:${icsText(input.description)}`,
    `ORGANIZER:mailto:${input.organizerEmail}`,
    ...input.attendees.map((a) => `ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:${a}`),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.join('\r\n')}\r\n`;
}
