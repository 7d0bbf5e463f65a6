import { auditLabel } from '../../../../domain/matching/labels';
import type { FrameworkId } from '../../../../domain/vocabulary';
import type { SessionUser } from '../../../../services/auth';
import { QUOTE_PHASE_LABELS, type QuotePhase } from '../../../../services/firm/schemas';
import type { FormFields } from '../../../forms/fields';
import { feeField, feeToField } from '../../../forms/field-names';
import { TextField, value } from '../../components/scope-fields';
import { describedBy, FieldError, WorkspaceShell } from './shell';

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
  fields: FormFields;
  errors: Record<string, string>;
  csrf: string;
}) {
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
      <form method="post" action={`${base}/quote`} novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <h2 id="f-fees">Fees</h2>
        <p class="hint">
          In whole US dollars. A fixed fee, or — when the call could change it — a range: the lowest
          fee, then "up to" the highest. Leave a phase blank if you do not offer it; the buyer sees
          "not quoted" there.
        </p>
        <FieldError name="fees" errors={errors} />
        {sheet.map(({ framework, variant, phases }) => (
          <fieldset key={framework}>
            <legend>{auditLabel(framework, variant)}</legend>
            {phases.map((phase) => {
              const name = feeField(framework, phase);
              const upTo = feeToField(framework, phase);
              return (
                <div class="field-row" key={phase}>
                  <div class="field">
                    <label for={`f-${name}`}>{QUOTE_PHASE_LABELS[phase]}</label>
                    <input
                      id={`f-${name}`}
                      name={name}
                      type="text"
                      inputMode="numeric"
                      size={10}
                      value={value(fields, name) ?? ''}
                      aria-invalid={errors[name] ? 'true' : undefined}
                      aria-describedby={describedBy(name, errors)}
                    />
                    <FieldError name={name} errors={errors} />
                  </div>
                  <div class="field">
                    <label for={`f-${upTo}`}>up to (for a range)</label>
                    <input
                      id={`f-${upTo}`}
                      name={upTo}
                      type="text"
                      inputMode="numeric"
                      size={10}
                      value={value(fields, upTo) ?? ''}
                      aria-invalid={errors[upTo] ? 'true' : undefined}
                      aria-describedby={describedBy(upTo, errors)}
                    />
                    <FieldError name={upTo} errors={errors} />
                  </div>
                </div>
              );
            })}
          </fieldset>
        ))}
        <h2>Timing and terms</h2>
        <TextField
          name="startDate"
          label="Start date"
          type="date"
          fields={fields}
          errors={errors}
        />
        <TextField
          name="reportDate"
          label="Report or certificate date"
          type="date"
          fields={fields}
          errors={errors}
        />
        <TextField
          name="validUntil"
          label="Quote valid until"
          type="date"
          fields={fields}
          errors={errors}
        />
        <div class="field">
          <label for="f-assumptions">Assumptions</label>
          <textarea
            id="f-assumptions"
            name="assumptions"
            rows={5}
            cols={70}
            maxLength={2000}
            aria-describedby={describedBy('assumptions', errors, true)}
          >
            {value(fields, 'assumptions') ?? ''}
          </textarea>
          <p class="hint" id="f-assumptions-hint">
            What the fees assume: number of systems and locations, remote or on-site work, travel,
            observation window.
          </p>
          <FieldError name="assumptions" errors={errors} />
        </div>
        <div class="field">
          <label for="f-callCouldChange">What the short call could change</label>
          <textarea
            id="f-callCouldChange"
            name="callCouldChange"
            rows={3}
            cols={70}
            maxLength={1000}
            aria-describedby={describedBy('callCouldChange', errors, true)}
          >
            {value(fields, 'callCouldChange') ?? ''}
          </textarea>
          <p class="hint" id="f-callCouldChange-hint">
            For example: the number of systems in scope, whether a readiness assessment is needed,
            the observation window.
          </p>
          <FieldError name="callCouldChange" errors={errors} />
        </div>
        <button class="button" type="submit">
          {replacing ? 'Replace the quote' : 'Send the quote'}
        </button>
      </form>
    </>
  );
}

export function QuotePage({
  user,
  firmName,
  briefId,
  ...form
}: { user: SessionUser; firmName: string; briefId: string } & Omit<
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
        <p class="field-error" role="alert">
          Please correct the fields marked below.
        </p>
      ) : null}
      <QuoteForm base={`/b/${token}`} {...form} />
    </section>
  );
}
