import type { QueuedWebsiteChange, WebsiteSide } from '../../../../services/admin/website-changes';
import { type Decision, DecisionForm } from './decision-form';
import { AdminShell, QueueCards, type QueueProps, rowState, when } from './shell';

const DECISIONS: Decision[] = [
  { value: 'approve', label: 'Approve new website', cls: 'button button-small' },
  {
    value: 'reject',
    label: 'Reject, keep the approved one',
    cls: 'button button-small button-danger',
  },
];

const hostOf = (s: WebsiteSide) => s.host ?? 'No website';

/** What the domain signal says about the new website, and how much it should worry the operator. */
function signal(c: QueuedWebsiteChange): { text: string; cls: string } {
  const { requested, live, team } = c;
  if (requested.website === null)
    return { text: 'No website: the firm would have no domain signal left.', cls: 'badge-bad' };
  if (requested.domain === null)
    return {
      text: 'No domain signal: a free-mail provider, a shared host or a page under a path, where anyone can publish.',
      cls: 'badge-bad',
    };
  const same = requested.domain === live.domain ? ' The same domain as the approved website.' : '';
  return {
    text: `Own domain ${requested.domain}: ${team.atNewDomain} of ${team.total} team sign-in ${team.total === 1 ? 'address is' : 'addresses are'} at it.${same}`,
    cls: team.atNewDomain > 0 ? 'badge-ok' : 'badge-warn',
  };
}

export function WebsiteChangesPage({ rows, ...frame }: QueueProps<QueuedWebsiteChange, 'pending'>) {
  return (
    <AdminShell
      section="/admin/website-changes"
      title="Website changes"
      lead="Approved firms asking for a new website. Their public profile keeps the approved website until you approve; the domain signal judges sign-in addresses against the new one from then on. Check the new domain belongs to the firm before approving."
      {...frame}
    >
      <QueueCards
        rows={rows}
        count={(n) => `${n === 1 ? '1 change waits' : `${n} changes wait`} for review.`}
        empty="Nothing here: no website change waits for you."
        card={(c) => {
          const s = signal(c);
          return (
            <li class="card" key={c.id} id={`website-change-${c.id}`}>
              <h2>{c.firm.name}</h2>
              <dl class="facts">
                <dt>Approved website</dt>
                <dd>
                  {hostOf(c.live)} <span class="muted">{c.live.website ?? ''}</span>
                </dd>
                <dt>New website</dt>
                <dd>
                  {hostOf(c.requested)} <span class="muted">{c.requested.website ?? ''}</span>
                </dd>
                <dt>Domain signal</dt>
                <dd class={s.cls}>{s.text}</dd>
                <dt>Asked</dt>
                <dd>
                  {when(c.requestedAt)} by {c.requestedBy ?? 'a former team member'}
                </dd>
                <dt>Firm</dt>
                <dd>
                  <a href={`/admin/firms?q=${encodeURIComponent(c.firm.name)}`}>{c.firm.name}</a> (
                  {c.firm.status})
                </dd>
              </dl>
              <DecisionForm
                id={c.id}
                action={`/admin/website-changes/${c.id}`}
                csrf={frame.csrf}
                note={{
                  label: 'Note for the record',
                  hint: 'Optional: what you checked, kept in the audit log.',
                }}
                decisions={DECISIONS}
                {...rowState(frame.failure, c.id)}
              />
            </li>
          );
        }}
      />
    </AdminShell>
  );
}
