import type { z } from 'zod';
import { FRAMEWORK_IDS, type FrameworkId } from '../../domain/vocabulary';
import {
  QuoteRequestSchema,
  type QuoteRequestInput,
  ScopeSchema,
  type ScopeInput,
} from '../../services/intake/schemas';
import { type FormFields, listOf, many, one, RepeatedField } from './fields';

/**
 * The match form is flat HTML (checkboxes, selects, text); the schema is nested. These
 * functions gather the fields into the schema's shape and map its errors back to field names,
 * so the form and the JSON API validate with the very same schema.
 */
export const VARIANT_FIELD = (f: FrameworkId) => `variant_${f}`;
export const CATEGORIES_FIELD = 'categories_soc2';

/** Rows of the consultancy question: a name and, when the advice ended, its last month. */
export const CONSULTANT_ROWS = [1, 2, 3] as const;
export const consultantField = (row: number) => `consultant${row}`;
export const consultantUntilField = (row: number) => `consultant${row}Until`;

export type FieldErrors = Record<string, string>;

/** The filled consultancy rows, in order; a month without a name is kept so its error shows. */
function gatherConsultants(fields: FormFields): { name: string; advisedUntil?: string }[] {
  const rows: { name: string; advisedUntil?: string }[] = [];
  for (const row of CONSULTANT_ROWS) {
    const name = (one(fields, consultantField(row)) ?? '').trim();
    const until = (one(fields, consultantUntilField(row)) ?? '').trim();
    if (name === '' && until === '') continue;
    rows.push({ name, ...(until ? { advisedUntil: until } : {}) });
  }
  return rows;
}

function gatherScope(fields: FormFields): Record<string, unknown> {
  const frameworks = many(fields, 'framework').map((framework) => {
    const variant = FRAMEWORK_IDS.includes(framework as FrameworkId) ? one(fields, VARIANT_FIELD(framework as FrameworkId)) : undefined;
    return {
      framework,
      ...(variant ? { variant } : {}),
      ...(framework === 'soc2' && many(fields, CATEGORIES_FIELD).length > 0 ? { categories: many(fields, CATEGORIES_FIELD) } : {}),
    };
  });
  const optional = (name: string) => {
    const v = one(fields, name);
    return v === undefined || v === '' ? {} : { [name]: v };
  };
  return {
    frameworks,
    stage: one(fields, 'stage'),
    headcount: one(fields, 'headcount') || undefined,
    region: one(fields, 'region'),
    industry: one(fields, 'industry'),
    neededBy: one(fields, 'neededBy'),
    ...optional('startingPoint'),
    ...optional('budget'),
    aiExposure: one(fields, 'aiExposure'),
    ...optional('language'),
    excludeFirms: listOf(one(fields, 'excludeFirms')),
    controlsBuiltBy: listOf(one(fields, 'controlsBuiltBy')),
    managementSystemConsultants: gatherConsultants(fields),
  };
}

/** Schema paths ("frameworks.0.variant") to the form control that holds the value. */
function formField(path: PropertyKey[], scopeFrameworks: { framework: string }[]): string {
  const [head, index, leaf] = path;
  if (head === 'managementSystemConsultants' && typeof index === 'number') {
    return leaf === 'advisedUntil' ? consultantUntilField(index + 1) : consultantField(index + 1);
  }
  if (head === 'frameworks') {
    if (typeof index === 'number') {
      const fw = scopeFrameworks[index]?.framework ?? 'soc2';
      if (leaf === 'variant') return VARIANT_FIELD(fw as FrameworkId);
      if (leaf === 'categories') return CATEGORIES_FIELD;
    }
    return 'framework';
  }
  return String(head ?? 'form');
}

function collect(error: z.ZodError, frameworks: { framework: string }[], prefix?: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const path = prefix && issue.path[0] === prefix ? issue.path.slice(1) : issue.path;
    const field = prefix === 'contact' || issue.path[0] === 'contact' ? String(path[path.length - 1] ?? 'contact') : formField(path, frameworks);
    errors[field] ??= issue.message;
  }
  return errors;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors; raw: Record<string, unknown> };

export function parseScopeForm(fields: FormFields): Parsed<ScopeInput> {
  let raw: Record<string, unknown>;
  try {
    raw = gatherScope(fields);
  } catch (e) {
    if (e instanceof RepeatedField) return { ok: false, errors: { [e.field]: e.message }, raw: {} };
    throw e;
  }
  const result = ScopeSchema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: collect(result.error, raw.frameworks as { framework: string }[]), raw };
}

export function parseRequestForm(fields: FormFields): Parsed<QuoteRequestInput> {
  let raw: Record<string, unknown>;
  try {
    const phone = one(fields, 'phone');
    raw = {
      scope: gatherScope(fields),
      contact: {
        name: one(fields, 'name') ?? '',
        email: one(fields, 'email') ?? '',
        company: one(fields, 'company') ?? '',
        ...(phone ? { phone } : {}),
      },
      consent: one(fields, 'consent') === 'yes',
    };
  } catch (e) {
    if (e instanceof RepeatedField) return { ok: false, errors: { [e.field]: e.message }, raw: {} };
    throw e;
  }
  const result = QuoteRequestSchema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const frameworks = (raw.scope as { frameworks: { framework: string }[] }).frameworks;
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const [head, ...rest] = issue.path;
    const field = head === 'scope' ? formField(rest, frameworks) : head === 'contact' ? String(rest[0] ?? 'email') : String(head ?? 'form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, raw };
}

/** Writes a scope back into form fields, to carry it in hidden inputs or links. */
export function scopeToFields(scope: ScopeInput): [string, string][] {
  const out: [string, string][] = [];
  for (const f of scope.frameworks) {
    out.push(['framework', f.framework]);
    if (f.variant) out.push([VARIANT_FIELD(f.framework as FrameworkId), f.variant]);
    for (const c of f.categories ?? []) out.push([CATEGORIES_FIELD, c]);
  }
  out.push(['stage', scope.stage], ['headcount', String(scope.headcount)], ['region', scope.region], ['industry', scope.industry], ['neededBy', scope.neededBy], ['startingPoint', scope.startingPoint], ['aiExposure', scope.aiExposure]);
  if (scope.budget) out.push(['budget', scope.budget]);
  if (scope.language) out.push(['language', scope.language]);
  if (scope.excludeFirms.length) out.push(['excludeFirms', scope.excludeFirms.join(', ')]);
  if (scope.controlsBuiltBy.length) out.push(['controlsBuiltBy', scope.controlsBuiltBy.join(', ')]);
  scope.managementSystemConsultants.slice(0, CONSULTANT_ROWS.length).forEach((c, i) => {
    out.push([consultantField(i + 1), c.name]);
    if (c.advisedUntil) out.push([consultantUntilField(i + 1), c.advisedUntil]);
  });
  return out;
}
