import type { DemandTotal, OperatorMetrics, Rate, WeekRate } from '../../../../domain/metrics';
import {
  FRAMEWORK_SHORT_NAMES,
  type FrameworkId,
  REGION_LABELS,
  type Region,
} from '../../../../domain/vocabulary';
import { BarList, ColumnChart, shortDay } from '../../components/admin-charts';
import { AdminShell } from './shell';
import { TableHead } from '../../components/table-head';

export const METRIC_WEEK_CHOICES = [4, 12, 26, 52] as const;

const percent = (r: number | null) => (r === null ? 'no data' : `${Math.round(r * 100)}%`);
const rateText = (r: Rate) =>
  r.rate === null ? 'no data yet' : `${percent(r.rate)} (${r.numerator} of ${r.denominator})`;
const hoursText = (h: number | null) =>
  h === null ? 'no answers yet' : h < 48 ? `${h.toFixed(1)} hours` : `${(h / 24).toFixed(1)} days`;

function RateTable({
  id,
  caption,
  rows,
  what,
}: {
  id: string;
  caption: string;
  rows: WeekRate[];
  what: [string, string];
}) {
  return (
    <div class="table-scroll">
      <table id={id}>
        <caption class="muted">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Week of</th>
            <th scope="col">{what[0]}</th>
            <th scope="col">{what[1]}</th>
            <th scope="col">Rate</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.week}>
              <th scope="row">{r.week}</th>
              <td>{r.numerator}</td>
              <td>{r.denominator}</td>
              <td>{percent(r.rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DemandTable({
  caption,
  heading,
  rows,
  label,
}: {
  caption: string;
  heading: string;
  rows: DemandTotal[];
  label: (key: string) => string;
}) {
  return (
    <div class="table-scroll">
      <table>
        <caption class="muted">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col">Match previews</th>
            <th scope="col">Requests sent</th>
            <th scope="col">Requests confirmed</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{label(r.key)}</th>
              <td>{r.preview}</td>
              <td>{r.request}</td>
              <td>{r.confirmed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

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
      <form class="filters" method="get" action="/admin/metrics">
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
        <div class="field">
          <button class="button" type="submit">
            Show
          </button>
        </div>
      </form>

      <dl class="facts">
        <dt>Match rate</dt>
        <dd>{rateText(metrics.matchRate)} of confirmed requests got three firms</dd>
        <dt>Accept rate</dt>
        <dd>{rateText(metrics.acceptRate)} of briefs answered or expired were accepted</dd>
        <dt>Median time to first firm response</dt>
        <dd>
          {hoursText(metrics.medianFirstResponseHours)}
          {metrics.firstResponseSamples > 0 ? ` over ${metrics.firstResponseSamples} requests` : ''}
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
      <div class="table-scroll">
        <table>
          <caption class="muted">Requests per week</caption>
          <TableHead columns={['Week of', 'Sent', 'Confirmed']} />
          <tbody>
            {metrics.requestsPerWeek.map((r) => (
              <tr key={r.week}>
                <th scope="row">{r.week}</th>
                <td>{r.submitted}</td>
                <td>{r.confirmed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Match rate per week</h2>
      <figure class="chart-figure">
        <ColumnChart
          id="chart-match"
          title="Match rate per week"
          description="Share of requests confirmed that week whose match proposed three firms. Weeks without confirmed requests have no bar."
          categories={metrics.weeks}
          series={[{ label: 'Match rate', values: metrics.matchRatePerWeek.map((r) => r.rate) }]}
          format={(n) => `${Math.round(n * 100)}%`}
          max={1}
        />
        <figcaption>
          A request is matched when three qualified firms were proposed at confirmation.
        </figcaption>
      </figure>
      <RateTable
        id="table-match"
        caption="Match rate per week"
        rows={metrics.matchRatePerWeek}
        what={['With three firms', 'Confirmed']}
      />

      <h2>Accept rate per week</h2>
      <figure class="chart-figure">
        <ColumnChart
          id="chart-accept"
          title="Accept rate per week"
          description="Share of briefs accepted among those answered or expired that week. Weeks without answers have no bar."
          categories={metrics.weeks}
          series={[{ label: 'Accept rate', values: metrics.acceptRatePerWeek.map((r) => r.rate) }]}
          format={(n) => `${Math.round(n * 100)}%`}
          max={1}
        />
        <figcaption>
          Briefs withdrawn by the buyer, and briefs still open, are not counted.
        </figcaption>
      </figure>
      <RateTable
        id="table-accept"
        caption="Accept rate per week"
        rows={metrics.acceptRatePerWeek}
        what={['Accepted', 'Answered or expired']}
      />

      <h2>Demand per framework</h2>
      {metrics.demandByFramework.length === 0 ? (
        <p>No demand counted in this period.</p>
      ) : (
        <>
          <figure class="chart-figure">
            <BarList
              id="chart-demand-framework"
              title="Requests sent per framework"
              description={`Requests sent per framework over ${period}. A request for two frameworks counts for each.`}
              rows={metrics.demandByFramework.map((d) => ({
                label: frameworkName(d.key),
                value: d.request,
              }))}
            />
            <figcaption>Anonymous counts: what was asked for, never by whom.</figcaption>
          </figure>
          <DemandTable
            caption="Demand per framework"
            heading="Framework"
            rows={metrics.demandByFramework}
            label={frameworkName}
          />
        </>
      )}

      <h2>Demand per region</h2>
      {metrics.demandByRegion.length === 0 ? (
        <p>No demand counted in this period.</p>
      ) : (
        <>
          <figure class="chart-figure">
            <BarList
              id="chart-demand-region"
              title="Requests sent per region"
              description={`Framework requests sent per region over ${period}.`}
              rows={metrics.demandByRegion.map((d) => ({
                label: regionName(d.key),
                value: d.request,
              }))}
            />
          </figure>
          <DemandTable
            caption="Demand per region"
            heading="Region"
            rows={metrics.demandByRegion}
            label={regionName}
          />
        </>
      )}
      <p class="muted">Weeks shown: {metrics.weeks.map(shortDay).join(', ')}.</p>
    </AdminShell>
  );
}
