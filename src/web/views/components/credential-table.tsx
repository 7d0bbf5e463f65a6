import type { ComponentChildren } from 'preact';
import { issuerLabel } from '../../../domain/accreditation';
import type { CredentialState } from '../../../domain/firm';
import { fullDate } from '../../../domain/matching/dates';
import { CREDENTIAL_KIND_LABELS, type CredentialKind } from '../../../domain/vocabulary';
import { RecordTable } from './record-table';

/** How one audience reads each credential state; the badge it wears is the same for all. */
export type CredentialStateWords = Record<CredentialState, string>;

/** The badge of each credential state: good, waiting, or no longer (or not yet) counting. */
export const CREDENTIAL_STATE_BADGE: Record<CredentialState, string> = {
  verified: 'badge-ok',
  expired: 'badge-bad',
  pending: 'badge-warn',
  rejected: 'badge-bad',
  revoked: 'badge-bad',
  'not-yet-valid': 'badge-warn',
};

export interface CredentialRow {
  key: string;
  kind: CredentialKind;
  identifier: string;
  issuer: string;
  scopeStandards: string[];
  schemeStandards: string[];
  validFrom: string;
  validTo: string | null;
  state: CredentialState;
  /** Links to the evidence, where the reader may see it. */
  evidence?: ComponentChildren;
  /** The operator's note to the firm, where the reader is the firm. */
  note?: string | null;
}

/** The one table of credentials: the firm's workspace and its public profile. */
export function CredentialTable({
  rows,
  caption,
  words,
  withEvidence = false,
  empty,
}: {
  rows: CredentialRow[];
  caption: string;
  words: CredentialStateWords;
  withEvidence?: boolean;
  /** What to say when there is no credential; without it, an empty table. */
  empty?: string;
}) {
  return (
    <RecordTable
      caption={caption}
      scroll
      columns={[
        'Credential',
        'Issuer',
        'Scope',
        'Valid',
        ...(withEvidence ? ['Evidence'] : []),
        'Status',
      ]}
      rows={rows}
      empty={empty}
      row={(c) => {
        return (
          <tr key={c.key}>
            <th scope="row">
              {CREDENTIAL_KIND_LABELS[c.kind] ?? c.kind}
              <br />
              <span class="muted">{c.identifier}</span>
            </th>
            <td>{issuerLabel(c.kind, c.issuer)}</td>
            <td>
              {c.scopeStandards.length > 0 ? c.scopeStandards.join(', ') : '—'}
              {c.schemeStandards.length > 0 ? (
                <span class="muted"> (under {c.schemeStandards.join(', ')})</span>
              ) : null}
            </td>
            <td>
              {fullDate(c.validFrom)} to {c.validTo ? fullDate(c.validTo) : 'no end date'}
            </td>
            {withEvidence ? <td>{c.evidence}</td> : null}
            <td class={CREDENTIAL_STATE_BADGE[c.state]}>
              {words[c.state]}
              {c.note ? <span class="muted"> — {c.note}</span> : null}
            </td>
          </tr>
        );
      }}
    />
  );
}
