import { longDate } from '../../../../domain/matching/dates';
import type { UsdRange } from '../../../../domain/quotes';
import type { BuyerView } from '../../../../services/buyer';
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
              <tr>
                <th scope="row">Start</th>
                {live.map((q) => (
                  <td key={q.id}>{longDate(q.startDate)}</td>
                ))}
              </tr>
              <tr>
                <th scope="row">Report or certificate</th>
                {live.map((q) => (
                  <td key={q.id}>{longDate(q.reportDate)}</td>
                ))}
              </tr>
              <tr>
                <th scope="row">Assumptions</th>
                {live.map((q) => (
                  <td key={q.id}>{q.assumptions || '—'}</td>
                ))}
              </tr>
              <tr>
                <th scope="row">What the call could change</th>
                {live.map((q) => (
                  <td key={q.id}>{q.callCouldChange || '—'}</td>
                ))}
              </tr>
              <tr>
                <th scope="row">Valid until</th>
                {live.map((q) => (
                  <td key={q.id}>{longDate(q.validUntil)}</td>
                ))}
              </tr>
              <tr>
                <th scope="row">Received</th>
                {live.map((q) => (
                  <td key={q.id}>{longDate(q.createdAt.slice(0, 10))}</td>
                ))}
              </tr>
              <tr>
                <th scope="row">Why this firm</th>
                {live.map((q) => (
                  <td key={q.id}>
                    <ul class="compact">
                      {q.reasons.slice(0, 3).map((r) => (
                        <li key={r}>{r}</li>
                      ))}
                    </ul>
                  </td>
                ))}
              </tr>
              <tr>
                <th scope="row">Credentials</th>
                {live.map((q) => (
                  <td key={q.id}>
                    <ul class="compact">
                      {q.credentials.map((c) => (
                        <li key={c}>{c}</li>
                      ))}
                    </ul>
                  </td>
                ))}
              </tr>
              {csrf && view.open ? (
                <tr class="no-print">
                  <th scope="row">Your preference</th>
                  {live.map((q) => (
                    <td key={q.id}>
                      {q.status === 'chosen' ? (
                        <strong>Your choice</strong>
                      ) : (
                        <form method="post" action={`${base}/quotes/${q.id}/choose`}>
                          <input type="hidden" name="_csrf" value={csrf} />
                          <button
                            class="button button-small"
                            type="submit"
                            aria-label={`Mark the quote of ${q.firmName} as your choice`}
                          >
                            Mark as my choice
                          </button>
                        </form>
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
