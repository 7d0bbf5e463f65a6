import type { SessionUser } from '../../../../services/auth';
import type { WorkspaceSummary } from '../../../../services/firm/workspace';
import { Notice } from '../../components/notices';
import { WorkspaceShell } from './shell';
import { when } from '../../components/when';

export function WorkspaceHomePage({
  user,
  summary,
  csrf,
}: {
  user: SessionUser;
  summary: WorkspaceSummary;
  csrf: string;
}) {
  const { firm } = summary;
  return (
    <WorkspaceShell
      user={user}
      firmName={firm.name}
      section="home"
      title="Your workspace"
      csrf={csrf}
    >
      {firm.status !== 'active' ? (
        <Notice>
          <p>
            <strong>Your firm is {firm.status}.</strong> {firm.statusReason ?? ''} It is not shown
            in the directory and receives no briefs until the Auditmatch team activates it.
          </p>
        </Notice>
      ) : null}
      <ul class="grid">
        <li class="card">
          <h2>Leads</h2>
          <p>
            {summary.awaitingAnswer === 0
              ? 'No brief is waiting for your answer.'
              : `${summary.awaitingAnswer} brief${summary.awaitingAnswer === 1 ? '' : 's'} waiting for your answer; the next is due ${when(summary.nextDeadline)}.`}
          </p>
          {summary.acceptedWithoutQuote > 0 ? (
            <p>
              {summary.acceptedWithoutQuote} accepted lead
              {summary.acceptedWithoutQuote === 1 ? '' : 's'} without a quote yet.
            </p>
          ) : null}
          <p>
            <a href="/firm/leads">Open the lead inbox</a>
          </p>
        </li>
        <li class="card">
          <h2>Credentials</h2>
          <p>
            {summary.credentials.verified} verified, {summary.credentials.pending} awaiting
            verification, {summary.credentials.expired} expired or revoked.
          </p>
          <p class="muted">
            You are matched for a framework only with a verified, current credential that qualifies
            for it.
          </p>
          <p>
            <a href="/firm/credentials">Manage credentials</a>
          </p>
        </li>
        <li class="card">
          <h2>Profile and capacity</h2>
          <p>
            {summary.servicesCount} service{summary.servicesCount === 1 ? '' : 's'} listed
            {summary.pausedServices > 0 ? `, ${summary.pausedServices} paused` : ''}.
          </p>
          <p>
            <a href="/firm/profile">Edit your profile</a> ·{' '}
            <a href="/firm/profile/preview">See it as buyers do</a>
          </p>
        </li>
      </ul>
    </WorkspaceShell>
  );
}
