import { auditLabel } from '../../../../domain/matching/labels';
import type { FrameworkId } from '../../../../domain/vocabulary';
import type { SessionUser } from '../../../../services/auth';
import { QUOTE_PHASE_LABELS, type QuotePhase } from '../../../../services/firm/schemas';
import type { FormFields } from '../../../forms/fields';
import { feeField } from '../../../routes/firm/forms';
import { TextField, value } from '../../components/scope-fields';
import { describedBy, FieldError, WorkspaceShell } from './shell';

export function QuotePage({
  user,
  firmName,
  briefId,
  summary,
  sheet,
  replacing,
  fields,
  errors,
  csrf,
}: {
  user: SessionUser;
  firmName: string;
  briefId: string;
  summary: string;
  sheet: { framework: FrameworkId; variant?: string; phases: readonly QuotePhase[] }[];
  replacing: boolean;
  fields: FormFields;
  errors: Record<string, string>;
  csrf: string;
}) {
  return (
    <WorkspaceShell
      user={user}
      firmName={firmName}
      section="leads"
      title={replacing ? 'Replace your quote' : 'Write a quote'}
      lead="Itemise your fees against the buyer's scope sheet, so the buyer can compare the firms' quotes line by line."
      csrf={csrf}
      errors={errors}
    >
      <p>
        <a href={`/firm/leads/${briefId}`}>Back to the lead</a>
      </p>
      <h2>The buyer's scope</h2>
      <pre class="scope">{summary}</pre>
      {replacing ? <p class="notice">Sending this form replaces the quote you sent before.</p> : null}
      <form method="post" action={`/firm/leads/${briefId}/quote`} novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <h2 id="f-fees">Fees</h2>
        <p class="hint">In whole US dollars. Leave a phase blank if you do not offer it or it is not part of this engagement.</p>
        <FieldError name="fees" errors={errors} />
        {sheet.map(({ framework, variant, phases }) => (
          <fieldset key={framework}>
            <legend>{auditLabel(framework, variant)}</legend>
            {phases.map((phase) => {
              const name = feeField(framework, phase);
              return (
                <div class="field" key={phase}>
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
              );
            })}
          </fieldset>
        ))}
        <h2>Timing and terms</h2>
        <TextField name="startDate" label="Start date" type="date" fields={fields} errors={errors} />
        <TextField name="reportDate" label="Report or certificate date" type="date" fields={fields} errors={errors} />
        <TextField name="validUntil" label="Quote valid until" type="date" fields={fields} errors={errors} />
        <div class="field">
          <label for="f-assumptions">Assumptions</label>
          <textarea id="f-assumptions" name="assumptions" rows={5} cols={70} maxLength={2000} aria-describedby={describedBy('assumptions', errors, true)}>
            {value(fields, 'assumptions') ?? ''}
          </textarea>
          <p class="hint" id="f-assumptions-hint">
            What the fees assume: number of systems and locations, remote or on-site work, travel, observation window.
          </p>
          <FieldError name="assumptions" errors={errors} />
        </div>
        <button class="button" type="submit">
          {replacing ? 'Replace the quote' : 'Send the quote'}
        </button>
      </form>
    </WorkspaceShell>
  );
}
