import { FRAMEWORK_IDS, type FrameworkId } from '../../domain/vocabulary';
import {
  QuoteRequestSchema,
  type QuoteRequestInput,
  ScopeSchema,
  type ScopeInput,
} from '../../services/intake/schemas';
import { type FormFields, listOf, many, one } from './fields';
import type { z } from 'zod';
import { type FieldOf, type Parsed, parseForm } from './parse';

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
    const variant = FRAMEWORK_IDS.includes(framework as FrameworkId)
      ? one(fields, VARIANT_FIELD(framework as FrameworkId))
      : undefined;
    return {
      framework,
      ...(variant ? { variant } : {}),
      ...(framework === 'soc2' && many(fields, CATEGORIES_FIELD).length > 0
        ? { categories: many(fields, CATEGORIES_FIELD) }
        : {}),
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

/**
 * Parses a form that carries a scope. `build` makes the schema's input around the gathered
 * scope; `fieldOf` names the control of a problem's path, with `scopeField` for paths inside
 * the scope (which read the frameworks that were sent).
 */
function parseWithScope<S extends z.ZodType>(
  schema: S,
  fields: FormFields,
  build: (scope: Record<string, unknown>) => unknown,
  fieldOf: (path: PropertyKey[], scopeField: FieldOf) => string,
): Parsed<z.output<S>> {
  let frameworks: { framework: string }[] = [];
  return parseForm(
    schema,
    () => {
      const scope = gatherScope(fields);
      frameworks = scope.frameworks as { framework: string }[];
      return build(scope);
    },
    (path) => fieldOf(path, (inScope) => formField(inScope, frameworks)),
  );
}

export function parseScopeForm(fields: FormFields): Parsed<ScopeInput> {
  return parseWithScope(
    ScopeSchema,
    fields,
    (scope) => scope,
    (path, scopeField) => scopeField(path),
  );
}

export function parseRequestForm(fields: FormFields): Parsed<QuoteRequestInput> {
  return parseWithScope(
    QuoteRequestSchema,
    fields,
    (scope) => {
      const phone = one(fields, 'phone');
      return {
        scope,
        contact: {
          name: one(fields, 'name') ?? '',
          email: one(fields, 'email') ?? '',
          company: one(fields, 'company') ?? '',
          ...(phone ? { phone } : {}),
        },
        consent: one(fields, 'consent') === 'yes',
      };
    },
    ([head, ...rest], scopeField) =>
      head === 'scope'
        ? scopeField(rest)
        : head === 'contact'
          ? String(rest[0] ?? 'email')
          : String(head ?? 'form'),
  );
}

/** Writes a scope back into form fields, to carry it in hidden inputs or links. */
export function scopeToFields(scope: ScopeInput): [string, string][] {
  const out: [string, string][] = [];
  for (const f of scope.frameworks) {
    out.push(['framework', f.framework]);
    if (f.variant) out.push([VARIANT_FIELD(f.framework as FrameworkId), f.variant]);
    for (const c of f.categories ?? []) out.push([CATEGORIES_FIELD, c]);
  }
  out.push(
    ['stage', scope.stage],
    ['headcount', String(scope.headcount)],
    ['region', scope.region],
    ['industry', scope.industry],
    ['neededBy', scope.neededBy],
    ['startingPoint', scope.startingPoint],
    ['aiExposure', scope.aiExposure],
  );
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
