import type { FieldErrors } from '../../../forms/parse';
import { Fragment } from 'preact';
import {
  COVERAGE_LABELS,
  COVERAGE_LEVELS,
  levelMeaning,
  overlapCaveat,
  type OverlapResult,
} from '../../../../domain/crosswalk';
import { OverlapChart } from '../../components/charts';
import { ErrorSummary, type Option } from '../../components/forms';
import { PageHeader } from '../../layout';
import { ChoiceGroup, FormActions, YesBox } from './fields';
import { TableHead } from '../../components/table-head';

export interface OverlapFormValues {
  soc2: boolean;
  have: string[];
  iso27001: boolean;
}

const groupLabel = (id: string) => (id.startsWith('A.') ? id : `Clause ${id}`);

function holdingWords(result: OverlapResult, categoryNames: Record<string, string>): string {
  const parts: string[] = [];
  if (result.holdings.soc2) {
    const names = result.holdings.soc2.map((c) => categoryNames[c] ?? c);
    const list =
      names.length > 1
        ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
        : names.join('');
    parts.push(`a SOC 2 with ${list}`);
  }
  if (result.holdings.iso27001) parts.push('ISO/IEC 27001');
  return parts.join(' and ');
}

function Totals({ result }: { result: OverlapResult }) {
  const t = result.totals.overall;
  return (
    <ul class="totals">
      {COVERAGE_LEVELS.map((level) => (
        <li key={level} class={`total total-${level}`}>
          <span class="total-number">{t[level]}</span> {COVERAGE_LABELS[level].toLowerCase()}
        </li>
      ))}
      <li class="total">
        <span class="total-number">{t.total}</span> requirements in all
      </li>
    </ul>
  );
}

export function OverlapPage({
  values,
  errors,
  result,
  csvHref,
  categoryOptions,
  categoryNames,
}: {
  values: OverlapFormValues;
  errors: FieldErrors;
  result?: OverlapResult;
  csvHref?: string;
  categoryOptions: Option[];
  categoryNames: Record<string, string>;
}) {
  const meaning = levelMeaning();
  return (
    <>
      <PageHeader
        title="ISO/IEC 42001 overlap map"
        lead="Tell us what you already hold. For each of the 70 ISO/IEC 42001 clauses and Annex A controls, see whether your programme covers it, covers part of it, or leaves new work — and which of your criteria carry it."
      />
      <ErrorSummary errors={errors} />
      <section aria-labelledby="form-title" class="no-print">
        <h2 id="form-title">What you hold</h2>
        <form method="get" action="/overlap" class="guide-form" novalidate>
          <input type="hidden" name="asked" value="1" />
          <fieldset class="choices">
            <legend>SOC 2</legend>
            <YesBox
              name="soc2"
              label="We hold a SOC 2 report (Type 1 or Type 2)"
              checked={values.soc2}
              error={errors.soc2}
            />
            <ChoiceGroup
              type="checkbox"
              name="have"
              legend="Categories in the report besides Security"
              hint="Security is in every SOC 2. Ticking a category counts as holding a SOC 2."
              options={categoryOptions}
              selected={values.have}
              error={errors.have}
            />
          </fieldset>
          <fieldset class="choices">
            <legend>ISO/IEC 27001</legend>
            <YesBox
              name="iso27001"
              label="We hold an ISO/IEC 27001 certificate"
              checked={values.iso27001}
              error={errors.iso27001}
            />
          </fieldset>
          <FormActions>
            <button class="button" type="submit">
              Show the overlap
            </button>
          </FormActions>
        </form>
      </section>

      {result ? (
        <section aria-labelledby="result-title">
          <h2 id="result-title">
            What {holdingWords(result, categoryNames)} carries into ISO/IEC 42001
          </h2>
          <Totals result={result} />
          <p class="muted">{overlapCaveat()}</p>
          <p class="no-print">
            <a href={csvHref} download>
              Download the map as CSV
            </a>{' '}
            · To print it, use your browser's print command: the form and navigation are left out.
          </p>

          <h3>By group</h3>
          <figure class="chart-figure">
            <OverlapChart
              id="overlap-chart"
              rows={result.totals.byGroup.map((g) => ({ ...g, label: groupLabel(g.group) }))}
              summary={`${result.totals.overall.covered} covered, ${result.totals.overall.partly} partly covered and ${result.totals.overall.new} new, across ${result.totals.byGroup.length} groups. The table below gives the numbers for each group.`}
            />
            <figcaption>
              Clauses 4–10 are the management-system requirements; A.2–A.10 are the Annex A control
              groups.
            </figcaption>
          </figure>
          <div class="table-scroll">
            <table>
              <caption>Requirements per group</caption>
              <TableHead columns={['Group', 'Covered', 'Partly', 'New', 'Total']} />
              <tbody>
                {result.totals.byGroup.map((g) => (
                  <tr key={g.group}>
                    <th scope="row">
                      {groupLabel(g.group)} {g.title}
                    </th>
                    <td>{g.covered}</td>
                    <td>{g.partly}</td>
                    <td>{g.new}</td>
                    <td>{g.total}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h3>What the levels mean</h3>
          <dl class="facts">
            {COVERAGE_LEVELS.map((level) => (
              <Fragment key={level}>
                <dt>
                  <span class={`swatch swatch-${level}`} aria-hidden="true" />{' '}
                  {COVERAGE_LABELS[level]}
                </dt>
                <dd>{meaning[level]}</dd>
              </Fragment>
            ))}
          </dl>

          <h3>Requirement by requirement</h3>
          <div class="table-scroll">
            <table class="requirements">
              <caption class="visually-hidden">
                Every ISO/IEC 42001 requirement with its status
              </caption>
              <TableHead columns={['Requirement', 'Status', 'Carried by', 'Why']} />
              <tbody>
                {result.requirements.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <span class="req-id">{r.id}</span> {r.title}
                      {r.aiSpecific ? <span class="tag">AI-specific</span> : null}
                    </th>
                    <td>
                      <span class={`status status-${r.status}`}>{COVERAGE_LABELS[r.status]}</span>
                    </td>
                    <td>
                      {r.soc2Criteria.length > 0 ? (
                        <span class="carrier">SOC 2: {r.soc2Criteria.join(', ')}</span>
                      ) : null}
                      {r.iso27001.length > 0 ? (
                        <span class="carrier">ISO/IEC 27001: {r.iso27001.join(', ')}</span>
                      ) : null}
                      {r.soc2Criteria.length + r.iso27001.length === 0 ? (
                        <span class="muted">Nothing yet</span>
                      ) : null}
                    </td>
                    <td>
                      {r.rationale}
                      {r.otherView ? (
                        <p class="muted">
                          With {r.otherView.holder} instead:{' '}
                          {COVERAGE_LABELS[r.otherView.level].toLowerCase()}. {r.otherView.why}
                        </p>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="no-print">
            Next: <a href="/estimate?framework=iso42001">estimate the cost of ISO/IEC 42001</a> or
            read <a href="/compare/soc2-vs-iso42001">SOC 2 vs ISO/IEC 42001</a>.
          </p>
        </section>
      ) : null}
    </>
  );
}
