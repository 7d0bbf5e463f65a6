import type { ComponentChildren, VNode } from 'preact';

export interface PageMeta {
  title: string;
  description?: string;
  /** Path of the canonical URL; defaults to the request path. */
  canonical?: string;
  noindex?: boolean;
  /** Structured data for search engines, serialised safely into a JSON-LD script. */
  jsonLd?: Record<string, unknown>;
}

interface LayoutProps {
  meta: PageMeta;
  body: VNode;
  assets: { css: string; js: string };
  publicUrl: string;
  demo: boolean;
  path: string;
}

const NAV = [
  { href: '/frameworks', label: 'Frameworks' },
  { href: '/compare/soc2-vs-iso42001', label: 'SOC 2 vs ISO 42001' },
  { href: '/advisor', label: 'Which do I need?' },
  { href: '/firms', label: 'Firms' },
  { href: '/how-matching-works', label: 'How matching works' },
];

/** JSON-LD goes inside a script element, so "<" must never appear raw in it. */
function safeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
}

export function Layout({ meta, body, assets, publicUrl, demo, path }: LayoutProps) {
  const title = meta.title === 'Auditmatch' ? meta.title : `${meta.title} · Auditmatch`;
  const canonical = `${publicUrl}${meta.canonical ?? path}`;
  const description =
    meta.description ??
    'Choose the compliance framework you need and meet three qualified audit firms that fit. Free for buyers, no spam, independent of every firm listed.';
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <meta name="description" content={description} />
        <link rel="canonical" href={canonical} />
        {meta.noindex ? <meta name="robots" content="noindex" /> : null}
        <meta property="og:title" content={meta.title} />
        <meta property="og:description" content={description} />
        <meta property="og:url" content={canonical} />
        <meta property="og:type" content="website" />
        <meta property="og:site_name" content="Auditmatch" />
        <link
          rel="icon"
          href={assets.css.replace(/app\.css.*/, 'favicon.svg')}
          type="image/svg+xml"
        />
        <link rel="stylesheet" href={assets.css} />
        {meta.jsonLd ? (
          <script
            type="application/ld+json"
            dangerouslySetInnerHTML={{ __html: safeJson(meta.jsonLd) }}
          />
        ) : null}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          {demo ? (
            <p class="demo-banner">
              Demo data: the firms listed here are fictional examples, not real audit firms.
            </p>
          ) : null}
          <a class="brand" href="/">
            Auditmatch
          </a>
          <nav aria-label="Main">
            <ul>
              {NAV.map((item) => (
                <li key={item.href}>
                  <a href={item.href} aria-current={path === item.href ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <a class="button button-small" href="/match">
            Get three quotes
          </a>
        </header>
        <main id="main">{body}</main>
        <footer class="site-footer">
          <p>
            <strong>Independent of every firm listed.</strong> No firm pays for its place in a
            match: ranking uses fit alone. Buyers use Auditmatch for free, and their contact details
            reach at most three firms they chose.
          </p>
          <ul class="footer-links">
            <li>
              <a href="/how-matching-works">How matching works</a>
            </li>
            <li>
              <a href="/frameworks">Frameworks</a>
            </li>
            <li>
              <a href="/firms">Firm directory</a>
            </li>
            <li>
              <a href="/api/docs">API</a>
            </li>
          </ul>
        </footer>
      </body>
    </html>
  );
}

export function PageHeader({
  title,
  lead,
  children,
}: {
  title: string;
  lead?: string;
  children?: ComponentChildren;
}) {
  return (
    <div class="page-header">
      <h1>{title}</h1>
      {lead ? <p class="lead">{lead}</p> : null}
      {children}
    </div>
  );
}
