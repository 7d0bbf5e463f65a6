import { SectionNav } from '../../components/section-nav';
import { describedByIds, FieldBox } from '../../components/forms';
import type { FieldErrors } from '../../../forms/parse';
import type { ComponentChildren } from 'preact';
import { hrefWith, PageLinks } from '../../components/page-links';

/**
 * The frame of every console page: its own navigation, the page heading, a notice after a
 * successful action (POST-redirect-GET), and sign-out. Plain links and forms: no script.
 */

export const ADMIN_SECTIONS = [
  { href: '/admin', label: 'Overview' },
  { href: '/admin/credentials', label: 'Credentials' },
  { href: '/admin/firms', label: 'Firms' },
  { href: '/admin/website-changes', label: 'Website changes' },
  { href: '/admin/requests', label: 'Unmatched requests' },
  { href: '/admin/complaints', label: 'Complaints' },
  { href: '/admin/reviews', label: 'Reviews' },
  { href: '/admin/outbox', label: 'Outbox' },
  { href: '/admin/metrics', label: 'Metrics' },
  { href: '/admin/audit', label: 'Audit log' },
] as const;

export type AdminSection = (typeof ADMIN_SECTIONS)[number]['href'];

/** What every console page with forms is handed: the token, the last notice, a refused form. */
export interface ConsoleFrame {
  csrf: string;
  notice: string | null;
  failure: RowFailure | null;
}

/** The filter links above a queue (pending / all …), to the queue's own page, in this order. */
export interface QueueFilters<T extends string> {
  label: string;
  /** Every filter the queue has, by the word it is linked with. */
  labels: Record<T, string>;
}

/** What a queue's page says above its rows: where it is, its heading, and its filter links. */
export interface QueuePageText<F extends string> {
  section: AdminSection;
  title: string;
  lead: string;
  filters: QueueFilters<F>;
}

/** What a queue's page is handed: its rows for the chosen filter, and the console's frame. */
export type QueueProps<R, F extends string> = ConsoleFrame & {
  rows: R[];
  filter: F;
  /** Where the page starts, in a queue read by cursor; undefined on its first page. */
  cursor?: string;
};

export interface ShellProps {
  section: AdminSection;
  title: string;
  lead?: string;
  notice?: string | null;
  /** A form on this page that failed: summarised at the top, and shown again beside its controls. */
  failure?: RowFailure | null;
  csrf: string;
  /** For a queue: the links that choose which of its entries are listed, and the one chosen. */
  filters?: QueueFilters<string>;
  filter?: string;
  children: ComponentChildren;
}

