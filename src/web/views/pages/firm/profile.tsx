import type { DirectoryEntry } from '../../../../domain/directory';
import type { Firm } from '../../../../domain/firm';
import { VARIANT_LABELS } from '../../../../domain/matching/labels';
import {
  COMPANY_STAGES,
  FRAMEWORK_SHORT_NAMES,
  type FrameworkId,
  INDUSTRIES,
  INDUSTRY_LABELS,
  REGION_LABELS,
  REGIONS,
  SIZE_BAND_LABELS,
  SIZE_BANDS,
  STAGE_LABELS,
} from '../../../../domain/vocabulary';
import type { SessionUser } from '../../../../services/auth';
import { FRAMEWORK_VARIANTS } from '../../../../domain/frameworks';
import { FRAMEWORKS_BY_FIRM_TYPE } from '../../../../services/firm-import/record';
import type { FormFields } from '../../../forms/fields';
import { PROFILE_FIELD } from '../../../forms/field-names';
import { TextField, value, values } from '../../components/scope-fields';
import { FirmProfilePage } from '../firms';
import { describedBy, FieldError, WorkspaceShell } from './shell';
import { TableHead } from '../../components/table-head';
import { type WebsiteReview, WebsiteReviewStatus, websiteHint } from './website-review';

function Checkboxes({
  name,
  legend,
  options,
  fields,
  errors,
}: {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  fields: FormFields;
  errors: Record<string, string>;
}) {
  const chosen = new Set(values(fields, name));
  return (
    <fieldset id={`f-${name}`} aria-describedby={describedBy(name, errors)}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <p class="check" key={o.value}>
          <input
            type="checkbox"
            id={`f-${name}-${o.value}`}
            name={name}
            value={o.value}
            checked={chosen.has(o.value)}
          />{' '}
          <label for={`f-${name}-${o.value}`}>{o.label}</label>
        </p>
      ))}
      <FieldError name={name} errors={errors} />
    </fieldset>
  );
}

