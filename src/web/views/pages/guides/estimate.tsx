import type { FieldErrors } from '../../../forms/parse';
import {
  type Estimate,
  ESTIMATE_LABEL,
  type EstimateSource,
  type SourceKind,
} from '../../../../domain/estimate';
import type { PriceIndexReading } from '../../../../services/price-index';
import {
  GanttStrip,
  type GanttPlan,
  type PlanVerdict,
  RangeChart,
  type RangeRow,
  usd,
  weeks,
} from '../../components/charts';
import { type Option, SelectField } from '../../components/forms';
import { ChoiceGroup, FormActions, GuideToolPage, InputField } from './fields';
import { DataTable } from '../../components/data-table';

export interface EstimateFormValues {
  framework: string;
  variant: string;
  windowMonths: string;
  categories: string[];
  headcount: string;
  systems: string;
  locations: string;
  existingProgram: string;
  neededBy: string;
}

export interface EstimateResult {
  estimate: Estimate;
  priceIndex: PriceIndexReading;
  plan?: GanttPlan;
  verdict?: PlanVerdict;
  matchHref: string;
  frameworkName: string;
}

export interface EstimateOptions {
  frameworks: Option[];
  variants: Option[];
  windows: Option[];
  categories: Option[];
  programs: Option[];
}

const KIND_WORDS: Record<SourceKind, string> = {
  published: 'Published figure',
  'single-publisher': "One publisher's estimate",
  assumption: 'Our assumption',
};

function sourceLabel(s: EstimateSource): string {
  return s.date ? `${s.name} (${s.date}): ${s.figure}` : `${s.name}: ${s.figure}`;
}

/** A published figure as a bar beside our range: drawn apart when the estimate starts from it. */
function sourceRow(s: EstimateSource): RangeRow {
  return {
    label: sourceLabel(s),
    low: s.low,
    high: s.high,
    kind: s.usedInEstimate ? 'used' : 'context',
  };
}

function costRows(result: EstimateResult): RangeRow[] {
  const { estimate: e, priceIndex } = result;
  const rows: RangeRow[] = e.cost
    ? [
        {
          label: 'Our estimate for your scope',
          low: e.cost.lowUsd,
          high: e.cost.highUsd,
          kind: 'ours',
        },
      ]
    : [];
  if (priceIndex.index) {
    rows.push({
      label: `Price index: middle half of ${priceIndex.index.count} real quotes`,
      low: priceIndex.index.p25,
      high: priceIndex.index.p75,
      kind: 'index',
    });
  }
  rows.push(...e.sources.filter((s) => s.unit === 'usd').map(sourceRow));
  return rows;
}

function weekRows(e: Estimate): RangeRow[] {
  return [
    {
      label: 'Our estimate, start to report or certificate',
      low: e.timeline.lowWeeks,
      high: e.timeline.highWeeks,
      kind: 'ours',
    },
    ...e.sources.filter((s) => s.unit === 'weeks').map(sourceRow),
  ];
}

const shortWeeks = (n: number) => `${n} wk`;

