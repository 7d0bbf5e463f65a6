import { FIRM_TYPE_LABELS, FIRM_TYPES } from '../../../../domain/vocabulary';
import type { FormFields } from '../../../forms/fields';
import { ErrorSummary, SelectField, toOptions, ErrorText } from '../../components/forms';
import { TextField, value } from '../../components/scope-fields';

/** Claim a listed firm or apply as a new one; the operator approves before the workspace opens. */
export function ApplyPage({
  firms,
  fields,
  errors,
  csrf,
}: {
  firms: { slug: string; name: string }[];
  fields: FormFields;
  errors: Record<string, string>;
  csrf: string;
}) {
  const kind = value(fields, 'kind') ?? 'claim';
  return (
    <section class="narrow">
      <h1>Manage your firm on Auditmatch</h1>
      <p>
        Audit firms answer briefs, send itemised quotes and keep their profile and credentials
        current in the workspace. Tell us who you are; the Auditmatch team checks every application
        before the workspace opens, and we email you a sign-in link once it is approved. Use your
        work email at your firm's website domain.
      </p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/firm/apply" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <fieldset id="f-kind">
          <legend>Your firm is…</legend>
          <p class="check">
            <input
              type="radio"
              id="f-kind-claim"
              name="kind"
              value="claim"
              checked={kind === 'claim'}
            />{' '}
            <label for="f-kind-claim">already listed on Auditmatch: I claim its profile</label>
          </p>
          <p class="check">
            <input type="radio" id="f-kind-new" name="kind" value="new" checked={kind === 'new'} />{' '}
            <label for="f-kind-new">not listed yet: I apply for a new profile</label>
          </p>
          {errors.kind ? <p class="field-error">{errors.kind}</p> : null}
        </fieldset>

        <fieldset>
          <legend>A listed firm</legend>
          <SelectField
            name="firm"
            label="Your firm"
            options={firms.map((f) => ({ value: f.slug, label: f.name }))}
            value={value(fields, 'firm')}
            emptyLabel="Choose your firm"
            error={errors.firm}
            hint="Only when you claim a listed profile."
          />
        </fieldset>

        <fieldset>
          <legend>A new firm</legend>
          <TextField
            name="firmName"
            label="Firm name"
            fields={fields}
            errors={errors}
            autocomplete="organization"
          />
          <SelectField
            name="firmType"
            label="Kind of firm"
            options={toOptions(FIRM_TYPES, FIRM_TYPE_LABELS)}
            value={value(fields, 'firmType')}
            emptyLabel="Choose one"
            error={errors.firmType}
          />
          <TextField
            name="website"
            label="Website"
            type="url"
            fields={fields}
            errors={errors}
            hint="A full https:// address; your email must be at its domain."
          />
          <TextField
            name="headquarters"
            label="Country of the head office"
            fields={fields}
            errors={errors}
            hint="Two-letter code, e.g. US, GB or DE."
          />
        </fieldset>

        <fieldset>
          <legend>You</legend>
          <TextField
            name="name"
            label="Your name"
            fields={fields}
            errors={errors}
            autocomplete="name"
          />
          <TextField
            name="email"
            label="Work email"
            type="email"
            fields={fields}
            errors={errors}
            autocomplete="email"
          />
          <div class="field">
            <label for="f-note">Anything the Auditmatch team should know (optional)</label>
            <textarea
              id="f-note"
              name="note"
              rows={3}
              cols={60}
              maxLength={1000}
              aria-describedby={errors.note ? 'f-note-error' : undefined}
            >
              {value(fields, 'note') ?? ''}
            </textarea>
            <ErrorText id="f-note" text={errors.note} />
          </div>
        </fieldset>
        <button class="button" type="submit">
          Send my application
        </button>
      </form>
      <p class="muted">
        Already approved? <a href="/sign-in">Sign in</a>.
      </p>
    </section>
  );
}

export function ApplicationSentPage() {
  return (
    <section class="narrow">
      <h1>Application received</h1>
      <p role="status">
        Thank you. The Auditmatch team checks the application against the firm's public records.
        When it is approved, we email a sign-in link to the address you gave.
      </p>
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </section>
  );
}
