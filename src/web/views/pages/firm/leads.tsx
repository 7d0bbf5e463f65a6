import type { LeadInbox } from '../../../../services/firm/leads';
import { formatUsd } from '../firms';
import { RecordTable } from '../../components/record-table';
import { WorkspaceShell, type WorkspacePageProps } from './shell';
import { when } from '../../components/when';

export const STATUS: Record<string, string> = {
  sent: 'Waiting for your answer',
  accepted: 'Accepted: quote, then the buyer may book its call',
  declined: 'Declined',
  expired: 'Lapsed: not answered or quoted in time',
  withdrawn: 'Withdrawn',
};

export function LeadsPage({ inbox, ...page }: WorkspacePageProps & { inbox: LeadInbox }) {
  const leads = [...inbox.awaiting, ...inbox.leads];
  return (
    <WorkspaceShell
      {...page}
      section="leads"
      title="Leads"
      lead="Briefs buyers chose to send you, without the buyer's name or contact. Accept to commit to a quote; the buyer compares the quotes, then books one short call with the firm it picks, and its details reach that firm with the booking."
    >
      <p>
        <a href="/firm/leads.csv" download>
          Download all leads as CSV
        </a>
      </p>
      <RecordTable
        caption="Your leads, those waiting for an answer first"
        columns={['Scope', 'Status', 'Received', 'Answer by', 'Quote']}
        scroll
        rows={leads}
        empty="No briefs yet. Buyers choose among the firms that fit their scope; keep your profile and credentials current."
        row={(l) => (
          <tr key={l.id}>
            <th scope="row">
              <a href={`/firm/leads/${l.id}`}>
                {l.summary.split('\n')[0]?.replace(/^Frameworks: /, '')}
              </a>
              <br />
              <span class="muted">
                about {l.scope.headcount} people · needed by {l.scope.neededBy}
              </span>
            </th>
            <td class={`status-${l.status}`}>{STATUS[l.status] ?? l.status}</td>
            <td>{when(l.sentAt)}</td>
            <td>{l.status === 'sent' ? when(l.respondBy) : '—'}</td>
            <td>
              {l.quote
                ? `${formatUsd(l.quote.totalUsd)}${l.quote.status === 'chosen' ? ' (chosen)' : ''}`
                : '—'}
            </td>
          </tr>
        )}
      />
      {inbox.nextCursor ? (
        <p>
          <a href={`/firm/leads?cursor=${encodeURIComponent(inbox.nextCursor)}`} rel="next">
            Older leads
          </a>
        </p>
      ) : null}
    </WorkspaceShell>
  );
}
