import type { ComponentProps } from 'preact';
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
import { FRAMEWORK_VARIANTS } from '../../../../domain/frameworks';
import { FRAMEWORKS_BY_FIRM_TYPE } from '../../../../services/firm-import/record';
import { many } from '../../../forms/fields';
import { PROFILE_FIELD } from '../../../forms/field-names';
import {
  Check,
  CheckGroup,
  type FieldSpec,
  Fields,
  type FormState,
  LabelledInput,
  TextField,
  value,
} from '../../components/form-fields';
import { ErrorText, type Option, toOptions } from '../../components/forms';
import { Notice } from '../../components/notices';
import { PostForm, Submit } from '../../components/post-form';
import { TableHead } from '../../components/table-head';
import { FirmProfilePage } from '../firms';
import { FIRM_CONTACT_FIELDS } from './profile-fields';
import { WorkspaceShell, type WorkspacePageProps } from './shell';
import { type WebsiteReview, WebsiteReviewStatus, websiteHint } from './website-review';

function ServiceFieldset({ framework, form }: { framework: FrameworkId; form: FormState }) {
  const name = FRAMEWORK_SHORT_NAMES[framework];
  const f = PROFILE_FIELD;
  const amount = (field: string, label: string) => (
    <LabelledInput form={form} name={field} label={label} numeric size={9} labelHidden />
  );
  return (
    <fieldset>
      <legend>{name}</legend>
      <Check
        id={`f-offer-${framework}`}
        name="offer"
        value={framework}
        checked={many(form.fields, 'offer').includes(framework)}
      >
        We offer {name}
      </Check>
      {FRAMEWORK_VARIANTS[framework].length > 0 ? (
        <CheckGroup
          name={f.variants(framework)}
          legend={`${name} variants you perform`}
          options={FRAMEWORK_VARIANTS[framework].map((v) => ({
            value: v,
            label: VARIANT_LABELS[v] ?? v,
          }))}
          chosen={many(form.fields, f.variants(framework))}
          errors={form.errors}
        />
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
                  {amount(f.min(framework, band), `${name} fee from, ${SIZE_BAND_LABELS[band]}`)}
                </td>
                <td>
                  {amount(f.max(framework, band), `${name} fee to, ${SIZE_BAND_LABELS[band]}`)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Fields
        form={form}
        specs={[
          {
            name: f.lead(framework),
            label: `${name}: weeks from signing to the start of fieldwork`,
            numeric: true,
            size: 9,
          },
          {
            name: f.capacity(framework),
            label: `${name}: new engagements you take per month`,
            numeric: true,
            size: 9,
          },
        ]}
      />
      <Check
        id={`f-${f.paused(framework)}`}
        name={f.paused(framework)}
        checked={value(form.fields, f.paused(framework)) === 'yes'}
      >
        Pause {name}: take no new briefs for now
      </Check>
      <ErrorText id={`f-${f.paused(framework)}`} text={form.errors[f.paused(framework)]} />
      <TextField
        form={form}
        name={f.until(framework)}
        label={`${name}: paused until (optional)`}
        type="date"
        hint="Briefs resume after this date. Leave blank for an open-ended pause."
      />
    </fieldset>
  );
}

/** The website's hint says whether a change awaits the operator's review (ADR 0017). */
const aboutFields = (websiteHintText: string): FieldSpec[] => [
  { name: 'description', label: 'Description', rows: 5, cols: 70, maxLength: 1000 },
  { ...FIRM_CONTACT_FIELDS.website, hint: websiteHintText },
  FIRM_CONTACT_FIELDS.headquarters,
  {
    name: 'bookingUrl',
    label: 'Booking link for the intro call',
    type: 'url',
    hint: 'Kept with your profile only: buyers book their one call with you in the times you publish under Call times.',
  },
  {
    name: 'leadEmail',
    label: 'Lead email',
    type: 'email',
    hint: 'Where briefs and introductions are emailed.',
  },
];

export function ProfileEditPage({
  firm,
  fields,
  errors,
  website,
  ...page
}: Omit<WorkspacePageProps, 'firmName'> &
  FormState & {
    firm: Pick<Firm, 'name' | 'firmType' | 'slug' | 'status'>;
    website: WebsiteReview;
  }) {
  const form = { fields, errors };
  const group = (name: string, legend: string, options: Option[]) => (
    <CheckGroup
      name={name}
      legend={legend}
      options={options}
      chosen={many(fields, name)}
      errors={errors}
    />
  );
  return (
    <WorkspaceShell
      {...page}
      firmName={firm.name}
      errors={errors}
      section="profile"
      title="Your profile"
      lead="What buyers read about you, and what matching uses: the services you offer, whom you serve, your lead time and your capacity."
    >
      <p>
        <a href="/firm/profile/preview">Preview your public profile</a>
      </p>
      <WebsiteReviewStatus website={website} />
      <PostForm action="/firm/profile" csrf={page.csrf} novalidate>
        <h2>About the firm</h2>
        <Fields form={form} specs={aboutFields(websiteHint(firm.status, website))} />

        <h2>Whom you serve</h2>
        {group('regions', 'Regions you audit in', toOptions(REGIONS, REGION_LABELS))}
        <TextField
          form={form}
          name="languages"
          label="Languages you audit in"
          hint="Two-letter codes separated by commas, e.g. en, de."
        />
        {group('industries', 'Industries you know well', toOptions(INDUSTRIES, INDUSTRY_LABELS))}
        {group('stages', 'Company stages you work with', toOptions(COMPANY_STAGES, STAGE_LABELS))}
        <Check
          id="f-aiSpecialism"
          name="aiSpecialism"
          checked={value(fields, 'aiSpecialism') === 'yes'}
        >
          We specialise in AI companies and AI management systems
        </Check>

        <h2 id="f-offer">Services</h2>
        <ErrorText id="f-offer" text={errors.offer} />
        {FRAMEWORKS_BY_FIRM_TYPE[firm.firmType].map((fw) => (
          <ServiceFieldset key={fw} framework={fw} form={form} />
        ))}
        <Submit>Save the profile</Submit>
      </PostForm>
    </WorkspaceShell>
  );
}

/** The public profile as buyers see it, under a note that it is a preview. */
export function ProfilePreviewPage(profile: ComponentProps<typeof FirmProfilePage>) {
  const { firm } = profile;
  return (
    <>
      <Notice>
        <p>
          <strong>Preview.</strong> This is your profile as buyers see it
          {firm.status === 'active' ? '' : ` once your firm is active (it is ${firm.status} now)`}.{' '}
          <a href="/firm/profile">Back to the editor</a>
        </p>
      </Notice>
      <FirmProfilePage {...profile} />
    </>
  );
}
