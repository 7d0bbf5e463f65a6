import type { ComponentChildren } from 'preact';

export interface Option {
  value: string;
  label: string;
}

export function toOptions<T extends string>(values: readonly T[], labels: Record<T, string>): Option[] {
  return values.map((v) => ({ value: v, label: labels[v] }));
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
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        name={name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
        required={required}
      >
        {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function ErrorSummary({ errors }: { errors: Record<string, string> }) {
  const entries = Object.entries(errors);
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
