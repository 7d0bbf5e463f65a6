import { issuerLabel } from '../../../../domain/accreditation';
import {
  CREDENTIAL_STATE_BADGE,
  type CredentialStateWords,
} from '../../components/credential-table';
import { CREDENTIAL_KIND_LABELS, type CredentialKind } from '../../../../domain/vocabulary';
import {
  EXPIRING_WITHIN_DAYS,
  type QueuedCredential,
  type QueueFilter,
} from '../../../../services/admin/credentials';
import { type Decision, DecisionForm } from './decision-form';
import type { QueuePageText, QueueProps } from './shell';
import { AdminShell, BY_PAGE, Pager, QueueCards, rowState, when } from './shell';

const STATE: CredentialStateWords = {
  verified: 'Verified, current',
  expired: 'Verified, but expired',
  pending: 'Waiting for verification',
  rejected: 'Rejected',
  revoked: 'Revoked',
  'not-yet-valid': 'Verified, not yet valid',
};

const QUEUE = {
  section: '/admin/credentials',
  title: 'Credential verification',
  lead: "Check each credential against its issuer's public register before verifying it. A firm is matched for a framework only while a verified, unexpired credential qualifies it; a revoked or expired one removes it at once.",
  filters: {
    label: 'Which credentials',
    labels: {
      pending: 'Waiting for verification',
      expiring: `Ending within ${EXPIRING_WITHIN_DAYS} days`,
      all: 'All credentials',
    },
  },
} satisfies QueuePageText<QueueFilter>;

function expiry(c: QueuedCredential): string {
  if (c.validTo === null) return 'No end date';
  if (c.daysLeft === null) return c.validTo;
  if (c.daysLeft < 0) return `${c.validTo} (ended ${-c.daysLeft} days ago)`;
  if (c.daysLeft === 0) return `${c.validTo} (ends today)`;
  return `${c.validTo} (${c.daysLeft} days left)`;
}

/** The decisions each state allows, as the service enforces them. */
function decisionsFor(verification: string): Decision[] {
  if (verification === 'pending') {
    return [
      { value: 'verify', label: 'Verify', cls: 'button button-small' },
      { value: 'reject', label: 'Reject', cls: 'button button-small button-danger' },
    ];
  }
  if (verification === 'verified')
    return [{ value: 'revoke', label: 'Revoke', cls: 'button button-small button-danger' }];
  return [{ value: 'verify', label: 'Verify on new evidence', cls: 'button button-small' }];
}

export function CredentialQueuePage({
  rows,
  next,
  ...frame
}: QueueProps<QueuedCredential, QueueFilter> & { next: string | null }) {
  const paged = frame.cursor !== undefined || next !== null;
  return (
    <AdminShell {...QUEUE} {...frame}>
      <QueueCards
        rows={rows}
        count={(n) =>
          `${n === 1 ? '1 credential' : `${n} credentials`} ${paged ? 'on this page' : 'in this list'}.`
        }
        empty="Nothing here: no credential waits for you."
        card={(c) => {
          const kind = CREDENTIAL_KIND_LABELS[c.kind as CredentialKind] ?? c.kind;
          return (
            <li class="card" key={c.id} id={`credential-${c.id}`}>
              <h2>
                {c.firmName}: {kind}
              </h2>
              <p class={CREDENTIAL_STATE_BADGE[c.state]}>{STATE[c.state]}</p>
              <dl class="facts">
                <dt>Identifier</dt>
                <dd>{c.identifier}</dd>
                <dt>Issuer</dt>
                <dd>{issuerLabel(c.kind, c.issuer)}</dd>
                {c.scopeStandards.length > 0 ? (
                  <>
                    <dt>Scope</dt>
                    <dd>
                      {c.scopeStandards.join(', ')}
                      {c.schemeStandards.length > 0
                        ? ` (under ${c.schemeStandards.join(', ')})`
                        : ''}
                    </dd>
                  </>
                ) : null}
                <dt>Valid from</dt>
                <dd>{c.validFrom}</dd>
                <dt>Valid to</dt>
                <dd class={c.daysLeft !== null && c.daysLeft <= 30 ? 'badge-warn' : undefined}>
                  {expiry(c)}
                </dd>
                <dt>Evidence</dt>
                <dd>
                  {c.evidenceFile ? (
                    <a href={`/admin/credentials/${c.id}/evidence`}>Evidence file (PDF)</a>
                  ) : null}
                  {c.evidenceFile && c.evidenceUrl ? ' · ' : null}
                  {c.evidenceUrl ? (
                    <a href={c.evidenceUrl} rel="noopener noreferrer nofollow">
                      Issuer's register or link
                    </a>
                  ) : null}
                  {!c.evidenceFile && !c.evidenceUrl ? 'None given' : null}
                </dd>
                <dt>Firm</dt>
                <dd>
                  {c.firmStatus === 'active' ? (
                    <a href={`/firms/${c.firmSlug}`}>Public profile</a>
                  ) : (
                    `Firm is ${c.firmStatus}`
                  )}
                </dd>
                {c.note ? (
                  <>
                    <dt>Last note</dt>
                    <dd>
                      {c.note} <span class="muted">({when(c.decidedAt)})</span>
                    </dd>
                  </>
                ) : null}
              </dl>
              <DecisionForm
                id={c.id}
                action={`/admin/credentials/${c.id}`}
                csrf={frame.csrf}
                hidden={{ filter: frame.filter, ...(frame.cursor ? { cursor: frame.cursor } : {}) }}
                note={{
                  label: 'Note to the firm',
                  hint: 'Required to reject or revoke: say what is wrong or missing.',
                }}
                decisions={decisionsFor(c.verification)}
                {...rowState(frame.failure, c.id)}
              />
            </li>
          );
        }}
      />
      <Pager
        base={QUEUE.section}
        query={{ filter: frame.filter }}
        cursor={frame.cursor}
        next={next}
        words={BY_PAGE}
      />
    </AdminShell>
  );
}
