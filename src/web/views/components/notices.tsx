import type { ComponentChildren } from 'preact';

/** A boxed message the page opens with (a state to know about, a preview): screen readers announce it. */
export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="card notice" role="status">
      {children}
    </div>
  );
}

/**
 * One line about the whole page, when there is one: the result of what the visitor just did
 * ("Saved.", announced when the reader is idle), or a `refusal` that belongs to no single
 * control, such as a call time taken meanwhile (announced at once).
 */
export function PageMessage({
  text,
  refusal = false,
}: {
  text: string | null | undefined;
  refusal?: boolean;
}) {
  return text ? (
    <p class={refusal ? 'field-error' : 'card'} role={refusal ? 'alert' : 'status'}>
      {text}
    </p>
  ) : null;
}
