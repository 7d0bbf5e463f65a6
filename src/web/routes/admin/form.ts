import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ServiceError } from '../../../services/context';
import type { FormFields } from '../../forms/fields';
import type { FormErrors } from '../../views/pages/admin/shell';

/**
 * Console forms: urlencoded fields go through the one schema of their input; a schema's issues
 * and a service's refusal both become field messages the page shows beside the control.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; status: number; errors: FormErrors };

export function parseWith<S extends z.ZodType>(schema: S, raw: unknown): Parsed<z.output<S>> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const errors: FormErrors = {};
  for (const issue of result.error.issues)
    errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  return { ok: false, status: 400, errors };
}

/** A service's refusal as a form failure; anything else is a real error and propagates. */
export function refusalOf(error: unknown): { ok: false; status: number; errors: FormErrors } {
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

/** The signed-in operator (set by the console's guard). */
export function adminId(request: FastifyRequest): string {
  const user = request.user;
  if (user?.role !== 'admin') throw new ServiceError(403, 'Only the operator can do this.');
  return user.id;
}

/** The single-valued text fields of a form as typed (not the CSRF token), to fill a refused form again. */
export function typedValues(fields: FormFields): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf',
    ),
  );
}
