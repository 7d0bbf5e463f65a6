import type { ComponentChildren } from 'preact';

/** A GET form that narrows a list: its controls side by side, then the one button. */
export function FilterForm({
  action,
  button,
  autosubmit = false,
  children,
}: {
  action: string;
  button: string;
  /** Sent again as soon as a control changes, where the page's script is loaded. */
  autosubmit?: boolean;
  children: ComponentChildren;
}) {
  return (
    <form class="filters" method="get" action={action} data-autosubmit={autosubmit || undefined}>
      {children}
      <div class="field">
        <button class="button" type="submit">
          {button}
        </button>
      </div>
    </form>
  );
}
