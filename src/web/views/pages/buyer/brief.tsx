import { WITHDRAWAL_WORDS } from '../../../../domain/lifecycle/decisions';
import type { WithdrawalReason } from '../../../../domain/lifecycle/states';
import type { ScopeInput } from '../../../../services/intake/schemas';
import { briefSummary } from '../../../../services/emails';
import { DECLINE_REASON_LABELS, DECLINE_REASONS } from '../../../../services/firm/schemas';

export { DECLINE_REASON_LABELS, DECLINE_REASONS };

/** What a firm sees from its email link: the anonymised scope and two buttons. */
export function BriefPage({
  token,
  firmName,
  reference,
  scope,
  status,
  withdrawnReason,
  respondBy,
  csrf,
  error,
}: {
  token: string;
  firmName: string;
  reference: string;
  scope: ScopeInput;
  status: string;
  withdrawnReason: WithdrawalReason | null;
  respondBy: string;
  csrf: string;
  error?: string;
}) {
  return (
    <section class="narrow">
      <h1>A brief for {firmName}</h1>
      <p>
        A company chose you as one of at most three firms it wants to hear from (request {reference}). This is its scope,
        without its name or contact details.
      </p>
      <pre class="scope">{briefSummary(scope)}</pre>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {status === 'sent' ? (
        <>
          <p>Please answer by {respondBy.slice(0, 16).replace('T', ' ')} UTC. Accepting shares the buyer's contact details with you and your booking link with the buyer.</p>
          <form method="post" action={`/b/${token}/accept`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <button class="button" type="submit">
              Accept and receive the contact details
            </button>
          </form>
          <form method="post" action={`/b/${token}/decline`} class="decline-form" aria-labelledby="decline-title">
            <h2 id="decline-title">Not a fit?</h2>
            <p>Declining keeps the buyer anonymous to you; they are offered another firm instead.</p>
            <input type="hidden" name="_csrf" value={csrf} />
            <div class="field">
              <label for="f-reason">Reason for declining</label>
              <select id="f-reason" name="reason">
                {DECLINE_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {DECLINE_REASON_LABELS[r]}
                  </option>
                ))}
              </select>
            </div>
            <button class="button button-secondary" type="submit">
              Decline
            </button>
          </form>
        </>
      ) : (
        <p>
          <strong>This brief was {status}{withdrawnReason ? `: ${WITHDRAWAL_WORDS[withdrawnReason]}` : ''}.</strong>{' '}
          {status === 'accepted' ? 'The contact details were emailed to you.' : 'There is nothing more to do.'}
        </p>
      )}
    </section>
  );
}
