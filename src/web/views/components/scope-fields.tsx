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
import { type FormFields, many } from '../../forms/fields';
import {
  CATEGORIES_FIELD,
  CONSULTANT_ROWS,
  consultantField,
  consultantUntilField,
  VARIANT_FIELD,
} from '../../forms/scope-form';
import { Choice, FieldGroup, type FieldSpec, TextField } from './form-fields';
import { ErrorText, toOptions } from './forms';

const AI_LABELS: Record<(typeof AI_EXPOSURES)[number], string> = {
  none: 'No AI in the product',
  'uses-ai': 'The product uses AI in some features',
  'ai-is-the-product': 'AI is the product',
};

const LANGUAGES: Record<string, string> = Object.fromEntries(
  Object.entries(LANGUAGE_LABELS).filter(([code]) => code !== 'nl'),
);

/** A question every buyer answers, from a list of the vocabulary. */
function requiredChoice<T extends string>(
  name: string,
  label: string,
  choices: readonly T[],
  labels: Record<T, string>,
): FieldSpec {
  return {
    name,
    label,
    options: toOptions(choices, labels),
    emptyLabel: 'Choose…',
    required: true,
  };
}

const COMPANY_FIELDS: FieldSpec[] = [
  requiredChoice('stage', 'Stage', COMPANY_STAGES, STAGE_LABELS),
  {
    name: 'headcount',
    label: 'Headcount',
    type: 'number',
    min: '1',
    max: '1000000',
    required: true,
  },
  requiredChoice('industry', 'Industry', INDUSTRIES, INDUSTRY_LABELS),
  requiredChoice('region', 'Where the audit takes place', REGIONS, REGION_LABELS),
  {
    name: 'language',
    label: 'Working language',
    options: Object.entries(LANGUAGES).map(([v, l]) => ({ value: v, label: l })),
    emptyLabel: 'English (default)',
  },
  requiredChoice('aiExposure', 'AI in your product', AI_EXPOSURES, AI_LABELS),
];

const TIMELINE_FIELDS: FieldSpec[] = [
  { name: 'neededBy', label: 'Report or certificate needed by', type: 'date', required: true },
  {
    name: 'startingPoint',
    label: 'Where you start from',
    options: toOptions(STARTING_POINTS, STARTING_POINT_LABELS),
    emptyLabel: 'Starting from scratch (default)',
  },
  {
    name: 'budget',
    label: 'Audit budget (optional)',
    options: toOptions(BUDGET_BANDS, BUDGET_BAND_LABELS),
    emptyLabel: 'Prefer not to say',
  },
];

const INDEPENDENCE_FIELDS: FieldSpec[] = [
  {
    name: 'excludeFirms',
    label: 'Firms you do not want to hear from',
    hint: 'Names separated by commas.',
  },
  {
    name: 'controlsBuiltBy',
    label: 'Firms that designed, implemented or operate your controls',
    hint: 'They cannot audit those controls for SOC reports. A firm that only assessed your readiness can still be your auditor.',
  },
];

/** The scope questions, shared by the match preview and the quote request. */
export function ScopeFields({
  fields,
  errors,
}: {
  fields: FormFields;
  errors: Record<string, string>;
}) {
  const form = { fields, errors };
  const chosen = many(fields, 'framework');
  const categories = many(fields, CATEGORIES_FIELD);
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
                  <Choice
                    form={form}
                    name={VARIANT_FIELD(id)}
                    label={`${FRAMEWORK_SHORT_NAMES[id]} variant`}
                    options={variants.map((v) => ({ value: v.id, label: v.name }))}
                    emptyLabel="Not sure yet"
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

      <FieldGroup legend="Your company" form={form} specs={COMPANY_FIELDS} />

      <FieldGroup legend="Timeline and budget" form={form} specs={TIMELINE_FIELDS} />

      <FieldGroup legend="Independence (optional)" form={form} specs={INDEPENDENCE_FIELDS}>
        <fieldset>
          <legend>Consultancies that helped build your ISO management system</legend>
          <p class="hint">
            A certification body you name here, or one linked to these consultancies, cannot certify
            your system within two years of that advice. Give the last month they advised you if it
            has ended.
          </p>
          {CONSULTANT_ROWS.map((row) => (
            <div class="field-row" key={row}>
              <TextField form={form} name={consultantField(row)} label={`Consultancy ${row}`} />
              <TextField
                form={form}
                name={consultantUntilField(row)}
                label="Advised until (month, optional)"
                type="month"
              />
            </div>
          ))}
        </fieldset>
      </FieldGroup>
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
