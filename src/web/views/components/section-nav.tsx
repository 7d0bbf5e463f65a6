/** The menu of a signed-in area (console, workspace) with its sign-out forms. */
export function SectionNav({
  label,
  items,
  csrf,
  signOutEverywhere = false,
  class: className,
}: {
  label: string;
  items: { href: string; label: string; current: boolean }[];
  csrf: string;
  signOutEverywhere?: boolean;
  class: string;
}) {
  const signOut = (action: string, text: string) => (
    <form method="post" action={action}>
      <input type="hidden" name="_csrf" value={csrf} />
      <button class="button button-small button-secondary" type="submit">
        {text}
      </button>
    </form>
  );
  return (
    <nav aria-label={label} class={className}>
      <ul class="footer-links">
        {items.map((s) => (
          <li key={s.href}>
            <a href={s.href} aria-current={s.current ? 'page' : undefined}>
              {s.label}
            </a>
          </li>
        ))}
      </ul>
      {signOut('/sign-out', 'Sign out')}
      {signOutEverywhere ? signOut('/sign-out/everywhere', 'Sign out everywhere') : null}
    </nav>
  );
}
