import type { Email } from '../../../outbox/email';
import { PageHeader } from '../layout';

export function MailboxPage({
  messages,
}: {
  messages: { id: string; status: string; createdAt: string; email: Email | null }[];
}) {
  return (
    <>
      <PageHeader
        title="Development mailbox"
        lead="Emails the platform queued, newest first. This page exists only outside production."
      />
      {messages.length === 0 ? <p>No emails yet.</p> : null}
      {messages.map((m) => (
        <article class="card" key={m.id}>
          {m.email ? (
            <>
              <h2>{m.email.subject}</h2>
              <p class="muted">
                To {m.email.to} · {m.createdAt} · {m.status}
                {m.email.ics ? ' · calendar invitation attached' : ''}
              </p>
              <pre class="mail">
                {m.email.text.split(/(https?:\/\/[^\s]+)/).map((part, i) =>
                  /^https?:\/\//.test(part) ? (
                    <a key={`${m.id}-${i}`} href={part}>
                      {part}
                    </a>
                  ) : (
                    part
                  ),
                )}
              </pre>
            </>
          ) : (
            <p class="muted">Content erased (retention or the buyer's deletion).</p>
          )}
        </article>
      ))}
    </>
  );
}
