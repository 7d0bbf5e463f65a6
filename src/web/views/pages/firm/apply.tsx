import { FIRM_TYPE_LABELS, FIRM_TYPES } from '../../../../domain/vocabulary';
import type { FormFields } from '../../../forms/fields';
import {
  CheckGroup,
  Choice,
  FieldGroup,
  type FieldSpec,
  value,
} from '../../components/form-fields';
import { ErrorSummary, toOptions } from '../../components/forms';
import { PostForm, Submit } from '../../components/post-form';
import { FIRM_CONTACT_FIELDS } from './profile-fields';

const KINDS = [
  { value: 'claim', label: 'already listed on Auditmatch: I claim its profile' },
  { value: 'new', label: 'not listed yet: I apply for a new profile' },
];

const NEW_FIRM_FIELDS: FieldSpec[] = [
  { name: 'firmName', label: 'Firm name', autocomplete: 'organization' },
  {
    name: 'firmType',
    label: 'Kind of firm',
    options: toOptions(FIRM_TYPES, FIRM_TYPE_LABELS),
    emptyLabel: 'Choose one',
  },
  {
    ...FIRM_CONTACT_FIELDS.website,
    hint: 'A full https:// address; your email must be at its domain.',
  },
  FIRM_CONTACT_FIELDS.headquarters,
];

const APPLICANT_FIELDS: FieldSpec[] = [
  { name: 'name', label: 'Your name', autocomplete: 'name' },
  { name: 'email', label: 'Work email', type: 'email', autocomplete: 'email' },
  {
    name: 'note',
    label: 'Anything the Auditmatch team should know (optional)',
    rows: 3,
    maxLength: 1000,
  },
];

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
  const form = { fields, errors };
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
      <PostForm action="/firm/apply" csrf={csrf} novalidate>
        <CheckGroup
          type="radio"
          name="kind"
          legend="Your firm is…"
          options={KINDS}
          chosen={[value(fields, 'kind') ?? 'claim']}
          errors={errors}
        />

        <fieldset>
          <legend>A listed firm</legend>
          <Choice
            form={form}
            name="firm"
            label="Your firm"
            options={firms.map((f) => ({ value: f.slug, label: f.name }))}
            emptyLabel="Choose your firm"
            hint="Only when you claim a listed profile."
          />
        </fieldset>

        <FieldGroup legend="A new firm" form={form} specs={NEW_FIRM_FIELDS} />

        <FieldGroup legend="You" form={form} specs={APPLICANT_FIELDS} />
        <Submit>Send my application</Submit>
      </PostForm>
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
