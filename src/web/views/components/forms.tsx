import { FRAMEWORK_IDS, FRAMEWORK_SHORT_NAMES, isOneOf } from '../../../domain/vocabulary';
import type { ComponentChildren } from 'preact';

export interface Option {
  value: string;
  label: string;
}

export function toOptions<T extends string>(
  values: readonly T[],
  labels: Record<T, string>,
): Option[] {
  return values.map((v) => ({ value: v, label: labels[v] }));
}

/** The ids a control's aria-describedby names: its hint and its error, when they are shown. */
export function describedByIds(id: string, hint?: unknown, error?: unknown): string | undefined {
  return (
    [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
  );
}

/** A control's hint, under the id its aria-describedby names. */
export function Hint({ id, text }: { id: string; text?: ComponentChildren }) {
  return text ? (
    <p class="hint" id={`${id}-hint`}>
      {text}
    </p>
  ) : null;
}

/** A control's error message, under the id its aria-describedby names (the error summary links to the control). */
export function ErrorText({ id, text }: { id: string; text?: string | null | undefined }) {
  return text ? (
    <p class="field-error" id={`${id}-error`}>
      {text}
    </p>
  ) : null;
}

/**
 * A control in its field box: the label above it, its hint and its error under it. The control
 * itself names the hint and the error in its aria-describedby (see describedByIds).
 */
export function FieldBox({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: ComponentChildren;
  error?: string | null;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      <Hint id={id} text={hint} />
      <ErrorText id={id} text={error} />
    </div>
  );
}

/** A labelled select; errors are tied to the control with aria-describedby. */
export function SelectField({
  name,
  label,
  options,
  value,
  error,
  emptyLabel,
  hint,
  required,
}: {
  name: string;
  label: string;
  options: Option[];
  value?: string;
  error?: string;
  emptyLabel?: string;
  hint?: string;
  required?: boolean;
}) {
  const id = `f-${name}`;
  return (
    <FieldBox id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        name={name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedByIds(id, hint, error)}
        required={required}
      >
        {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldBox>
  );
}

/** What the summary calls a field whose form label is longer than its name says. */
const FIELD_LABELS: Record<string, string> = {
  aiExposure: 'AI',
  neededBy: 'Needed by',
  startingPoint: 'Where you start from',
  existingProgram: 'Where you start',
  windowMonths: 'Observation window',
  headcount: 'People in scope',
  systems: 'Systems in scope',
  locations: 'Locations',
  askedFor: 'What customers ask for',
  holds: 'What you already hold',
  have: 'SOC 2 categories',
  soc2: 'What you hold',
  categories_soc2: 'SOC 2 categories',
  excludeFirms: 'Firms to exclude',
  controlsBuiltBy: 'Firms that built your controls',
  managementSystemConsultants: 'Management-system consultants',
  email: 'Work email',
  name: 'Your name',
};

/** 'variant_soc2' → 'Variant soc2', 'personalDataAtScale' → 'Personal data at scale'. */
export function fieldLabel(field: string): string {
  const known = FIELD_LABELS[field];
  if (known) return known;
  const variantOf = /^variant_(.+)$/.exec(field)?.[1];
  if (variantOf && isOneOf(FRAMEWORK_IDS, variantOf))
    return `${FRAMEWORK_SHORT_NAMES[variantOf]} variant`;
  const words = field
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.]/g, ' ')
    .toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/** "Needed by: must be a date after today": every message names its field. */
function withField(field: string, message: string): string {
  const label = fieldLabel(field);
  if (message.toLowerCase().startsWith(label.toLowerCase())) return message;
  return `${label}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

export function ErrorSummary({ errors }: { errors: Record<string, string> }) {
  const entries = Object.entries(errors).map(([field, message]): [string, string] => [
    field,
    withField(field, message),
  ]);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">Please check these fields</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>
            <a href={`#f-${field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Tag({ children }: { children: ComponentChildren }) {
  return <span class="tag">{children}</span>;
}
