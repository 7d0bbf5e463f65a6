import { ServiceError } from './context';

/**
 * Keyset ("cursor") paging: a page ends with the sort key of its last row, and the next page
 * asks for rows strictly after that key in the same order. Unlike an offset, a cursor costs the
 * same on page 1 and page 10,000 (the index seeks straight to the key), and rows inserted while
 * someone pages never shift the rows they have not seen yet into pages they already read.
 *
 * A cursor is opaque to clients: base64url of a small JSON array naming what it continues
 * (`kind`), then the key values. A cursor of another list, or a tampered one, is refused with a
 * 400 naming the field, never answered with a wrong page.
 */

export type CursorKey = (string | number)[];

export function encodeCursor(kind: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([kind, ...key]), 'utf8').toString('base64url');
}

/**
 * The key a cursor carries and which of `kinds` it continues, or a 400 naming `field` when it
 * is not a cursor of one of them with `size` values.
 */
export function decodeCursor<K extends string>(
  kinds: readonly K[],
  raw: string,
  size: number,
  field = 'cursor',
): { kind: K; key: CursorKey } {
  const refuse = () =>
    new ServiceError(
      400,
      `The ${field} was not given out by this list (or was changed); start again without it.`,
      field,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(parsed) || !kinds.includes(parsed[0]) || parsed.length !== size + 1)
    throw refuse();
  const key = parsed.slice(1);
  if (
    !key.every(
      (v) =>
        (typeof v === 'string' && v.length <= 200) || (typeof v === 'number' && Number.isFinite(v)),
    )
  )
    throw refuse();
  return { kind: parsed[0] as K, key: key as CursorKey };
}

/** A page of rows read with one row more than shown: whether a next page exists, without a count. */
export function pageOf<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => string,
): { rows: T[]; next: string | null } {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return { rows: shown, next: rows.length > limit && last !== undefined ? keyOf(last) : null };
}
