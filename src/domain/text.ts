import { z } from 'zod';

/**
 * The one definition of text that other people read: a buyer's name shown to a firm, a firm's
 * description on its public profile, a credential's issuer in the operator's console, a message
 * in an email. Every form field and API body field that holds such text is built from
 * `plainText`, so a rule changes here once.
 *
 * Refused everywhere: control characters (C0, DEL, C1), the Unicode line and paragraph
 * separators, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) that make "exe.txt" read as "txt.exe" or reorder a sentence.
 * Line breaks are allowed only in fields meant to hold several lines; there CR LF and a lone CR
 * are stored as LF, and a tab is allowed.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is matched
const UNSAFE_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const UNSAFE_MULTI_LINE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is matched
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

export const ONE_LINE_MESSAGE =
  'must be one line of text, without line breaks, control or text-direction characters';
export const MULTI_LINE_MESSAGE = 'must not contain control or text-direction characters';

export interface PlainTextOptions {
  /** Line breaks allowed (stored as LF). */
  multiline?: boolean;
}

/** Line breaks as LF: CR LF and a lone CR (old Mac editors, hand-made requests) alike. */
export function normaliseLineBreaks(value: string): string {
  return value.replace(/\r\n?/g, '\n');
}

/** True when `value` holds a character `plainText` refuses (after line breaks are normalised). */
export function hasUnsafeText(value: string, options: PlainTextOptions = {}): boolean {
  return options.multiline
    ? UNSAFE_MULTI_LINE.test(normaliseLineBreaks(value))
    : UNSAFE_ONE_LINE.test(value);
}

/**
 * Text a person typed, for others to read: trimmed, at most `max` characters, and without the
 * characters above. Compose with `.pipe(z.string().min(…))` for a required field.
 */
export function plainText(max: number, options: PlainTextOptions = {}) {
  const multiline = options.multiline === true;
  const base = z.string();
  return (multiline ? base.overwrite(normaliseLineBreaks) : base)
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine(
      (v) => !hasUnsafeText(v, { multiline }),
      multiline ? MULTI_LINE_MESSAGE : ONE_LINE_MESSAGE,
    );
}
