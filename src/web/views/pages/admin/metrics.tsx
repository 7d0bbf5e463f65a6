import type { DemandTotal, OperatorMetrics, Rate, WeekRate } from '../../../../domain/metrics';
import {
  FRAMEWORK_SHORT_NAMES,
  type FrameworkId,
  REGION_LABELS,
  type Region,
} from '../../../../domain/vocabulary';
import { BarList, ColumnChart, shortDay } from '../../components/admin-charts';
import { AdminShell } from './shell';
import { count } from '../../../../domain/matching/labels';
import { DataTable } from '../../components/data-table';
import { FilterForm } from '../../components/filter-form';

export const METRIC_WEEK_CHOICES = [4, 12, 26, 52] as const;

const percent = (r: number | null) => (r === null ? 'no data' : `${Math.round(r * 100)}%`);
const rateText = (r: Rate) =>
  r.rate === null ? 'no data yet' : `${percent(r.rate)} (${r.numerator} of ${r.denominator})`;
const hoursText = (h: number | null) =>
  h === null ? 'no answers yet' : h < 48 ? `${h.toFixed(1)} hours` : `${(h / 24).toFixed(1)} days`;

/** A rate per week as a chart and the same figures as a table: match rate, accept rate. */
function RateSection({
  name,
  weeks,
  rows,
  description,
  note,
  what,
}: {
  name: 'match' | 'accept';
  weeks: string[];
  rows: WeekRate[];
  description: string;
  note: string;
  what: [string, string];
}) {
  const title = `${name === 'match' ? 'Match' : 'Accept'} rate per week`;
  return (
    <>
      <h2>{title}</h2>
      <figure class="chart-figure">
        <ColumnChart
          id={`chart-${name}`}
          title={title}
          description={description}
          categories={weeks}
          series={[{ label: title.replace(' per week', ''), values: rows.map((r) => r.rate) }]}
          format={(n) => `${Math.round(n * 100)}%`}
          max={1}
        />
        <figcaption>{note}</figcaption>
      </figure>
      <DataTable
        id={`table-${name}`}
        caption={title}
        captionClass="muted"
        columns={['Week of', ...what, 'Rate']}
        rows={rows.map((r) => ({
          key: r.week,
          cells: [r.week, r.numerator, r.denominator, percent(r.rate)],
        }))}
      />
    </>
  );
}

/** Demand per framework or region: bars of requests sent, and every count in a table. */
function DemandSection({
  by,
  rows,
  label,
  chartDescription,
  figcaption,
}: {
  by: 'Framework' | 'Region';
  rows: DemandTotal[];
  label: (key: string) => string;
  chartDescription: string;
  figcaption?: string;
}) {
  const per = by.toLowerCase();
  return (
    <>
      <h2>Demand per {per}</h2>
      {rows.length === 0 ? (
        <p>No demand counted in this period.</p>
      ) : (
        <>
          <figure class="chart-figure">
            <BarList
              id={`chart-demand-${per}`}
              title={`Requests sent per ${per}`}
              description={chartDescription}
              rows={rows.map((d) => ({ label: label(d.key), value: d.request }))}
            />
            {figcaption ? <figcaption>{figcaption}</figcaption> : null}
          </figure>
          <DataTable
            caption={`Demand per ${per}`}
            captionClass="muted"
            columns={[by, 'Match previews', 'Requests sent', 'Requests confirmed']}
            rows={rows.map((r) => ({
              key: r.key,
              cells: [label(r.key), r.preview, r.request, r.confirmed],
            }))}
          />
        </>
      )}
    </>
  );
}

