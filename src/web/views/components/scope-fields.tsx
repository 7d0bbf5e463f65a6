import type { InputHTMLAttributes } from 'preact';
import { framework as frameworkData } from '../../../domain/frameworks';
import {
  AI_EXPOSURES,
  BUDGET_BAND_LABELS,
  BUDGET_BANDS,
  COMPANY_STAGES,
  FRAMEWORK_IDS,
  FRAMEWORK_SHORT_NAMES,
  INDUSTRIES,
  INDUSTRY_LABELS,
  REGION_LABELS,
  REGIONS,
  STAGE_LABELS,
  TSC_CATEGORIES,
  LANGUAGE_LABELS,
  STARTING_POINT_LABELS,
  STARTING_POINTS,
} from '../../../domain/vocabulary';
import type { FormFields } from '../../forms/fields';
import {
  CATEGORIES_FIELD,
  CONSULTANT_ROWS,
  consultantField,
  consultantUntilField,
  VARIANT_FIELD,
} from '../../forms/scope-form';
import { describedByIds, ErrorText, Hint, SelectField, toOptions } from './forms';

const AI_LABELS: Record<(typeof AI_EXPOSURES)[number], string> = {
  none: 'No AI in the product',
  'uses-ai': 'The product uses AI in some features',
  'ai-is-the-product': 'AI is the product',
};

const LANGUAGES: Record<string, string> = Object.fromEntries(
  Object.entries(LANGUAGE_LABELS).filter(([code]) => code !== 'nl'),
);

export const value = (fields: FormFields, name: string): string | undefined => {
  const v = fields[name];
  return typeof v === 'string'
    ? v
    : Array.isArray(v) && typeof v[0] === 'string'
      ? v[0]
      : undefined;
};
export const values = (fields: FormFields, name: string): string[] => {
  const v = fields[name];
  return Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? [v]
      : [];
};

