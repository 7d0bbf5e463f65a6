import { auditLabel } from '../../../../domain/matching/labels';
import type { FrameworkId } from '../../../../domain/vocabulary';
import { QUOTE_PHASE_LABELS, type QuotePhase } from '../../../../services/firm/schemas';
import { feeField, feeToField } from '../../../forms/field-names';
import { type FieldSpec, Fields, type FormState } from '../../components/form-fields';
import { ErrorText } from '../../components/forms';
import { PageMessage } from '../../components/notices';
import { PostForm, Submit } from '../../components/post-form';
import { WorkspaceShell, type WorkspacePageProps } from './shell';

/** A fee box: whole US dollars, typed on the numeric keyboard. */
const AMOUNT = { numeric: true, size: 10 };

const TERMS_FIELDS: FieldSpec[] = [
  { name: 'startDate', label: 'Start date', type: 'date' },
  { name: 'reportDate', label: 'Report or certificate date', type: 'date' },
  { name: 'validUntil', label: 'Quote valid until', type: 'date' },
  {
    name: 'assumptions',
    label: 'Assumptions',
    rows: 5,
    cols: 70,
    maxLength: 2000,
    hint: 'What the fees assume: number of systems and locations, remote or on-site work, travel, observation window.',
  },
  {
    name: 'callCouldChange',
    label: 'What the short call could change',
    rows: 3,
    cols: 70,
    maxLength: 1000,
    hint: 'For example: the number of systems in scope, whether a readiness assessment is needed, the observation window.',
  },
];

/** The quote form itself, posting to `${base}/quote`: workspace and email link alike. */
export function QuoteForm({
  base,
  summary,
  sheet,
  replacing,
  fields,
  errors,
  csrf,
}: {
  base: string;
  summary: string;
  sheet: { framework: FrameworkId; variant?: string; phases: readonly QuotePhase[] }[];
  replacing: boolean;
  csrf: string;
} & FormState) {
  const form = { fields, errors };
  return (
    <>
      <p>
        <a href={base}>Back to the lead</a>
      </p>
      <h2>The buyer's scope</h2>
      <pre class="scope">{summary}</pre>
      {replacing ? (
        <p class="notice">Sending this form replaces the quote you sent before.</p>
      ) : null}
      <PostForm action={`${base}/quote`} csrf={csrf} novalidate>
        <h2 id="f-fees">Fees</h2>
        <p class="hint">
          In whole US dollars. A fixed fee, or — when the call could change it — a range: the lowest
          fee, then "up to" the highest. Leave a phase blank if you do not offer it; the buyer sees
          "not quoted" there.
        </p>
        <ErrorText id="f-fees" text={errors.fees} />
        {sheet.map(({ framework, variant, phases }) => (
          <fieldset key={framework}>
            <legend>{auditLabel(framework, variant)}</legend>
            {phases.map((phase) => (
              <div class="field-row" key={phase}>
                <Fields
                  form={form}
                  specs={[
                    {
                      ...AMOUNT,
                      name: feeField(framework, phase),
                      label: QUOTE_PHASE_LABELS[phase],
                    },
                    { ...AMOUNT, name: feeToField(framework, phase), label: 'up to (for a range)' },
                  ]}
                />
              </div>
            ))}
          </fieldset>
        ))}
        <h2>Timing and terms</h2>
        <Fields form={form} specs={TERMS_FIELDS} />
        <Submit>{replacing ? 'Replace the quote' : 'Send the quote'}</Submit>
      </PostForm>
    </>
  );
}

export function QuotePage({
  user,
  firmName,
  briefId,
  ...form
}: Omit<WorkspacePageProps, 'notice'> & { briefId: string } & Omit<
    Parameters<typeof QuoteForm>[0],
    'base'
  >) {
  return (
    <WorkspaceShell
      user={user}
      firmName={firmName}
      section="leads"
      title={form.replacing ? 'Replace your quote' : 'Write a quote'}
      lead="Itemise your fees against the buyer's scope sheet, so the buyer can compare the firms' quotes line by line."
      csrf={form.csrf}
      errors={form.errors}
    >
      <QuoteForm base={`/firm/leads/${briefId}`} {...form} />
    </WorkspaceShell>
  );
}

/** The same form from the firm's email link, without an account. */
export function LinkQuotePage({
  token,
  firmName,
  ...form
}: { token: string; firmName: string } & Omit<Parameters<typeof QuoteForm>[0], 'base'>) {
  return (
    <section class="narrow">
      <h1>{form.replacing ? 'Replace your quote' : 'Write a quote'}</h1>
      <p class="muted">For {firmName}, from your email link.</p>
      {Object.keys(form.errors).length > 0 ? (
        <PageMessage text="Please correct the fields marked below." refusal />
      ) : null}
      <QuoteForm base={`/b/${token}`} {...form} />
    </section>
  );
}
