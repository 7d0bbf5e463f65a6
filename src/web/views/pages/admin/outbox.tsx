import type { OutboxTrouble, TroubledMessage } from '../../../../services/admin/outbox';
import { DataTable } from '../../components/data-table';
import {
  AdminShell,
  type ConsoleFrame,
  errorsFor,
  FormProblem,
  type RowFailure,
  when,
} from './shell';

function MessageTable({
  caption,
  messages,
  csrf,
  retry,
  failure,
}: {
  caption: string;
  messages: TroubledMessage[];
  csrf: string;
  retry: boolean;
  failure: RowFailure | null;
}) {
  return (
    <DataTable
      caption={caption}
      captionClass="muted"
      columns={[
        'Message',
        'Channel',
        'Attempts',
        'Last error',
        ...(retry ? ['Queued', 'Action'] : ['Next attempt']),
      ]}
    >
      {messages.map((m) => (
        <tr key={m.id} id={`message-${m.id}`}>
          <th scope="row">
            <code>{m.idempotencyKey}</code>
          </th>
          <td>{m.channel}</td>
          <td>{m.attempts}</td>
          <td>{m.lastError ?? '—'}</td>
          <td>{retry ? when(m.createdAt) : when(m.nextAttemptAt)}</td>
          {retry ? (
            <td>
              <FormProblem errors={errorsFor(failure, m.id)} fields={[]} id={`retry-${m.id}`} />
              <form method="post" action={`/admin/outbox/${m.id}/retry`}>
                <input type="hidden" name="_csrf" value={csrf} />
                <button
                  class="button button-small"
                  type="submit"
                  aria-label={`Retry ${m.idempotencyKey}`}
                >
                  Retry
                </button>
              </form>
            </td>
          ) : null}
        </tr>
      ))}
    </DataTable>
  );
}

/** One list of the outbox under its heading, or "None." when it is empty. */
function MessageSection({
  title,
  messages,
  ...table
}: { title: string } & Parameters<typeof MessageTable>[0]) {
  return (
    <>
      <h2>{title}</h2>
      {messages.length === 0 ? <p>None.</p> : <MessageTable messages={messages} {...table} />}
    </>
  );
}

export function OutboxPage({ trouble, ...frame }: { trouble: OutboxTrouble } & ConsoleFrame) {
  return (
    <AdminShell
      section="/admin/outbox"
      title="Outbox"
      lead={`Every email and webhook leaves through the outbox and is retried with growing delays; after ${trouble.maxAttempts} failed attempts it becomes a dead letter. Fix the cause (SMTP settings, a firm's webhook endpoint), then retry. Message contents stay sealed and are not shown.`}
      {...frame}
    >
      <p>
        {trouble.pending === 1 ? '1 message' : `${trouble.pending} messages`} waiting for delivery,{' '}
        {trouble.failing.length} of them after a failed attempt;{' '}
        {trouble.dead.length === 1 ? '1 dead letter' : `${trouble.dead.length} dead letters`}.
      </p>
      {[
        {
          title: 'Dead letters',
          caption: 'Out of attempts: delivered only if retried',
          messages: trouble.dead,
          retry: true,
        },
        {
          title: 'Retrying',
          caption: 'Failed at least once; the worker tries again at the time shown',
          messages: trouble.failing,
          retry: false,
        },
      ].map((list) => (
        <MessageSection key={list.title} {...list} {...frame} />
      ))}
    </AdminShell>
  );
}