/** The weekly rates the page charts, in order. */
const RATES: readonly {
  name: 'match' | 'accept';
  rows: (m: OperatorMetrics) => WeekRate[];
  description: string;
  note: string;
  what: [string, string];
}[] = [
  {
    name: 'match',
    rows: (m) => m.matchRatePerWeek,
    description:
      'Share of requests confirmed that week whose match proposed three firms. Weeks without confirmed requests have no bar.',
    note: 'A request is matched when three qualified firms were proposed at confirmation.',
    what: ['With three firms', 'Confirmed'],
  },
  {
    name: 'accept',
    rows: (m) => m.acceptRatePerWeek,
    description:
      'Share of briefs accepted among those answered or expired that week. Weeks without answers have no bar.',
    note: 'Briefs withdrawn by the buyer, and briefs still open, are not counted.',
    what: ['Accepted', 'Answered or expired'],
  },
];

const frameworkName = (k: string) => FRAMEWORK_SHORT_NAMES[k as FrameworkId] ?? k;
const regionName = (k: string) => REGION_LABELS[k as Region] ?? k;

export function MetricsPage({
  metrics,
  weeks,
  csrf,
}: {
  metrics: OperatorMetrics;
  weeks: number;
  csrf: string;
}) {
  const first = metrics.weeks[0] ?? '';
  const period = `the ${weeks} weeks from ${first}`;
  return (
    <AdminShell
      section="/admin/metrics"
      title="Metrics"
      lead={`How the marketplace did over ${period}, in UTC weeks starting on Monday.`}
      csrf={csrf}
    >
      <FilterForm action="/admin/metrics" button="Show">
        <div class="field">
          <label for="f-weeks">Period</label>
          <select id="f-weeks" name="weeks">
            {METRIC_WEEK_CHOICES.map((w) => (
              <option key={w} value={String(w)} selected={w === weeks}>
                Last {w} weeks
              </option>
            ))}
          </select>
        </div>
      </FilterForm>

      <dl class="facts">
        <dt>Match rate</dt>
        <dd>{rateText(metrics.matchRate)} of confirmed requests got three firms</dd>
        <dt>Accept rate</dt>
        <dd>{rateText(metrics.acceptRate)} of briefs answered or expired were accepted</dd>
        <dt>Median time to first firm response</dt>
        <dd>
          {hoursText(metrics.medianFirstResponseHours)}
          {metrics.firstResponseSamples > 0
            ? ` over ${count(metrics.firstResponseSamples, 'request', 'requests')}`
            : ''}
          , from the first brief sent to the first accept or decline
        </dd>
      </dl>

      <h2>Requests per week</h2>
      <figure class="chart-figure">
        <ColumnChart
          id="chart-requests"
          title="Requests per week"
          description={`Requests sent and confirmed per week over ${period}; the table below lists the same numbers.`}
          categories={metrics.weeks}
          series={[
            { label: 'Sent', values: metrics.requestsPerWeek.map((r) => r.submitted) },
            { label: 'Confirmed', values: metrics.requestsPerWeek.map((r) => r.confirmed) },
          ]}
          format={(n) => String(Math.round(n))}
        />
        <figcaption>
          Sent: every request submitted; confirmed: the buyer confirmed its email.
        </figcaption>
      </figure>
      <DataTable
        caption="Requests per week"
        captionClass="muted"
        columns={['Week of', 'Sent', 'Confirmed']}
        rows={metrics.requestsPerWeek.map((r) => ({
          key: r.week,
          cells: [r.week, r.submitted, r.confirmed],
        }))}
      />

      {RATES.map((r) => (
        <RateSection key={r.name} {...r} weeks={metrics.weeks} rows={r.rows(metrics)} />
      ))}
      <DemandSection
        by="Framework"
        rows={metrics.demandByFramework}
        label={frameworkName}
        chartDescription={`Requests sent per framework over ${period}. A request for two frameworks counts for each.`}
        figcaption="Anonymous counts: what was asked for, never by whom."
      />
      <DemandSection
        by="Region"
        rows={metrics.demandByRegion}
        label={regionName}
        chartDescription={`Framework requests sent per region over ${period}.`}
      />
      <p class="muted">Weeks shown: {metrics.weeks.map(shortDay).join(', ')}.</p>
    </AdminShell>
  );
}
