/**
 * Calendar invitations for the one short call (iCalendar, RFC 5545): real UTC instants, the firm's
 * contact as organizer, a UID stable for the life of the call, updates with a higher SEQUENCE and
 * cancellations with METHOD:CANCEL, so calendars move or remove the same event instead of adding
 * another. Text is escaped and lines folded as the RFC says, so no value can start a property.
 */

export interface Person {
  name: string;
  email: string;
}

export interface CallInvitation {
  uid: string;
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  start: number;
  end: number;
  summary: string;
  description: string;
  organizer: Person;
  attendees: Person[];
  now: Date;
}

/** TEXT per RFC 5545 §3.3.11: backslash, semicolon, comma and line breaks escaped; a lone CR is a line break too. */
export function icsText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A parameter value (CN): quoted, without the characters a quoted value cannot hold. */
function icsParam(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return `"${value.replace(/["\u0000-\u001f\u007f]/g, '').trim()}"`;
}

/** Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence. */
export function foldLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    // Back off to the start of a UTF-8 character.
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74; // continuation lines begin with a space
  }
  return parts.join('\r\n ');
}

function icsStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const mailto = (email: string) => `mailto:${email.replace(/[\r\n;:,"]/g, '')}`;

export function callInvitation(i: CallInvitation): string {
  const cancelled = i.method === 'CANCEL';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Auditmatch//Short call//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${i.method}`,
    'BEGIN:VEVENT',
    `UID:${i.uid}`,
    `SEQUENCE:${i.sequence}`,
    `DTSTAMP:${icsStamp(i.now.getTime())}`,
    `DTSTART:${icsStamp(i.start)}`,
    `DTEND:${icsStamp(i.end)}`,
    `SUMMARY:${icsText(i.summary)}`,
    `DESCRIPTION:${icsText(i.description)}`,
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    `ORGANIZER;CN=${icsParam(i.organizer.name)}:${mailto(i.organizer.email)}`,
    ...i.attendees.map(
      (a) =>
        `ATTENDEE;CN=${icsParam(a.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=${cancelled ? 'DECLINED' : 'NEEDS-ACTION'};RSVP=${cancelled ? 'FALSE' : 'TRUE'}:${mailto(a.email)}`,
    ),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
