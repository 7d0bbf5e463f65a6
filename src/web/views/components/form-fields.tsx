import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import type { FormFields } from '../../forms/fields';
import type { FieldErrors } from '../../forms/parse';
import { describedByIds, ErrorText, FieldBox, Hint, type Option, SelectField } from './forms';

/**
 * Controls drawn from a form's state: each reads its value from the fields as sent (or as stored)
 * and its message from the errors, both by the control's name; its id is `f-<name>`, where the
 * error summary links to, and its hint and error are tied to it with aria-describedby.
 */

/** What a form is drawn from: the values as sent (or as stored) and each field's message. */
export interface FormState {
  fields: FormFields;
  errors: FieldErrors;
}

/** The state of a form with one field: its value as sent and its message, if any. */
export function oneFieldForm(name: string, sent?: string, error?: string | null): FormState {
  return {
    fields: sent === undefined ? {} : { [name]: sent },
    errors: error ? { [name]: error } : {},
  };
}

/** A single-valued field as sent; the first value when it came more than once. */
export function value(fields: FormFields, name: string): string | undefined {
  const v = fields[name];
  if (typeof v === 'string') return v;
  return Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

type InputType = 'text' | 'number' | 'date' | 'month' | 'time' | 'email' | 'tel' | 'url';

interface ControlProps {
  form: FormState;
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
}

export interface InputProps extends ControlProps {
  type?: InputType;
  autocomplete?: string;
  min?: string;
  max?: string;
  step?: number;
  /** A text box that asks for the numeric keyboard (amounts in whole dollars, counts). */
  numeric?: boolean;
  size?: number;
  /** The label is read by screen readers only (a table's row and column already say it). */
  labelHidden?: boolean;
}

/** A label, its input, the hint and the error, without a box around them (a table cell's control). */
export function LabelledInput({
  form,
  name,
  label,
  hint,
  type = 'text',
  numeric,
  labelHidden,
  ...attributes
}: InputProps) {
  const id = `f-${name}`;
  const error = form.errors[name];
  return (
    <>
      <label for={id} class={labelHidden ? 'visually-hidden' : undefined}>
        {label}
      </label>
      {/* Preact types each input type separately; the attributes here suit all of them. */}
      <input
        {...({
          id,
          name,
          type,
          inputMode: numeric ? 'numeric' : undefined,
          value: value(form.fields, name) ?? '',
          ...attributes,
          'aria-invalid': error ? 'true' : undefined,
          'aria-describedby': describedByIds(id, hint, error),
        } as unknown as InputHTMLAttributes)}
      />
      <Hint id={id} text={hint} />
      <ErrorText id={id} text={error} />
    </>
  );
}

/** A labelled input in its field box. */
export function TextField(props: InputProps) {
  return (
    <div class="field">
      <LabelledInput {...props} />
    </div>
  );
}

/** The address a link is emailed to: a sign-in link, or a lost private link. */
export function EmailField({ label, error }: { label: string; error?: string | null }) {
  return (
    <TextField
      form={oneFieldForm('email', undefined, error)}
      name="email"
      label={label}
      type="email"
      autocomplete="email"
      required
    />
  );
}

export interface TextAreaProps extends ControlProps {
  rows: number;
  cols?: number;
  maxLength?: number;
  /** The control's name when several text areas of one page send the same one (`name` is then its key in the errors). */
  sentAs?: string;
}

/** A labelled text area in its field box. */
export function TextArea({
  form,
  name,
  label,
  hint,
  required,
  rows,
  cols = 60,
  maxLength,
  sentAs,
}: TextAreaProps) {
  const id = `f-${name}`;
  const error = form.errors[name];
  return (
    <FieldBox id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        name={sentAs ?? name}
        rows={rows}
        cols={cols}
        maxLength={maxLength}
        required={required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedByIds(id, hint, error)}
      >
        {value(form.fields, sentAs ?? name) ?? ''}
      </textarea>
    </FieldBox>
  );
}

export interface ChoiceProps extends ControlProps {
  options: Option[];
  /** What the empty first option says; without it, the select has no empty option. */
  emptyLabel?: string;
}

/** A labelled select whose chosen option is the one sent. */
export function Choice({ form, name, ...props }: ChoiceProps) {
  return (
    <SelectField
      name={name}
      value={value(form.fields, name)}
      error={form.errors[name]}
      {...props}
    />
  );
}

/** One control of a form as data: a select when it has options, a text area when it has rows, else an input. */
export type FieldSpec =
  | Omit<ChoiceProps, 'form'>
  | Omit<TextAreaProps, 'form'>
  | Omit<InputProps, 'form'>;

export function Field({ form, spec }: { form: FormState; spec: FieldSpec }) {
  if ('options' in spec) return <Choice form={form} {...spec} />;
  if ('rows' in spec) return <TextArea form={form} {...spec} />;
  return <TextField form={form} {...spec} />;
}

/** Controls one after another, in the order given. */
export function Fields({ form, specs }: { form: FormState; specs: readonly FieldSpec[] }) {
  return (
    <>
      {specs.map((spec) => (
        <Field key={spec.name} form={form} spec={spec} />
      ))}
    </>
  );
}

/** Controls under one legend, then anything else the group asks. */
export function FieldGroup({
  legend,
  form,
  specs,
  children,
}: {
  legend: string;
  form: FormState;
  specs: readonly FieldSpec[];
  children?: ComponentChildren;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <Fields form={form} specs={specs} />
      {children}
    </fieldset>
  );
}

/** One checkbox or radio with its label on the same line. */
export function Check({
  type = 'checkbox',
  id,
  name,
  value: sent = 'yes',
  checked,
  required,
  children,
}: {
  type?: 'checkbox' | 'radio';
  id: string;
  name: string;
  value?: string;
  checked?: boolean;
  required?: boolean;
  children: ComponentChildren;
}) {
  return (
    <p class="check">
      <input type={type} id={id} name={name} value={sent} checked={checked} required={required} />{' '}
      <label for={id}>{children}</label>
    </p>
  );
}

/** Checkboxes (or radios) for one multi-valued field, in a fieldset its error is tied to. */
export function CheckGroup({
  type = 'checkbox',
  name,
  legend,
  options,
  chosen,
  errors,
}: {
  type?: 'checkbox' | 'radio';
  name: string;
  legend: ComponentChildren;
  options: { value: string; label: ComponentChildren }[];
  chosen: readonly string[];
  errors: FieldErrors;
}) {
  const id = `f-${name}`;
  return (
    <fieldset id={id} aria-describedby={describedByIds(id, false, errors[name])}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <Check
          key={o.value}
          type={type}
          id={`${id}-${o.value}`}
          name={name}
          value={o.value}
          checked={chosen.includes(o.value)}
        >
          {o.label}
        </Check>
      ))}
      <ErrorText id={id} text={errors[name]} />
    </fieldset>
  );
}
