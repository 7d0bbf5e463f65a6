import type { FieldErrors } from '../../../forms/parse';
import { type Advice, type AdvisorRule, PRIORITY_LABELS } from '../../../../domain/advisor';
import { framework, isFrameworkId } from '../../../../domain/frameworks';
import { sourceDate } from '../../../../domain/market';
import { ChoiceGroup, FormActions, GuideToolPage, YesBox } from './fields';

export interface AdvisorFormValues {
  aiExposure?: string;
  stage?: string;
  askedFor: string[];
  customers: string[];
  markets: string[];
  healthData: boolean;
  cardData: boolean;
  personalDataAtScale: boolean;
  holds: string[];
}

export interface AdvisorResult {
  advice: Advice;
  fired: readonly AdvisorRule[];
  previewHref: string;
}

export interface AdvisorLabels {
  stages: Record<string, string>;
  ai: Record<string, string>;
  askedFor: Record<string, string>;
  customers: Record<string, string>;
  markets: Record<string, string>;
  holds: Record<string, string>;
}

/** "Read the guide: SOC 2 vs ISO/IEC 42001" for a comparison, the full name for a framework. */
function guideLabel(href: string): string {
  const compare = /^\/compare\/(.+)-vs-(.+)$/.exec(href);
  if (compare) {
    const [, a = '', b = ''] = compare;
    if (isFrameworkId(a) && isFrameworkId(b)) return `${framework(a).name} vs ${framework(b).name}`;
  }
  const page = /^\/frameworks\/(.+)$/.exec(href)?.[1] ?? '';
  return isFrameworkId(page) ? framework(page).fullName : 'the guide';
}

const options = (labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));

/** A question answered by ticking: its control name, the labels it offers and its wording. */
interface Question {
  type: 'checkbox' | 'radio';
  name: 'aiExposure' | 'stage' | 'askedFor' | 'customers' | 'markets' | 'holds';
  labels: keyof AdvisorLabels;
  legend: string;
  hint?: string;
}

/** The questions before the one about data, in the order the form asks them. */
const ABOUT_THE_COMPANY: readonly Question[] = [
  { type: 'radio', name: 'aiExposure', labels: 'ai', legend: 'How does your company use AI?' },
  {
    type: 'radio',
    name: 'stage',
    labels: 'stages',
    legend: 'Where is your company commercially? (optional)',
  },
  {
    type: 'checkbox',
    name: 'askedFor',
    labels: 'askedFor',
    legend: 'Are customers already asking for any of these? (optional)',
  },
  {
    type: 'checkbox',
    name: 'customers',
    labels: 'customers',
    legend: 'Who are your customers?',
    hint: 'Leave all unticked if you sell only to consumers.',
  },
  {
    type: 'checkbox',
    name: 'markets',
    labels: 'markets',
    legend: 'Where do you sell?',
    hint: "The EU AI Act can apply if you place AI on the EU market, use AI while established in the EU, or your AI's output is used there.",
  },
];

const HOLDS: Question = {
  type: 'checkbox',
  name: 'holds',
  labels: 'holds',
  legend: 'What do you already hold?',
};

const DATA_KINDS: readonly {
  name: 'healthData' | 'cardData' | 'personalDataAtScale';
  label: string;
}[] = [
  { name: 'healthData', label: 'US protected health information (PHI)' },
  { name: 'cardData', label: 'Payment card data (stored, processed or transmitted)' },
  { name: 'personalDataAtScale', label: 'Personal data at scale' },
];

function Questions({
  questions,
  values,
  errors,
  labels,
}: {
  questions: readonly Question[];
  values: AdvisorFormValues;
  errors: FieldErrors;
  labels: AdvisorLabels;
}) {
  return (
    <>
      {questions.map((q) => {
        const value = values[q.name];
        return (
          <ChoiceGroup
            key={q.name}
            type={q.type}
            name={q.name}
            legend={q.legend}
            hint={q.hint}
            options={options(labels[q.labels])}
            selected={typeof value === 'string' ? [value] : (value ?? [])}
            error={errors[q.name]}
          />
        );
      })}
    </>
  );
}

