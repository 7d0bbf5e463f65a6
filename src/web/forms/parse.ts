import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ServiceError } from '../../services/context';
import { type FormFields, RepeatedField } from './fields';

/**
 * The one way a form is read: gather the flat HTML fields into the shape of the input's schema,
 * validate with that schema (the same one the JSON API uses), and map each issue back to the
 * control that holds the value. A service's refusal becomes a field message the same way.
 */

/** A message per form control, keyed by the control's name (its id is `f-<name>`). */
export type FieldErrors = Record<string, string>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; status: number; errors: FieldErrors };

/** Which control a schema path belongs to. */
export type FieldOf = (path: PropertyKey[]) => string;

/** Schema paths map to their first segment: right for every flat form. */
export const topLevel: FieldOf = (path) => String(path[0] ?? 'form');

const upperFirst = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** A schema's message as a person reads it beside a control. */
export const fieldMessage = (message: string) =>
  message === 'Required.' ? 'Enter a value.' : upperFirst(message);

/** The first message per control. */
export function fieldErrors(
  error: z.ZodError,
  fieldOf: FieldOf = topLevel,
  into: FieldErrors = {},
): FieldErrors {
  for (const issue of error.issues) into[fieldOf(issue.path)] ??= fieldMessage(issue.message);
  return into;
}

/**
 * Gathers and validates; a single-valued field sent twice is the field's error, not a crash.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  gather: () => unknown,
  fieldOf: FieldOf = topLevel,
): Parsed<z.output<S>> {
  let raw: unknown;
  try {
    raw = gather();
  } catch (error) {
    if (error instanceof RepeatedField)
      return { ok: false, status: 400, errors: { [error.field]: 'Send this field once.' } };
    throw error;
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, status: 400, errors: fieldErrors(result.error, fieldOf) };
}

/** Validates fields that already have the schema's flat shape. */
export function parseWith<S extends z.ZodType>(schema: S, fields: unknown): Parsed<z.output<S>> {
  return parseForm(schema, () => fields);
}

/** A service's refusal as a form failure; anything else is a real error and propagates. */
export function refusalOf(error: unknown): { ok: false; status: number; errors: FieldErrors } {
  if (!(error instanceof ServiceError)) throw error;
  return { ok: false, status: error.status, errors: { [error.field ?? 'form']: error.message } };
}

/** Runs the service on a parsed input; a parse failure or a refusal comes back as the form's errors. */
export async function attempt<T>(
  parsed: Parsed<T>,
  run: (value: T) => Promise<unknown>,
): Promise<Parsed<T>> {
  if (!parsed.ok) return parsed;
  try {
    await run(parsed.value);
    return parsed;
  } catch (error) {
    return refusalOf(error);
  }
}

/**
 * Runs a step of a page's POST and goes on to `location` (303). A refusal other than "not found"
 * is handed to `refused`, which shows the page again with the message; "not found" and any other
 * error go on to the central handler.
 */
export async function redirectAfter(
  reply: FastifyReply,
  location: string,
  step: () => Promise<unknown>,
  refused: (status: number, message: string) => unknown,
) {
  try {
    await step();
    return reply.redirect(location, 303);
  } catch (error) {
    if (!(error instanceof ServiceError) || error.status === 404) throw error;
    return refused(error.status, error.message);
  }
}

export const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as FormFields;
export const queryOf = (request: FastifyRequest) => (request.query ?? {}) as FormFields;

/** A filter value from the closed list, or the default (unknown values are ignored, never a 500). */
export function pick<T extends string>(values: readonly T[], value: unknown, fallback: T): T {
  return typeof value === 'string' && (values as readonly string[]).includes(value)
    ? (value as T)
    : fallback;
}

/** Notices after POST-redirect-GET, by a short code in the query: no message text in URLs. */
export function noticeFor(messages: Record<string, string>, code: unknown): string | null {
  return typeof code === 'string' ? (messages[code] ?? null) : null;
}

/** The single-valued text fields of a form as typed (not the CSRF token), to fill a refused form again. */
export function typedValues(fields: FormFields): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf',
    ),
  );
}
