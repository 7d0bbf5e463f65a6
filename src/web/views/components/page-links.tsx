/** `base` with the given query parameters, the empty ones left out. */
export function hrefWith(base: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const q = query.toString();
  return q ? `${base}?${q}` : base;
}

export interface PageLink {
  href: string;
  rel: 'first' | 'prev' | 'next';
  text: string;
}

/** The links between the pages of a list; nothing when there is no other page. */
export function PageLinks({ label, links }: { label: string; links: (PageLink | null)[] }) {
  const shown = links.filter((l): l is PageLink => l !== null);
  if (shown.length === 0) return null;
  return (
    <nav aria-label={label} class="no-print">
      <ul class="footer-links">
        {shown.map((l) => (
          <li key={l.rel}>
            <a href={l.href} rel={l.rel}>
              {l.text}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
