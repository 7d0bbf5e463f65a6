import { ACCREDITATION_BODIES, OTHER_ACCREDITATION_BODY } from '../../../../domain/accreditation';
import { CREDENTIAL_KIND_LABELS, type FirmType } from '../../../../domain/vocabulary';
import type { FirmCredential } from '../../../../services/firm/credentials';
import { CREDENTIALS_BY_FIRM_TYPE } from '../../../../services/firm-import/record';
import { CredentialTable, type CredentialStateWords } from '../../components/credential-table';
import {
  Choice,
  type FieldSpec,
  Fields,
  type FormState,
  TextField,
} from '../../components/form-fields';
import { describedByIds, ErrorText, toOptions } from '../../components/forms';
import { PostForm, Submit } from '../../components/post-form';
import { WorkspaceShell, type WorkspacePageProps } from './shell';

const STATE: CredentialStateWords = {
  verified: 'Verified, current',
  pending: 'Awaiting verification by Auditmatch',
  expired: 'Expired: no longer counts for matching',
  revoked: 'Revoked: no longer counts for matching',
  rejected: 'Not verified',
  'not-yet-valid': 'Verified, not yet valid',
};

/** The fields of a new credential after its kind, in the order the form asks them. */
const CREDENTIAL_FIELDS: FieldSpec[] = [
  {
    name: 'issuer',
    label: 'Issuer',
    hint: 'A state board, AICPA or PCI SSC. For an ISO accreditation, choose the accreditation body below.',
  },
  {
    name: 'accreditationBody',
    label: 'Accreditation body (ISO accreditations)',
    options: [
      ...ACCREDITATION_BODIES.map((b) => ({ value: b.id, label: `${b.id}, ${b.country}` })),
      {
        value: OTHER_ACCREDITATION_BODY,
        label: 'Another body, not an IAF MLA signatory (never qualifies)',
      },
    ],
    emptyLabel: 'Not an accreditation',
  },
  { name: 'identifier', label: 'Licence, review or accreditation number' },
  {
    name: 'scopeStandards',
    label: 'Standards in scope (ISO accreditations and certificates)',
    hint: 'Separated by commas, e.g. "ISO/IEC 42001, ISO/IEC 27001".',
  },
  {
    name: 'schemeStandards',
    label: 'Accreditation scheme standards',
    hint: 'E.g. "ISO/IEC 17021-1, ISO/IEC 42006".',
  },
  { name: 'validFrom', label: 'Valid from', type: 'date' },
  {
    name: 'validTo',
    label: 'Valid to (optional)',
    type: 'date',
    hint: 'Leave blank when it does not expire.',
  },
];

export function CredentialsPage({
  firmType,
  credentials,
  fields,
  errors,
  ...page
}: WorkspacePageProps &
  FormState & {
    firmType: FirmType;
    credentials: FirmCredential[];
  }) {
  const form = { fields, errors };
  return (
    <WorkspaceShell
      {...page}
      errors={errors}
      section="credentials"
      title="Credentials"
      lead="Licences, peer reviews and accreditations. Auditmatch verifies each one with its issuer; only a verified, current credential that qualifies for a framework lets you be matched for it."
    >
      <h2>On file</h2>
      <CredentialTable
        empty="No credentials yet. Add the first one below."
        caption="Your credentials and their verification status"
        words={STATE}
        withEvidence
        rows={credentials.map((c) => ({
          ...c,
          key: c.id,
          evidence: (
            <>
              {c.hasEvidenceFile ? <a href={`/firm/credentials/${c.id}/evidence`}>PDF</a> : null}
              {c.hasEvidenceFile && c.evidenceUrl ? ' · ' : null}
              {c.evidenceUrl ? (
                <a href={c.evidenceUrl} rel="noopener noreferrer">
                  Issuer's page
                </a>
              ) : null}
            </>
          ),
        }))}
      />

      <h2>Add a credential</h2>
      <p>
        New credentials start as awaiting verification. Attach the certificate or letter as a PDF
        (at most 5 MB), or link to the issuer's public register, or both.
      </p>
      <PostForm action="/firm/credentials" csrf={page.csrf} multipart novalidate>
        <Choice
          form={form}
          name="kind"
          label="Kind"
          options={toOptions(CREDENTIALS_BY_FIRM_TYPE[firmType], CREDENTIAL_KIND_LABELS)}
          emptyLabel="Choose one"
        />
        <Fields form={form} specs={CREDENTIAL_FIELDS} />
        <div class="field">
          <label for="f-evidence">Evidence PDF</label>
          <input
            id="f-evidence"
            name="evidence"
            type="file"
            accept="application/pdf,.pdf"
            aria-describedby={describedByIds('f-evidence', false, errors.evidence)}
            aria-invalid={errors.evidence ? 'true' : undefined}
          />
          <ErrorText id="f-evidence" text={errors.evidence} />
        </div>
        <TextField
          form={form}
          name="evidenceUrl"
          label="Or a link to the issuer's register"
          type="url"
          hint="A full https:// address."
        />
        <Submit>Add the credential</Submit>
      </PostForm>
    </WorkspaceShell>
  );
}
