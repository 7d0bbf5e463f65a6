import { zonedInstant } from '../../domain/calls/zones';

/** A slot as a form sends it (the ISO instant a select offered), or NaN for anything else. */
export function slotInstant(value: string | undefined): number {
  return value && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{3})?)?Z$/.test(value)
    ? Date.parse(value)
    : Number.NaN;
}

/** A `datetime-local` value read as a wall-clock time in `timeZone`, or NaN. */
export function localInstant(value: string | undefined, timeZone: string): number {
  const m = value ? /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(value) : null;
  return m ? zonedInstant(m[1]!, m[2]!, timeZone) : Number.NaN;
}
