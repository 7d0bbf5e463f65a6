/** An instant as its minute in UTC ("2026-12-04 16:43 UTC"), the way deadlines and messages are dated; a dash for none. */
export const when = (iso: string | null) =>
  iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—';
