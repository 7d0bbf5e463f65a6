import type { ScopeInput } from '../../../../services/intake/schemas';
import { briefSummary } from '../../../../services/emails';

/** What a firm sees from its email link: the anonymised scope and two buttons. */
export function BriefPage({
  token,
  firmName,
  scope,
  status,
  respondBy,
  csrf,
  error,
}: {
  token: string;
  firmName: string;
  scope: ScopeInput;
  status: string;
  respondBy: string;
  csrf: string;
  error?: string;
}) {
  return (
    <section class="narrow">
      <h1>A brief for {firmName}</h1>
      <p>A company chose you as one of at most three firms it wants to hear from. This is its scope, without its name or contact details.</p>
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
          <form method="post" action={`/b/${token}/decline`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <div class="field">
              <label for="f-reason">Reason for declining</label>
              <select id="f-reason" name="reason">
                <option value="no-capacity">No capacity in time</option>
                <option value="out-of-scope">Outside what we audit</option>
                <option value="budget">Budget too low for the scope</option>
                <option value="conflict">Independence conflict</option>
                <option value="other">Other</option>
              </select>
            </div>
            <button class="button button-secondary" type="submit">
              Decline
            </button>
          </form>
        </>
      ) : (
        <p>
          <strong>This brief was {status}.</strong> {status === 'accepted' ? 'The contact details were emailed to you.' : 'There is nothing more to do.'}
        </p>
      )}
    </section>
  );
}

export const DECLINE_REASONS = ['no-capacity', 'out-of-scope', 'budget', 'conflict', 'other'] as const;
