import type { ComplaintFilter, ComplaintSummary } from '../../../../services/admin/complaints';
import { COMPLAINT_KINDS, type ComplaintKind } from '../../../../services/buyer';
import type { QueuePageText, QueueProps } from './shell';
import { AdminShell, RowCard, RowForm, rowState, TextField, when } from './shell';

const QUEUE = {
  section: '/admin/complaints',
  title: 'Complaints',
  lead: 'Reports from buyers about firms. Read the report, contact the firm if needed, and resolve it with a note; a serious breach can suspend the firm in the same step.',
  filters: {
    label: 'Which complaints',
    labels: { open: 'Open', resolved: 'Resolved', all: 'All' },
  },
} satisfies QueuePageText<ComplaintFilter>;

function ResolveForm({
  c,
  csrf,
  filter,
  errors,
  typed,
}: {
  c: ComplaintSummary;
  csrf: string;
  filter: ComplaintFilter;
  errors: Record<string, string>;
  typed: Record<string, string>;
}) {
  const canSuspend = c.firm !== null && c.firm.status === 'active';
  return (
    <RowForm
      action={`/admin/complaints/${c.id}/resolve`}
      csrf={csrf}
      hidden={{ filter }}
      errors={errors}
      fields={['resolution', 'suspensionReason']}
      problemId={`complaint-${c.id}`}
    >
      <TextField
        id={`resolution-${c.id}`}
        name="resolution"
        label="Resolution"
        hint="What you found and did; kept on record."
        multiline
        value={typed.resolution}
        error={errors.resolution}
      />
      {canSuspend ? (
        <fieldset>
          <legend>Suspend {c.firm?.name}?</legend>
          <div class="check">
            <input
              type="checkbox"
              id={`suspend-${c.id}`}
              name="suspendFirm"
              value="yes"
              checked={typed.suspendFirm === 'yes'}
            />{' '}
            <label for={`suspend-${c.id}`}>
              Suspend the firm as part of resolving this complaint
            </label>
          </div>
          <TextField
            id={`suspension-${c.id}`}
            name="suspensionReason"
            label="Reason for the suspension"
            value={typed.suspensionReason}
            error={errors.suspensionReason}
          />
        </fieldset>
      ) : null}
      <button class="button button-small" type="submit">
        Resolve complaint
      </button>
    </RowForm>
  );
}

export function ComplaintsPage({ rows, ...frame }: QueueProps<ComplaintSummary, ComplaintFilter>) {
  return (
    <AdminShell {...QUEUE} {...frame}>
      {rows.length === 0 ? <p>No complaints in this list.</p> : null}
      {rows.map((c) => (
        <RowCard
          key={c.id}
          id={`complaint-${c.id}`}
          title={
            <>
              {COMPLAINT_KINDS[c.kind as ComplaintKind] ?? c.kind}
              {c.firm ? `: ${c.firm.name}` : ''}
            </>
          }
        >
          <dl class="facts">
            <dt>Received</dt>
            <dd>{when(c.createdAt)}</dd>
            <dt>Request</dt>
            <dd>{c.requestReference ?? 'Not linked to a request'}</dd>
            <dt>Firm</dt>
            <dd>
              {c.firm ? (
                <>
                  <a href={`/admin/firms?q=${encodeURIComponent(c.firm.name)}`}>{c.firm.name}</a> (
                  {c.firm.status})
                </>
              ) : (
                'No firm named'
              )}
            </dd>
            <dt>Status</dt>
            <dd class={c.status === 'open' ? 'badge-warn' : 'badge-ok'}>
              {c.status === 'open' ? 'Open' : `Resolved ${when(c.resolvedAt)}`}
            </dd>
          </dl>
          <h3>The buyer's report</h3>
          <pre class="mail">{c.body}</pre>
          {c.status === 'open' ? (
            <ResolveForm
              c={c}
              csrf={frame.csrf}
              filter={frame.filter}
              {...rowState(frame.failure, c.id)}
            />
          ) : (
            <>
              <h3>Resolution</h3>
              <p>{c.resolution}</p>
            </>
          )}
        </RowCard>
      ))}
    </AdminShell>
  );
}
