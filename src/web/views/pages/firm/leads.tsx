import type { SessionUser } from '../../../../services/auth';
import type { Lead, LeadDetail } from '../../../../services/firm/leads';
import { DECLINE_REASON_LABELS, DECLINE_REASONS } from '../../../../services/firm/schemas';
import { formatUsd } from '../firms';
import { FieldError, WorkspaceShell, when } from './shell';

const STATUS: Record<string, string> = {
  sent: 'Waiting for your answer',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'Not answered in time',
  withdrawn: 'Withdrawn by the buyer',
};

export function LeadsPage({ user, firmName, leads, csrf, notice }: { user: SessionUser; firmName: string; leads: Lead[]; csrf: string; notice: string | null }) {
  return (
    <WorkspaceShell
      user={user}
      firmName={firmName}
      section="leads"
      title="Leads"
      lead="Briefs buyers chose to send you. Each shows the scope without the buyer's name or contact; accept within the response window to receive them."
      csrf={csrf}
      notice={notice}
    >
      <p>
        <a href="/firm/leads.csv" download>
          Download all leads as CSV
        </a>
      </p>
      {leads.length === 0 ? (
        <p>No briefs yet. Buyers choose among the firms that fit their scope; keep your profile and credentials current.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Your leads, those waiting for an answer first</caption>
            <thead>
              <tr>
                <th scope="col">Scope</th>
                <th scope="col">Status</th>
                <th scope="col">Received</th>
                <th scope="col">Answer by</th>
                <th scope="col">Quote</th>
              </tr>
            </thead>
            <tbody>
              {leads.map((l) => (
                <tr key={l.id}>
                  <th scope="row">
                    <a href={`/firm/leads/${l.id}`}>{l.summary.split('\n')[0]?.replace(/^Frameworks: /, '')}</a>
                    <br />
                    <span class="muted">
                      about {l.scope.headcount} people · needed by {l.scope.neededBy}
                    </span>
                  </th>
                  <td class={`status-${l.status}`}>{STATUS[l.status] ?? l.status}</td>
                  <td>{when(l.sentAt)}</td>
                  <td>{l.status === 'sent' ? when(l.respondBy) : '—'}</td>
                  <td>{l.quote ? `${formatUsd(l.quote.totalUsd)}${l.quote.status === 'chosen' ? ' (chosen)' : ''}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </WorkspaceShell>
  );
}

export function LeadPage({
  user,
  firmName,
  lead,
  csrf,
  notice,
  errors,
}: {
  user: SessionUser;
  firmName: string;
  lead: LeadDetail;
  csrf: string;
  notice: string | null;
  errors: Record<string, string>;
}) {
  const open = lead.status === 'sent' && lead.requestOpen;
  return (
    <WorkspaceShell user={user} firmName={firmName} section="leads" title="A lead" csrf={csrf} notice={notice} errors={errors}>
      <p>
        <a href="/firm/leads">Back to all leads</a>
      </p>
      <p class={`status-${lead.status}`}>
        <strong>{STATUS[lead.status] ?? lead.status}</strong>
        {lead.status === 'sent' ? ` — answer by ${when(lead.respondBy)}` : lead.respondedAt ? ` — ${when(lead.respondedAt)}` : ''}
      </p>
      <h2>Scope</h2>
      <pre class="scope">{lead.summary}</pre>

      <h2>Buyer</h2>
      {lead.contact ? (
        <dl class="facts">
          <dt>Name</dt>
          <dd>{lead.contact.name}</dd>
          <dt>Company</dt>
          <dd>{lead.contact.company}</dd>
          <dt>Email</dt>
          <dd>
            <a href={`mailto:${lead.contact.email}`}>{lead.contact.email}</a>
          </dd>
          {lead.contact.phone ? (
            <>
              <dt>Phone</dt>
              <dd>{lead.contact.phone}</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p>{lead.contactNote}</p>
      )}
      {lead.contact ? (
        <p class="muted">
          The buyer asked for one short call, not a sales sequence. These details are for this introduction only, and
          each view is recorded.
        </p>
      ) : null}

      {open ? (
        <>
          <h2>Your answer</h2>
          <p>Accepting shares the buyer's contact with your firm and your booking link with the buyer, and takes one slot of this month's capacity.</p>
          <form method="post" action={`/firm/leads/${lead.id}/answer`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="action" value="accept" />
            <button class="button" type="submit">
              Accept and receive the contact details
            </button>
          </form>
          <form method="post" action={`/firm/leads/${lead.id}/answer`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="action" value="decline" />
            <div class="field">
              <label for="f-reason">Reason for declining</label>
              <select id="f-reason" name="reason" aria-describedby={errors.reason ? 'f-reason-error' : undefined}>
                {DECLINE_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {DECLINE_REASON_LABELS[r]}
                  </option>
                ))}
              </select>
              <FieldError name="reason" errors={errors} />
            </div>
            <button class="button button-secondary" type="submit">
              Decline
            </button>
          </form>
        </>
      ) : null}
      {lead.status === 'declined' && lead.declineReason ? <p class="muted">Reason given: {DECLINE_REASON_LABELS[lead.declineReason as (typeof DECLINE_REASONS)[number]] ?? lead.declineReason}</p> : null}

      {lead.status === 'accepted' ? (
        <>
          <h2>Quote</h2>
          {lead.quote ? (
            <p>
              Your quote: {formatUsd(lead.quote.totalUsd)}
              {lead.quote.status === 'chosen' ? ' — the buyer chose it.' : ' — sent to the buyer.'}
            </p>
          ) : (
            <p>No quote yet. The buyer compares the quotes of the firms it was introduced to side by side.</p>
          )}
          {lead.requestOpen && lead.quote?.status !== 'chosen' ? (
            <p>
              <a class="button" href={`/firm/leads/${lead.id}/quote`}>
                {lead.quote ? 'Replace the quote' : 'Write a quote'}
              </a>
            </p>
          ) : null}
        </>
      ) : null}
    </WorkspaceShell>
  );
}
