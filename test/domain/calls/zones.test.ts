import { describe, expect, it } from 'vitest';
import {
  callInterval,
  isPublishedSlot,
  MIN_NOTICE_HOURS,
  openSlots,
  overlaps,
} from '../../../src/domain/calls/slots';
import {
  isTimeZone,
  localTimeLabel,
  offsetMinutes,
  wallClock,
  zonedInstant,
} from '../../../src/domain/calls/zones';

const at = (iso: string) => Date.parse(iso);

describe('wall-clock times in time zones', () => {
  it('reads one instant in Tokyo, New York, Los Angeles and Berlin', () => {
    const t = at('2027-03-09T01:00:00Z');
    expect(wallClock(t, 'Asia/Tokyo')).toMatchObject({
      date: '2027-03-09',
      time: '10:00',
      weekday: 2,
    });
    expect(wallClock(t, 'America/New_York')).toMatchObject({
      date: '2027-03-08',
      time: '20:00',
      weekday: 1,
    });
    expect(wallClock(t, 'America/Los_Angeles')).toMatchObject({
      date: '2027-03-08',
      time: '17:00',
    });
    expect(wallClock(t, 'Europe/Berlin')).toMatchObject({ date: '2027-03-09', time: '02:00' });
    expect(localTimeLabel(t, 'Asia/Tokyo')).toBe('Tuesday 9 March 2027, 10:00 (Asia/Tokyo)');
  });

  it('turns a wall-clock time into the instant it names, across daylight-saving changes', () => {
    // New York moves to summer time on 14 March 2027: 09:00 is 14:00 UTC before, 13:00 UTC after.
    expect(zonedInstant('2027-03-12', '09:00', 'America/New_York')).toBe(
      at('2027-03-12T14:00:00Z'),
    );
    expect(zonedInstant('2027-03-15', '09:00', 'America/New_York')).toBe(
      at('2027-03-15T13:00:00Z'),
    );
    // Berlin moves on 28 March 2027; Los Angeles back on 7 November 2027.
    expect(zonedInstant('2027-03-26', '09:00', 'Europe/Berlin')).toBe(at('2027-03-26T08:00:00Z'));
    expect(zonedInstant('2027-03-29', '09:00', 'Europe/Berlin')).toBe(at('2027-03-29T07:00:00Z'));
    expect(zonedInstant('2027-11-08', '09:00', 'America/Los_Angeles')).toBe(
      at('2027-11-08T17:00:00Z'),
    );
    expect(zonedInstant('2027-03-09', '10:00', 'Asia/Tokyo')).toBe(at('2027-03-09T01:00:00Z'));
    expect(offsetMinutes(at('2027-07-01T00:00:00Z'), 'America/New_York')).toBe(-240);
    expect(offsetMinutes(at('2027-01-01T00:00:00Z'), 'Asia/Tokyo')).toBe(540);
  });

  it('reads a skipped hour after the jump and a repeated hour as its first occurrence', () => {
    // 02:30 does not exist in New York on 14 March 2027; it reads as 03:30 summer time.
    expect(
      wallClock(zonedInstant('2027-03-14', '02:30', 'America/New_York'), 'America/New_York').time,
    ).toBe('03:30');
    // 01:30 happens twice on 7 November 2027: the first is still summer time (UTC−4).
    expect(zonedInstant('2027-11-07', '01:30', 'America/New_York')).toBe(
      at('2027-11-07T05:30:00Z'),
    );
  });

  it('knows the zones it can use', () => {
    expect(isTimeZone('Asia/Tokyo')).toBe(true);
    expect(isTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    for (const bad of ['Mars/Olympus', 'Asia/Tokyo\r\nX', '', '../etc'])
      expect(isTimeZone(bad)).toBe(false);
  });
});

describe('a firm’s published slots', () => {
  const windows = [1, 2, 3, 4, 5].map((weekday) => ({
    weekday,
    startMinute: 9 * 60,
    endMinute: 12 * 60,
  }));

  it('offers 30-minute slots inside the windows, in the firm’s zone, after the notice period', () => {
    const now = at('2027-03-08T12:00:00Z'); // Monday, 07:00 in New York
    const slots = openSlots({ windows, timeZone: 'America/New_York', now, busy: [], limit: 40 });
    expect(slots.length).toBe(40);
    for (const s of slots) {
      const w = wallClock(s, 'America/New_York');
      expect(w.weekday).toBeGreaterThanOrEqual(1);
      expect(w.weekday).toBeLessThanOrEqual(5);
      expect(w.minute).toBeGreaterThanOrEqual(9 * 60);
      expect(w.minute + 30).toBeLessThanOrEqual(12 * 60);
      expect(s).toBeGreaterThanOrEqual(now + MIN_NOTICE_HOURS * 3_600_000);
      expect(isPublishedSlot(s, windows, 'America/New_York')).toBe(true);
    }
    // The first is Tuesday 09:00 New York (Monday's are inside the notice period).
    expect(wallClock(slots[0]!, 'America/New_York')).toMatchObject({
      date: '2027-03-09',
      time: '09:00',
    });
    // Across the change to summer time the wall-clock slots stay at 09:00 New York.
    const after = slots.filter((s) => s > at('2027-03-15T00:00:00Z'));
    expect(new Date(after[0]!).toISOString()).toBe('2027-03-15T13:00:00.000Z');
  });

  it('leaves out slots that clash with either side’s calls, and refuses unpublished times', () => {
    const now = at('2027-03-08T12:00:00Z');
    const busy = [callInterval(at('2027-03-09T14:00:00Z'))];
    const slots = openSlots({ windows, timeZone: 'America/New_York', now, busy, limit: 10 });
    expect(slots).not.toContain(at('2027-03-09T14:00:00Z'));
    expect(slots.some((s) => overlaps(callInterval(s), busy[0]!))).toBe(false);
    expect(isPublishedSlot(at('2027-03-09T20:00:00Z'), windows, 'America/New_York')).toBe(false);
    expect(isPublishedSlot(at('2027-03-09T14:10:00Z'), windows, 'America/New_York')).toBe(false);
    expect(openSlots({ windows: [], timeZone: 'UTC', now, busy: [] })).toEqual([]);
  });
});