function Results({ result }: { result: AdvisorResult }) {
  const { advice, fired } = result;
  return (
    <section aria-labelledby="result-title" class="result">
      <h2 id="result-title">What to pursue, in order</h2>
      {advice.recommendations.length === 0 ? (
        <p>Nothing to start right now, going by your answers.</p>
      ) : (
        <ol class="recommendations">
          {advice.recommendations.map((r) => {
            const f = framework(r.framework);
            return (
              <li class="card" key={r.framework}>
                <h3>
                  {r.order}. <a href={`/frameworks/${r.framework}`}>{f.name}</a>{' '}
                  <span class={`tag priority-${r.priority}`}>{PRIORITY_LABELS[r.priority]}</span>
                </h3>
                <p>{r.reason}</p>
                <p class="muted">
                  Read the guide: <a href={r.guide}>{guideLabel(r.guide)}</a>
                </p>
              </li>
            );
          })}
        </ol>
      )}
      {advice.alreadyHeld.length > 0 ? (
        <>
          <h3>Already held</h3>
          <ul>
            {advice.alreadyHeld.map((h) => (
              <li key={h.framework}>
                <a href={h.guide}>{framework(h.framework).name}</a>: {h.note}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {advice.notes.length > 0 ? (
        <div class="notes">
          {advice.notes.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      ) : null}
      {advice.recommendations.length > 0 ? (
        <p>
          <a class="button" href={result.previewHref}>
            Preview matching firms
          </a>{' '}
          <span class="muted">Your answers are carried over; nothing is sent until you ask.</span>
        </p>
      ) : null}
      <h3>Rules that shaped this answer</h3>
      <ul>
        {fired.map((r) => (
          <li key={r.id}>
            <strong>{r.title}.</strong> {r.description}{' '}
            <span class="muted">
              Source:{' '}
              {r.sources.map((s, i) => (
                <span key={s.url}>
                  {i > 0 ? '; ' : ''}
                  <a href={s.url}>{s.name}</a> ({sourceDate(s)})
                </span>
              ))}
            </span>
          </li>
        ))}
      </ul>
      <p class="muted">
        The order follows the <a href="/compare/soc2-vs-iso42001">SOC 2 vs ISO/IEC 42001 guide</a>:
        general trust first, AI governance once AI is core or buyers ask about it.
      </p>
    </section>
  );
}

const PAGE = {
  title: 'Which compliance framework do you need?',
  lead: 'Answer a few questions about your product, customers and data. You get the frameworks to pursue, in order, each with its reason and the guide that explains it.',
  action: '/advisor',
};

export function AdvisorPage({
  values,
  errors,
  result,
  labels,
}: {
  values: AdvisorFormValues;
  errors: FieldErrors;
  result?: AdvisorResult;
  labels: AdvisorLabels;
}) {
  const answers = { values, errors, labels };
  return (
    <GuideToolPage
      {...PAGE}
      errors={errors}
      result={result ? <Results result={result} /> : null}
      formTitle={result ? 'Change your answers' : 'Your answers'}
    >
      <input type="hidden" name="asked" value="1" />
      <Questions questions={ABOUT_THE_COMPANY} {...answers} />
      <fieldset class="choices">
        <legend>What data do you handle?</legend>
        {DATA_KINDS.map((d) => (
          <YesBox
            key={d.name}
            name={d.name}
            label={d.label}
            checked={values[d.name]}
            error={errors[d.name]}
          />
        ))}
      </fieldset>
      <Questions questions={[HOLDS]} {...answers} />
      <FormActions>
        <button class="button" type="submit">
          Show my frameworks
        </button>
      </FormActions>
    </GuideToolPage>
  );
}