function TextField({
  name,
  label,
  fields,
  errors,
  type = 'text',
  hint,
  required,
  autocomplete,
  min,
  max,
}: {
  name: string;
  label: string;
  fields: FormFields;
  errors: Record<string, string>;
  type?: 'text' | 'number' | 'date' | 'month' | 'email' | 'tel' | 'url';
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  min?: string;
  max?: string;
}) {
  const id = `f-${name}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {/* Preact types each input type separately; the attributes here suit all of them. */}
      <input
        {...({
          id,
          name,
          type,
          value: value(fields, name) ?? '',
          required,
          autocomplete,
          min,
          max,
          'aria-invalid': errors[name] ? 'true' : undefined,
          'aria-describedby': describedByIds(id, hint, errors[name]),
        } as unknown as InputHTMLAttributes)}
      />
      <Hint id={id} text={hint} />
      <ErrorText id={id} text={errors[name]} />
    </div>
  );
}

export { TextField };

/** The scope questions, shared by the match preview and the quote request. */
export function ScopeFields({
  fields,
  errors,
}: {
  fields: FormFields;
  errors: Record<string, string>;
}) {
  const chosen = values(fields, 'framework');
  const categories = values(fields, CATEGORIES_FIELD);
  return (
    <>
      <fieldset aria-describedby={errors.framework ? 'f-framework-error' : undefined}>
        <legend>Which audits do you need?</legend>
        <div class="grid">
          {FRAMEWORK_IDS.map((id) => {
            const variants = frameworkData(id).variants;
            return (
              <div class="check" key={id} id={id === 'soc2' ? 'f-framework' : undefined}>
                <input
                  type="checkbox"
                  id={`f-framework-${id}`}
                  name="framework"
                  value={id}
                  checked={chosen.includes(id)}
                />{' '}
                <label for={`f-framework-${id}`}>{FRAMEWORK_SHORT_NAMES[id]}</label>
                {variants.length > 0 ? (
                  <SelectField
                    name={VARIANT_FIELD(id)}
                    label={`${FRAMEWORK_SHORT_NAMES[id]} variant`}
                    options={variants.map((v) => ({ value: v.id, label: v.name }))}
                    value={value(fields, VARIANT_FIELD(id))}
                    emptyLabel="Not sure yet"
                    error={errors[VARIANT_FIELD(id)]}
                  />
                ) : null}
              </div>
            );
          })}
        </div>
        <ErrorText id="f-framework" text={errors.framework} />
        <fieldset>
          <legend>SOC 2 categories (Security is always included)</legend>
          {TSC_CATEGORIES.filter((c) => c !== 'security').map((c) => (
            <span class="check" key={c}>
              <input
                type="checkbox"
                id={`f-cat-${c}`}
                name={CATEGORIES_FIELD}
                value={c}
                checked={categories.includes(c)}
              />{' '}
              <label for={`f-cat-${c}`}>
                {frameworkData('soc2').scopeOptions.trustServicesCategories?.find((t) => t.id === c)
                  ?.name ?? c}
              </label>{' '}
            </span>
          ))}
          <ErrorText id={`f-${CATEGORIES_FIELD}`} text={errors[CATEGORIES_FIELD]} />
        </fieldset>
      </fieldset>

      <fieldset>
        <legend>Your company</legend>
        <SelectField
          name="stage"
          label="Stage"
          options={toOptions(COMPANY_STAGES, STAGE_LABELS)}
          value={value(fields, 'stage')}
          emptyLabel="Choose…"
          error={errors.stage}
          required
        />
        <TextField
          name="headcount"
          label="Headcount"
          type="number"
          min="1"
          max="1000000"
          fields={fields}
          errors={errors}
          required
        />
        <SelectField
          name="industry"
          label="Industry"
          options={toOptions(INDUSTRIES, INDUSTRY_LABELS)}
          value={value(fields, 'industry')}
          emptyLabel="Choose…"
          error={errors.industry}
          required
        />
        <SelectField
          name="region"
          label="Where the audit takes place"
          options={toOptions(REGIONS, REGION_LABELS)}
          value={value(fields, 'region')}
          emptyLabel="Choose…"
          error={errors.region}
          required
        />
        <SelectField
          name="language"
          label="Working language"
          options={Object.entries(LANGUAGES).map(([v, l]) => ({ value: v, label: l }))}
          value={value(fields, 'language')}
          emptyLabel="English (default)"
          error={errors.language}
        />
        <SelectField
          name="aiExposure"
          label="AI in your product"
          options={toOptions(AI_EXPOSURES, AI_LABELS)}
          value={value(fields, 'aiExposure')}
          emptyLabel="Choose…"
          error={errors.aiExposure}
          required
        />
      </fieldset>

      <fieldset>
        <legend>Timeline and budget</legend>
        <TextField
          name="neededBy"
          label="Report or certificate needed by"
          type="date"
          fields={fields}
          errors={errors}
          required
        />
        <SelectField
          name="startingPoint"
          label="Where you start from"
          options={toOptions(STARTING_POINTS, STARTING_POINT_LABELS)}
          value={value(fields, 'startingPoint')}
          emptyLabel="Starting from scratch (default)"
          error={errors.startingPoint}
        />
        <SelectField
          name="budget"
          label="Audit budget (optional)"
          options={toOptions(BUDGET_BANDS, BUDGET_BAND_LABELS)}
          value={value(fields, 'budget')}
          emptyLabel="Prefer not to say"
          error={errors.budget}
        />
      </fieldset>

      <fieldset>
        <legend>Independence (optional)</legend>
        <TextField
          name="excludeFirms"
          label="Firms you do not want to hear from"
          hint="Names separated by commas."
          fields={fields}
          errors={errors}
        />
        <TextField
          name="controlsBuiltBy"
          label="Firms that designed, implemented or operate your controls"
          hint="They cannot audit those controls for SOC reports. A firm that only assessed your readiness can still be your auditor."
          fields={fields}
          errors={errors}
        />
        <fieldset>
          <legend>Consultancies that helped build your ISO management system</legend>
          <p class="hint">
            A certification body you name here, or one linked to these consultancies, cannot certify
            your system within two years of that advice. Give the last month they advised you if it
            has ended.
          </p>
          {CONSULTANT_ROWS.map((row) => (
            <div class="field-row" key={row}>
              <TextField
                name={consultantField(row)}
                label={`Consultancy ${row}`}
                fields={fields}
                errors={errors}
              />
              <TextField
                name={consultantUntilField(row)}
                label="Advised until (month, optional)"
                type="month"
                fields={fields}
                errors={errors}
              />
            </div>
          ))}
        </fieldset>
      </fieldset>
    </>
  );
}

/** The scope carried through to the next form without asking again. */
export function HiddenScope({ pairs }: { pairs: [string, string][] }) {
  return (
    <>
      {pairs.map(([n, v], i) => (
        <input key={`${n}-${i}`} type="hidden" name={n} value={v} />
      ))}
    </>
  );
}
