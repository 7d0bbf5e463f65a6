import type { ComponentChildren } from 'preact';

/** A form that changes something: posted with the session's CSRF token and any fixed values it carries. */
export function PostForm({
  action,
  csrf,
  hidden = {},
  novalidate,
  multipart,
  children,
}: {
  action: string;
  csrf: string;
  /** Values the form sends as they are, in this order after the token. */
  hidden?: Record<string, string>;
  novalidate?: boolean;
  /** The form uploads a file. */
  multipart?: boolean;
  children: ComponentChildren;
}) {
  return (
    <form
      method="post"
      action={action}
      enctype={multipart ? 'multipart/form-data' : undefined}
      novalidate={novalidate}
    >
      <input type="hidden" name="_csrf" value={csrf} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </form>
  );
}

const BUTTON_CLASS = {
  primary: 'button',
  secondary: 'button button-secondary',
  danger: 'button button-danger',
  small: 'button button-small',
  'small-secondary': 'button button-small button-secondary',
  'small-danger': 'button button-small button-danger',
} as const;

/** The button that sends its form; `label` names it for screen readers when its text alone does not say what it acts on. */
export function Submit({
  kind = 'primary',
  label,
  children,
}: {
  kind?: keyof typeof BUTTON_CLASS;
  label?: string;
  children: ComponentChildren;
}) {
  return (
    <button class={BUTTON_CLASS[kind]} type="submit" aria-label={label}>
      {children}
    </button>
  );
}

/** A form that is one button: an action on one thing (revoke a key, remove a member, confirm). */
export function ButtonForm({
  action,
  csrf,
  hidden,
  kind,
  label,
  children,
}: {
  action: string;
  csrf: string;
  hidden?: Record<string, string>;
  kind?: keyof typeof BUTTON_CLASS;
  label?: string;
  children: ComponentChildren;
}) {
  return (
    <PostForm action={action} csrf={csrf} hidden={hidden}>
      <Submit kind={kind} label={label}>
        {children}
      </Submit>
    </PostForm>
  );
}
