import { longDate } from '../../../../domain/matching/dates';
import type { UsdRange } from '../../../../domain/quotes';
import type { BuyerView } from '../../../../services/buyer';
import type { ComponentChildren } from 'preact';
import { ButtonForm } from '../../components/post-form';
import { formatUsd } from '../firms';

/** "$20,000" for a fixed fee, "$18,000–$24,000" for an indicative range. */
export function usdRange(r: UsdRange): string {
  return r.minUsd === r.maxUsd
    ? formatUsd(r.minUsd)
    : `${formatUsd(r.minUsd)}–${formatUsd(r.maxUsd)}`;
}

const PERIOD_LABEL = {
  optional: 'Optional',
  'year-one': 'Year one',
  later: 'Years two and three',
} as const;

type ComparedQuote = BuyerView['quotes'][number];

const bulleted = (items: string[]) => (
  <ul class="compact">
    {items.map((item) => (
      <li key={item}>{item}</li>
    ))}
  </ul>
);

/** The rows under the totals: one fact of each quote, in the order the buyer reads them. */
const QUOTE_FACTS: [string, (q: ComparedQuote) => ComponentChildren][] = [
  ['Start', (q) => longDate(q.startDate)],
  ['Report or certificate', (q) => longDate(q.reportDate)],
  ['Assumptions', (q) => q.assumptions || '—'],
  ['What the call could change', (q) => q.callCouldChange || '—'],
  ['Valid until', (q) => longDate(q.validUntil)],
  ['Received', (q) => longDate(q.createdAt.slice(0, 10))],
  ['Why this firm', (q) => bulleted(q.reasons.slice(0, 3))],
  ['Credentials', (q) => bulleted(q.credentials)],
];

/**
 * The quotes side by side. Year one and the whole cycle are summed apart; a line a firm did not
 * quote says so and its total is marked incomplete rather than summed as if it cost nothing; a
 * line some firms quote and others do not is flagged. The table scrolls in its own box on a phone.
 */
export function QuoteComparison({
  view,
  base,
  csrf,
}: {
  view: BuyerView;
  base: string;
  csrf: string | null;
}) {
  const live = view.quotes.filter((q) => q.status !== 'withdrawn');
  const withdrawn = view.quotes.filter((q) => q.status === 'withdrawn');
  const { rows, yearOne, fullCycle } = view.comparison;
  const hasLater = rows.some((r) => r.period === 'later');
  return (
    <>
      {live.length > 0 ? (
        <div
          class="table-scroll"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take keyboard focus, or a keyboard user cannot reach the far columns
          tabIndex={0}
          role="region"
          aria-label="The quotes table, which scrolls sideways"
        >
          <table class="compare">
            <caption>
              Quotes side by side, in US dollars. A range is an indicative fee the call may settle.
            </caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                {live.map((q) => (
                  <th scope="col" key={q.id}>
                    {q.firmName}
                    {q.status === 'chosen' ? ' (your choice)' : ''}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key} class={row.flagged ? 'flagged' : undefined}>
                  <th scope="row">
                    <span class="muted">{PERIOD_LABEL[row.period]}: </span>
                    {row.label}
                    {row.flagged ? <span class="flag"> — not every firm quotes this</span> : null}
                  </th>
                  {row.cells.map((cell, i) => (
                    <td key={live[i]!.id}>{cell ? usdRange(cell) : <em>not quoted</em>}</td>
                  ))}
                </tr>
              ))}
              <tr class="total">
                <th scope="row">Year one (the audit)</th>
                {yearOne.map((t, i) => (
                  <td key={live[i]!.id}>
                    <strong>
                      {t.complete ? usdRange(t) : `${usdRange(t)} + lines not quoted`}
                    </strong>
                    {t.complete ? null : (
                      <span class="muted"> (incomplete: {t.missing.join(', ')})</span>
                    )}
                  </td>
                ))}
              </tr>
              {hasLater ? (
                <tr class="total">
                  <th scope="row">Whole cycle (year one, surveillance, recertification)</th>
                  {fullCycle.map((t, i) => (
                    <td key={live[i]!.id}>
                      <strong>
                        {t.complete ? usdRange(t) : `${usdRange(t)} + lines not quoted`}
                      </strong>
                      {t.complete ? null : <span class="muted"> (incomplete)</span>}
                    </td>
                  ))}
                </tr>
              ) : null}
              {QUOTE_FACTS.map(([label, fact]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {live.map((q) => (
                    <td key={q.id}>{fact(q)}</td>
                  ))}
                </tr>
              ))}
              {csrf && view.open ? (
                <tr class="no-print">
                  <th scope="row">Your preference</th>
                  {live.map((q) => (
                    <td key={q.id}>
                      {q.status === 'chosen' ? (
                        <strong>Your choice</strong>
                      ) : (
                        <ButtonForm
                          action={`${base}/quotes/${q.id}/choose`}
                          csrf={csrf}
                          kind="small"
                          label={`Mark the quote of ${q.firmName} as your choice`}
                        >
                          Mark as my choice
                        </ButtonForm>
                      )}
                    </td>
                  ))}
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      ) : (
        <p>
          No quote yet. Each firm that accepted your brief committed to quote by the time shown on
          its card; we email you as each quote arrives.
        </p>
      )}
      {withdrawn.length > 0 ? (
        <ul>
          {withdrawn.map((q) => (
            <li key={q.id}>
              {q.firmName}’s quote was withdrawn: {q.withdrawnReason ?? 'it is no longer valid'}.
            </li>
          ))}
        </ul>
      ) : null}
      {live.length > 0 ? (
        <p class="no-print">
          <a href={`${base}/quotes.csv`}>Download the comparison (CSV)</a>
        </p>
      ) : null}
    </>
  );
}