function NumberInput({
  name,
  label,
  fields,
  errors,
  hidden,
}: {
  name: string;
  label: string;
  fields: FormFields;
  errors: Record<string, string>;
  hidden?: boolean;
}) {
  return (
    <>
      <label for={`f-${name}`} class={hidden ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <input
        id={`f-${name}`}
        name={name}
        type="text"
        inputMode="numeric"
        size={9}
        value={value(fields, name) ?? ''}
        aria-invalid={errors[name] ? 'true' : undefined}
        aria-describedby={describedBy(name, errors)}
      />
      <FieldError name={name} errors={errors} />
    </>
  );
}

function ServiceFieldset({
  framework,
  fields,
  errors,
}: {
  framework: FrameworkId;
  fields: FormFields;
  errors: Record<string, string>;
}) {
  const name = FRAMEWORK_SHORT_NAMES[framework];
  const offered = values(fields, 'offer').includes(framework);
  const variants = FRAMEWORK_VARIANTS[framework];
  const chosenVariants = new Set(values(fields, PROFILE_FIELD.variants(framework)));
  const f = PROFILE_FIELD;
  return (
    <fieldset>
      <legend>{name}</legend>
      <p class="check">
        <input
          type="checkbox"
          id={`f-offer-${framework}`}
          name="offer"
          value={framework}
          checked={offered}
        />{' '}
        <label for={`f-offer-${framework}`}>We offer {name}</label>
      </p>
      {variants.length > 0 ? (
        <fieldset
          id={`f-${f.variants(framework)}`}
          aria-describedby={describedBy(f.variants(framework), errors)}
        >
          <legend>{name} variants you perform</legend>
          {variants.map((v) => (
            <p class="check" key={v}>
              <input
                type="checkbox"
                id={`f-${f.variants(framework)}-${v}`}
                name={f.variants(framework)}
                value={v}
                checked={chosenVariants.has(v)}
              />{' '}
              <label for={`f-${f.variants(framework)}-${v}`}>{VARIANT_LABELS[v] ?? v}</label>
            </p>
          ))}
          <FieldError name={f.variants(framework)} errors={errors} />
        </fieldset>
      ) : null}
      <div class="table-scroll">
        <table>
          <caption>
            {name}: first-year fees by company size, in whole US dollars (leave a row blank if you
            do not publish it)
          </caption>
          <TableHead columns={['Company size', 'From', 'To']} />
          <tbody>
            {SIZE_BANDS.map((band) => (
              <tr key={band}>
                <th scope="row">{SIZE_BAND_LABELS[band]}</th>
                <td>
                  <NumberInput
                    name={f.min(framework, band)}
                    label={`${name} fee from, ${SIZE_BAND_LABELS[band]}`}
                    fields={fields}
                    errors={errors}
                    hidden
                  />
                </td>
                <td>
                  <NumberInput
                    name={f.max(framework, band)}
                    label={`${name} fee to, ${SIZE_BAND_LABELS[band]}`}
                    fields={fields}
                    errors={errors}
                    hidden
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="field">
        <NumberInput
          name={f.lead(framework)}
          label={`${name}: weeks from signing to the start of fieldwork`}
          fields={fields}
          errors={errors}
        />
      </div>
      <div class="field">
        <NumberInput
          name={f.capacity(framework)}
          label={`${name}: new engagements you take per month`}
          fields={fields}
          errors={errors}
        />
      </div>
      <p class="check">
        <input
          type="checkbox"
          id={`f-${f.paused(framework)}`}
          name={f.paused(framework)}
          value="yes"
          checked={value(fields, f.paused(framework)) === 'yes'}
        />{' '}
        <label for={`f-${f.paused(framework)}`}>Pause {name}: take no new briefs for now</label>
      </p>
      <FieldError name={f.paused(framework)} errors={errors} />
      <TextField
        name={f.until(framework)}
        label={`${name}: paused until (optional)`}
        type="date"
        fields={fields}
        errors={errors}
        hint="Briefs resume after this date. Leave blank for an open-ended pause."
      />
    </fieldset>
  );
}

export function ProfileEditPage({
  user,
  firm,
  fields,
  errors,
  csrf,
  notice,
  website,
}: {
  user: SessionUser;
  firm: Pick<Firm, 'name' | 'firmType' | 'slug' | 'status'>;
  fields: FormFields;
  errors: Record<string, string>;
  csrf: string;
  notice: string | null;
  website: WebsiteReview;
}) {
  return (
    <WorkspaceShell
      user={user}
      firmName={firm.name}
      section="profile"
      title="Your profile"
      lead="What buyers read about you, and what matching uses: the services you offer, whom you serve, your lead time and your capacity."
      csrf={csrf}
      notice={notice}
      errors={errors}
    >
      <p>
        <a href="/firm/profile/preview">Preview your public profile</a>
      </p>
      <WebsiteReviewStatus website={website} />
      <form method="post" action="/firm/profile" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <h2>About the firm</h2>
        <div class="field">
          <label for="f-description">Description</label>
          <textarea
            id="f-description"
            name="description"
            rows={5}
            cols={70}
            maxLength={1000}
            aria-describedby={describedBy('description', errors)}
          >
            {value(fields, 'description') ?? ''}
          </textarea>
          <FieldError name="description" errors={errors} />
        </div>
        <TextField
          name="website"
          label="Website"
          type="url"
          fields={fields}
          errors={errors}
          hint={websiteHint(firm.status, website)}
        />
        <TextField
          name="headquarters"
          label="Country of the head office"
          fields={fields}
          errors={errors}
          hint="Two-letter code, e.g. US, GB or DE."
        />
        <TextField
          name="bookingUrl"
          label="Booking link for the intro call"
          type="url"
          fields={fields}
          errors={errors}
          hint="Kept with your profile only: buyers book their one call with you in the times you publish under Call times."
        />
        <TextField
          name="leadEmail"
          label="Lead email"
          type="email"
          fields={fields}
          errors={errors}
          hint="Where briefs and introductions are emailed."
        />

        <h2>Whom you serve</h2>
        <Checkboxes
          name="regions"
          legend="Regions you audit in"
          options={REGIONS.map((r) => ({ value: r, label: REGION_LABELS[r] }))}
          fields={fields}
          errors={errors}
        />
        <TextField
          name="languages"
          label="Languages you audit in"
          fields={fields}
          errors={errors}
          hint="Two-letter codes separated by commas, e.g. en, de."
        />
        <Checkboxes
          name="industries"
          legend="Industries you know well"
          options={INDUSTRIES.map((i) => ({ value: i, label: INDUSTRY_LABELS[i] }))}
          fields={fields}
          errors={errors}
        />
        <Checkboxes
          name="stages"
          legend="Company stages you work with"
          options={COMPANY_STAGES.map((s) => ({ value: s, label: STAGE_LABELS[s] }))}
          fields={fields}
          errors={errors}
        />
        <p class="check">
          <input
            type="checkbox"
            id="f-aiSpecialism"
            name="aiSpecialism"
            value="yes"
            checked={value(fields, 'aiSpecialism') === 'yes'}
          />{' '}
          <label for="f-aiSpecialism">
            We specialise in AI companies and AI management systems
          </label>
        </p>

        <h2 id="f-offer">Services</h2>
        <FieldError name="offer" errors={errors} />
        {FRAMEWORKS_BY_FIRM_TYPE[firm.firmType].map((fw) => (
          <ServiceFieldset key={fw} framework={fw} fields={fields} errors={errors} />
        ))}
        <button class="button" type="submit">
          Save the profile
        </button>
      </form>
    </WorkspaceShell>
  );
}

export function ProfilePreviewPage({
  firm,
  entry,
  today,
}: {
  firm: Firm;
  entry: DirectoryEntry;
  today: string;
}) {
  return (
    <>
      <div class="card notice" role="status">
        <p>
          <strong>Preview.</strong> This is your profile as buyers see it
          {firm.status === 'active' ? '' : ` once your firm is active (it is ${firm.status} now)`}.{' '}
          <a href="/firm/profile">Back to the editor</a>
        </p>
      </div>
      <FirmProfilePage firm={firm} entry={entry} today={today} />
    </>
  );
}