/** Our range beside the published ones, as a chart with its caption. */
function RangeFigure({
  caption,
  ...chart
}: Parameters<typeof RangeChart>[0] & { caption: string }) {
  return (
    <figure class="chart-figure">
      <RangeChart {...chart} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

/** The counted scope the estimator asks for, each a whole number from one. */
const SCOPE_COUNTS: readonly {
  name: 'headcount' | 'systems' | 'locations';
  label: string;
  hint?: string;
  max: number;
}[] = [
  { name: 'headcount', label: 'People in scope', max: 1000000 },
  {
    name: 'systems',
    label: 'Systems in scope',
    hint: 'Applications, cloud accounts and data stores the audit covers; the base range covers five.',
    max: 10000,
  },
  { name: 'locations', label: 'Locations in scope', max: 10000 },
];

function Results({ result }: { result: EstimateResult }) {
  const e = result.estimate;
  const index = result.priceIndex;
  return (
    <section aria-labelledby="result-title" class="result">
      <h2 id="result-title">
        {result.frameworkName}: your estimate{' '}
        <span class="tag estimate-label">{ESTIMATE_LABEL}</span>
      </h2>
      <dl class="headline-figures">
        <div>
          <dt>Audit fees</dt>
          <dd>
            {e.cost ? `${usd(e.cost.lowUsd)} to ${usd(e.cost.highUsd)}` : 'No published figure'}
            {e.bounds.cost.status === 'beyond' ? ' or more' : ''}
            {e.singlePublisher.cost ? <small class="basis">{e.singlePublisher.cost}</small> : null}
          </dd>
        </div>
        <div>
          <dt>
            From the start of readiness to the {e.framework === 'soc2' ? 'report' : 'certificate'}
          </dt>
          <dd>
            {e.timeline.lowWeeks} to {weeks(e.timeline.highWeeks)}
            {e.bounds.timeline.status === 'beyond' ? ' or more' : ''}
            {e.bounds.timeline.status === 'no-figure' ? ' of audits' : ''}
            {e.singlePublisher.timeline ? (
              <small class="basis">{e.singlePublisher.timeline}</small>
            ) : null}
          </dd>
        </div>
      </dl>
      {[e.bounds.cost.message, e.bounds.timeline.message, ...e.notes]
        .filter((m): m is string => m !== null)
        .map((m) => (
          <p class="notice" key={m}>
            {m}
          </p>
        ))}
      <p class="muted">
        Fees are what the audit firm or certification body charges; software, consultants and your
        team's time come on top. Firms quote per engagement, so treat these as a range to test
        quotes against, not a price.
      </p>

      <h3>Cost beside the published ranges</h3>
      <RangeFigure
        id="cost-chart"
        title="Audit fees: our range and the published ranges"
        rows={costRows(result)}
        format={usd}
        caption="Dark blue: our estimate. Mid blue: published ranges our estimate starts from. Grey: published ranges shown for comparison. Green: the price index, when there is one."
      />

      <h3>Price index from real quotes</h3>
      {index.index ? (
        <p>
          From {index.index.count} quotes submitted through Auditmatch for this framework and
          company size: median {usd(index.index.median)}, middle half {usd(index.index.p25)} to{' '}
          {usd(index.index.p75)}.
        </p>
      ) : (
        <p>
          The price index appears here once at least {index.minimumQuotes} real quotes exist for
          this framework and company size. Until then the estimate rests on published ranges only.
        </p>
      )}

      <h3>Timeline</h3>
      {result.verdict ? (
        <p class={`verdict verdict-${result.verdict.status}`}>{result.verdict.sentence}</p>
      ) : null}
      <figure class="chart-figure">
        <GanttStrip
          id="timeline-chart"
          phases={e.phases.map((p) => ({
            label: p.label,
            lowWeeks: p.lowWeeks,
            highWeeks: p.highWeeks,
          }))}
          plan={result.plan}
        />
        <figcaption>
          {result.plan
            ? 'Each phase at its longest, worked back from your date.'
            : 'Dark: each phase at its shortest. Light: how far it reaches at its longest.'}
        </figcaption>
      </figure>
      <DataTable
        caption="Phases"
        columns={['Phase', 'Weeks', 'Based on']}
        rows={e.phases.map((p) => ({
          key: p.id,
          cells: [
            p.label,
            p.lowWeeks === p.highWeeks ? p.lowWeeks : `${p.lowWeeks}–${p.highWeeks}`,
            p.sourceNames.join('; '),
          ],
        }))}
      />
      <RangeFigure
        id="weeks-chart"
        title="Weeks: our range and the published figures"
        rows={weekRows(e)}
        format={shortWeeks}
        caption="Published figures for single phases are drawn beside our whole timeline."
      />

      <h3>What moved the numbers</h3>
      <DataTable
        caption="Drivers of the estimate"
        captionClass="visually-hidden"
        columns={['Driver', 'Effect']}
        rows={e.drivers.map((d) => ({ key: d.id, cells: [d.label, d.effect] }))}
      />

      <h3>Sources</h3>
      <DataTable
        caption="Sources of the figures"
        captionClass="visually-hidden"
        columns={['Source', 'Figure', 'Range', 'Date', 'Kind', 'Use']}
        rows={e.sources.map((s) => ({
          key: `${s.name}-${s.figure}`,
          cells: [
            s.url ? (
              <a href={s.url} rel="nofollow noopener">
                {s.name}
              </a>
            ) : (
              s.name
            ),
            s.figure,
            s.unit === 'usd' ? `${usd(s.low)}–${usd(s.high)}` : `${s.low}–${s.high} weeks`,
            s.date ?? 'Ours',
            KIND_WORDS[s.kind],
            s.usedInEstimate ? 'Used in the estimate' : 'For comparison',
          ],
        }))}
      />
      <p>
        <a class="button" href={result.matchHref}>
          Get three real quotes for this scope
        </a>
      </p>
    </section>
  );
}

const PAGE = {
  title: 'Audit cost and timeline estimator',
  lead: 'Ranges for your scope, built from published figures and adjusted for the drivers that move quotes. Always an estimate: real quotes vary.',
  action: '/estimate',
};

export function EstimatePage({
  values,
  errors,
  result,
  options,
}: {
  values: EstimateFormValues;
  errors: FieldErrors;
  result?: EstimateResult;
  options: EstimateOptions;
}) {
  return (
    <GuideToolPage
      {...PAGE}
      errors={errors}
      result={result ? <Results result={result} /> : null}
      formTitle={result ? 'Change your scope' : 'Your scope'}
    >
      <SelectField
        name="framework"
        label="Framework"
        options={options.frameworks}
        value={values.framework}
        error={errors.framework}
      />
      <fieldset class="choices">
        <legend>SOC 2 only</legend>
        <ChoiceGroup
          type="radio"
          name="variant"
          legend="Report type"
          options={options.variants}
          selected={[values.variant]}
          error={errors.variant}
        />
        <SelectField
          name="windowMonths"
          label="Observation window (Type II)"
          options={options.windows}
          value={values.windowMonths}
          error={errors.windowMonths}
          hint="A first report usually covers three months."
        />
        <ChoiceGroup
          type="checkbox"
          name="categories"
          legend="Categories besides Security"
          hint="Security is always in scope."
          options={options.categories}
          selected={values.categories}
          error={errors.categories}
        />
      </fieldset>
      {SCOPE_COUNTS.map((c) => (
        <InputField
          key={c.name}
          type="number"
          name={c.name}
          label={c.label}
          hint={c.hint}
          value={values[c.name]}
          min={1}
          max={c.max}
          error={errors[c.name]}
          required
        />
      ))}
      <SelectField
        name="existingProgram"
        label="Where you start"
        options={options.programs}
        value={values.existingProgram}
        error={errors.existingProgram}
      />
      <InputField
        type="date"
        name="neededBy"
        label="Date you need the report or certificate (optional)"
        hint="We work back from it to show whether it can be met."
        value={values.neededBy}
        error={errors.neededBy}
      />
      <FormActions>
        <button class="button" type="submit">
          Estimate
        </button>
      </FormActions>
    </GuideToolPage>
  );
}
