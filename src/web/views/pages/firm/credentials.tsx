import { ACCREDITATION_BODIES, OTHER_ACCREDITATION_BODY } from '../../../../domain/accreditation';
import { CREDENTIAL_KIND_LABELS, type FirmType } from '../../../../domain/vocabulary';
import type { SessionUser } from '../../../../services/auth';
import type { FirmCredential } from '../../../../services/firm/credentials';
import { CREDENTIALS_BY_FIRM_TYPE } from '../../../../services/firm-import/record';
import type { FormFields } from '../../../forms/fields';
import { CredentialTable, type CredentialStateWords } from '../../components/credential-table';
import { SelectField } from '../../components/forms';
import { TextField, value } from '../../components/scope-fields';
import { describedBy, FieldError, WorkspaceShell } from './shell';

const STATE: CredentialStateWords = {
  verified: { label: 'Verified, current', cls: 'badge-ok' },
  pending: { label: 'Awaiting verification by Auditmatch', cls: 'badge-warn' },
  expired: { label: 'Expired: no longer counts for matching', cls: 'badge-bad' },
  revoked: { label: 'Revoked: no longer counts for matching', cls: 'badge-bad' },
  rejected: { label: 'Not verified', cls: 'badge-bad' },
  'not-yet-valid': { label: 'Verified, not yet valid', cls: 'badge-warn' },
};

export function CredentialsPage({
  user,
  firmName,
  firmType,
  credentials,
  fields,
  errors,
  csrf,
  notice,
}: {
  user: SessionUser;
  firmName: string;
  firmType: FirmType;
  credentials: FirmCredential[];
  fields: FormFields;
  errors: Record<string, string>;
  csrf: string;
  notice: string | null;
}) {
  return (
    <WorkspaceShell
      user={user}
      firmName={firmName}
      section="credentials"
      title="Credentials"
      lead="Licences, peer reviews and accreditations. Auditmatch verifies each one with its issuer; only a verified, current credential that qualifies for a framework lets you be matched for it."
      csrf={csrf}
      notice={notice}
      errors={errors}
    >
      <h2>On file</h2>
      {credentials.length === 0 ? (
        <p>No credentials yet. Add the first one below.</p>
      ) : (
        <CredentialTable
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
      )}

      <h2>Add a credential</h2>
      <p>
        New credentials start as awaiting verification. Attach the certificate or letter as a PDF
        (at most 5 MB), or link to the issuer's public register, or both.
      </p>
      <form method="post" action="/firm/credentials" enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <SelectField
          name="kind"
          label="Kind"
          options={CREDENTIALS_BY_FIRM_TYPE[firmType].map((k) => ({
            value: k,
            label: CREDENTIAL_KIND_LABELS[k],
          }))}
          value={value(fields, 'kind')}
          emptyLabel="Choose one"
          error={errors.kind}
        />
        <TextField
          name="issuer"
          label="Issuer"
          fields={fields}
          errors={errors}
          hint="A state board, AICPA or PCI SSC. For an ISO accreditation, choose the accreditation body below."
        />
        <SelectField
          name="accreditationBody"
          label="Accreditation body (ISO accreditations)"
          options={[
            ...ACCREDITATION_BODIES.map((b) => ({ value: b.id, label: `${b.id}, ${b.country}` })),
            {
              value: OTHER_ACCREDITATION_BODY,
              label: 'Another body, not an IAF MLA signatory (never qualifies)',
            },
          ]}
          value={value(fields, 'accreditationBody')}
          emptyLabel="Not an accreditation"
          error={errors.accreditationBody}
        />
        <TextField
          name="identifier"
          label="Licence, review or accreditation number"
          fields={fields}
          errors={errors}
        />
        <TextField
          name="scopeStandards"
          label="Standards in scope (ISO accreditations and certificates)"
          fields={fields}
          errors={errors}
          hint='Separated by commas, e.g. "ISO/IEC 42001, ISO/IEC 27001".'
        />
        <TextField
          name="schemeStandards"
          label="Accreditation scheme standards"
          fields={fields}
          errors={errors}
          hint='E.g. "ISO/IEC 17021-1, ISO/IEC 42006".'
        />
        <TextField
          name="validFrom"
          label="Valid from"
          type="date"
          fields={fields}
          errors={errors}
        />
        <TextField
          name="validTo"
          label="Valid to (optional)"
          type="date"
          fields={fields}
          errors={errors}
          hint="Leave blank when it does not expire."
        />
        <div class="field">
          <label for="f-evidence">Evidence PDF</label>
          <input
            id="f-evidence"
            name="evidence"
            type="file"
            accept="application/pdf,.pdf"
            aria-describedby={describedBy('evidence', errors)}
            aria-invalid={errors.evidence ? 'true' : undefined}
          />
          <FieldError name="evidence" errors={errors} />
        </div>
        <TextField
          name="evidenceUrl"
          label="Or a link to the issuer's register"
          type="url"
          fields={fields}
          errors={errors}
          hint="A full https:// address."
        />
        <button class="button" type="submit">
          Add the credential
        </button>
      </form>
    </WorkspaceShell>
  );
}