export function AdminShell({
  section,
  title,
  lead,
  notice,
  failure,
  csrf,
  filters,
  filter,
  children,
}: ShellProps) {
  return (
    <>
      <SectionNav
        label="Operator console"
        class="filters no-print"
        csrf={csrf}
        items={ADMIN_SECTIONS.map((s) => ({
          href: s.href,
          label: s.label,
          current: s.href === section,
        }))}
      />
      <h1>{title}</h1>
      {lead ? <p class="lead">{lead}</p> : null}
      {failure && Object.keys(failure.errors).length > 0 ? (
        <div class="error-summary" role="alert">
          <h2>That did not go through</h2>
          <ul>
            {Object.entries(failure.errors).map(([field, message]) => (
              <li key={field}>{message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {notice ? (
        <p class="card notice" role="status">
          {notice}
        </p>
      ) : null}
      {filters ? (
        <FilterLinks
          label={filters.label}
          base={section}
          options={Object.entries(filters.labels).map(([value, label]) => ({ value, label }))}
          current={filter ?? ''}
        />
      ) : null}
      {children}
    </>
  );
}

/** A failed form on a page of many forms: which row it was, and what went wrong. */
export interface RowFailure {
  id: string;
  errors: FieldErrors;
  /** What was typed, so a refused form comes back filled in. */
  values?: Record<string, string>;
}

/** What a refused form on this row said and had typed; empty for every other row. */
export function rowState(
  failure: RowFailure | null | undefined,
  id: string,
): { errors: FieldErrors; typed: Record<string, string> } {
  return { errors: errorsFor(failure, id), typed: valuesFor(failure, id) };
}

/**
 * A form that acts on one row of a queue: the CSRF token and the hidden values it carries,
 * then the message for fields it has no control for, then its controls.
 */
export function RowForm({
  action,
  csrf,
  hidden = {},
  errors,
  fields,
  problemId,
  children,
}: {
  action: string;
  csrf: string;
  hidden?: Record<string, string>;
  errors: FieldErrors;
  /** The fields the form has controls for: their messages stand beside them. */
  fields: readonly string[];
  problemId: string;
  children: ComponentChildren;
}) {
  return (
    <form method="post" action={action}>
      <input type="hidden" name="_csrf" value={csrf} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormProblem errors={errors} fields={fields} id={problemId} />
      {children}
    </form>
  );
}

export function errorsFor(failure: RowFailure | null | undefined, id: string): FieldErrors {
  return failure && failure.id === id ? failure.errors : {};
}

export function valuesFor(
  failure: RowFailure | null | undefined,
  id: string,
): Record<string, string> {
  return failure && failure.id === id ? (failure.values ?? {}) : {};
}

/** The message for fields the form has no control for (the record, the action). */
export function FormProblem({
  errors,
  fields,
  id,
}: {
  errors: FieldErrors;
  fields: readonly string[];
  id: string;
}) {
  const loose = Object.entries(errors).filter(([field]) => !fields.includes(field));
  if (loose.length === 0) return null;
  return (
    <div class="error-summary" id={`${id}-problem`}>
      {loose.map(([field, message]) => (
        <p key={field} class="field-error">
          {message}
        </p>
      ))}
    </div>
  );
}

export function TextField({
  id,
  name,
  label,
  value,
  error,
  hint,
  multiline,
  required,
  type,
}: {
  id: string;
  name: string;
  label: string;
  value?: string;
  error?: string;
  hint?: string;
  multiline?: boolean;
  required?: boolean;
  type?: 'text' | 'date' | 'search';
}) {
  const common = {
    id,
    name,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedByIds(id, hint, error),
    required,
  };
  return (
    <FieldBox id={id} label={label} hint={hint} error={error}>
      {multiline ? (
        <textarea {...common} rows={3} cols={50} value={value ?? ''} />
      ) : (
        <input {...common} type={(type ?? 'text') as 'text'} value={value ?? ''} />
      )}
    </FieldBox>
  );
}

const BY_AGE = { first: 'Newest entries', next: 'Older entries' };
/** The pager's words for a list ordered by something other than age. */
export const BY_PAGE = { first: 'First page', next: 'Next page' };

/**
 * Links of a list paged by cursor (keyset): back to the newest, and on to older entries. A
 * cursor page has no number; what it shows starts right after the previous page's last row.
 */
export function Pager({
  base,
  query,
  cursor,
  next,
  words = BY_AGE,
}: {
  base: string;
  query: Record<string, string | undefined>;
  /** The cursor this page was read from; undefined on the first page. */
  cursor: string | undefined;
  /** The cursor of the next page, or null on the last. */
  next: string | null;
  /** The links' words: by age for a log, by page for a list in another order. */
  words?: { first: string; next: string };
}) {
  const href = (c: string | null) => hrefWith(base, { ...query, cursor: c ?? undefined });
  return (
    <PageLinks
      label="Pages"
      links={[
        cursor ? { href: href(null), rel: 'first', text: words.first } : null,
        next ? { href: href(next), rel: 'next', text: words.next } : null,
      ]}
    />
  );
}

/**
 * The rows of a queue as cards: how many there are, a line when there are none, then a card
 * for each.
 */
export function QueueCards<R>({
  rows,
  count,
  empty,
  card,
}: {
  rows: readonly R[];
  count: (n: number) => string;
  empty: string;
  card: (row: R) => ComponentChildren;
}) {
  return (
    <>
      <p>{count(rows.length)}</p>
      {rows.length === 0 ? <p>{empty}</p> : null}
      <ul class="grid">{rows.map(card)}</ul>
    </>
  );
}

/** One entry of a console list as a card, named by its heading (`<id>-title`). */
export function RowCard({
  id,
  title,
  children,
}: {
  id: string;
  title: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <section class="card" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

/** Filter links above a list (pending / all …), the current one marked. */
export function FilterLinks<T extends string>({
  label,
  base,
  options,
  current,
}: {
  label: string;
  base: string;
  options: readonly { value: T; label: string }[];
  current: T;
}) {
  return (
    <nav aria-label={label}>
      <ul class="footer-links">
        {options.map((o) => (
          <li key={o.value}>
            <a
              href={`${base}?filter=${o.value}`}
              aria-current={o.value === current ? 'page' : undefined}
            >
              {o.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** "2026-11-30 09:00 UTC": the console works in UTC, like the data. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
