import type { ComponentChildren } from 'preact';
import type { FieldErrors } from '../../../forms/parse';
import {
  describedByIds,
  ErrorSummary,
  ErrorText,
  FieldBox,
  Hint,
  type Option,
} from '../../components/forms';
import { PageHeader } from '../../layout';

/**
 * Form controls the guide forms share: groups of checkboxes or radios in a fieldset, and
 * number and date inputs. Every control has a visible label; an error is tied to its control
 * with aria-describedby, and the `f-<name>` id is where the error summary links to.
 */

export function ChoiceGroup({
  type,
  name,
  legend,
  options,
  selected,
  hint,
  error,
}: {
  type: 'checkbox' | 'radio';
  name: string;
  legend: string;
  options: readonly Option[];
  selected: readonly string[];
  hint?: string;
  error?: string;
}) {
  const id = `f-${name}`;
  return (
    <fieldset
      id={id}
      class="choices"
      aria-describedby={describedByIds(id, hint, error)}
      aria-invalid={error ? 'true' : undefined}
    >
      <legend>{legend}</legend>
      <Hint id={id} text={hint} />
      {options.map((o) => (
        <div class="check" key={o.value}>
          <input
            type={type}
            id={`${id}-${o.value}`}
            name={name}
            value={o.value}
            checked={selected.includes(o.value)}
          />{' '}
          <label for={`${id}-${o.value}`}>{o.label}</label>
        </div>
      ))}
      <ErrorText id={id} text={error} />
    </fieldset>
  );
}

/** A single yes/no checkbox sent as `name=yes`. */
export function YesBox({
  name,
  label,
  checked,
  error,
}: {
  name: string;
  label: string;
  checked: boolean;
  error?: string;
}) {
  const id = `f-${name}`;
  return (
    <div class="check">
      <input
        type="checkbox"
        id={id}
        name={name}
        value="yes"
        checked={checked}
        aria-describedby={error ? `${id}-error` : undefined}
        aria-invalid={error ? 'true' : undefined}
      />{' '}
      <label for={id}>{label}</label>
      <ErrorText id={id} text={error} />
    </div>
  );
}

export function InputField({
  name,
  label,
  type,
  value,
  hint,
  error,
  min,
  max,
  required,
}: {
  name: string;
  label: string;
  type: 'number' | 'date';
  value: string;
  hint?: string;
  error?: string;
  min?: string | number;
  max?: string | number;
  required?: boolean;
}) {
  const id = `f-${name}`;
  return (
    <FieldBox id={id} label={label} hint={hint} error={error}>
      <input
        type={type}
        id={id}
        name={name}
        value={value}
        min={min}
        max={max}
        required={required}
        inputMode={type === 'number' ? 'numeric' : undefined}
        aria-describedby={describedByIds(id, hint, error)}
        aria-invalid={error ? 'true' : undefined}
      />
    </FieldBox>
  );
}

export function FormActions({ children }: { children: ComponentChildren }) {
  return <div class="form-actions">{children}</div>;
}

/**
 * The page of a guide tool (advisor, estimator): its heading, the error summary, the result
 * once there is one, then the GET form that asks again.
 */
export function GuideToolPage({
  title,
  lead,
  errors,
  result,
  action,
  formTitle,
  children,
}: {
  title: string;
  lead: string;
  errors: FieldErrors;
  result: ComponentChildren;
  action: string;
  formTitle: string;
  children: ComponentChildren;
}) {
  return (
    <>
      <PageHeader title={title} lead={lead} />
      <ErrorSummary errors={errors} />
      {result}
      <section aria-labelledby="form-title" class="no-print">
        <h2 id="form-title">{formTitle}</h2>
        <form method="get" action={action} class="guide-form" novalidate>
          {children}
        </form>
      </section>
    </>
  );
}
