import type { SessionUser } from '../../../../services/auth';
import type { ApiKeyView, WebhookEndpointView } from '../../../../services/firm/integrations';
import {
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENTS,
  type WebhookEvent,
} from '../../../../services/firm/schemas';
import type { FormFields } from '../../../forms/fields';
import { TextField, values } from '../../components/scope-fields';
import { FieldError, WorkspaceShell, when } from './shell';
import { TableHead } from '../../components/table-head';

/** A secret shown once, right after it was made: copy it now, it is never shown again. */
export interface RevealedSecret {
  kind: 'api-key' | 'webhook-secret';
  label: string;
  value: string;
}

export function IntegrationsPage({
  user,
  firmName,
  keys,
  webhooks,
  revealed,
  fields,
  errors,
  csrf,
  notice,
  publicUrl,
}: {
  user: SessionUser;
  firmName: string;
  keys: ApiKeyView[];
  webhooks: WebhookEndpointView[];
  revealed: RevealedSecret | null;
  fields: FormFields;
  errors: Record<string, string>;
  csrf: string;
  notice: string | null;
  publicUrl: string;
}) {
  const chosenEvents = new Set(
    fields.url === undefined ? WEBHOOK_EVENTS : values(fields, 'events'),
  );
  return (
    <WorkspaceShell
      user={user}
      firmName={firmName}
      section="integrations"
      title="Integrations"
      lead="Bring leads into your CRM: a CSV export, an API key for the leads API, and signed webhooks when something happens."
      csrf={csrf}
      notice={notice}
      errors={errors}
    >
      {revealed ? (
        <div class="card notice" role="status">
          <h2>
            {revealed.kind === 'api-key' ? 'Your new API key' : 'Your webhook signing secret'}
          </h2>
          <p>
            Copy it now: it is shown only this once and stored{' '}
            {revealed.kind === 'api-key' ? 'only as a hash' : 'encrypted'}. ({revealed.label})
          </p>
          <p>
            <label for="revealed-secret">
              {revealed.kind === 'api-key' ? 'API key' : 'Signing secret'}
            </label>
            <input id="revealed-secret" type="text" readOnly size={70} value={revealed.value} />
          </p>
        </div>
      ) : null}

      <h2>CSV export</h2>
      <p>
        <a href="/firm/leads.csv" download>
          Download all leads as CSV
        </a>{' '}
        — a lead carries the buyer's contact only once the buyer has booked a call with you or
        shared its details with you; each download is recorded.
      </p>

      <h2>API keys</h2>
      <p>
        <code>GET {publicUrl}/api/v1/leads</code> with the header{' '}
        <code>Authorization: Bearer &lt;key&gt;</code> returns your leads as JSON (see the{' '}
        <a href="/api/docs">API description</a>).
      </p>
      {keys.length > 0 ? (
        <table>
          <caption class="visually-hidden">Your API keys</caption>
          <TableHead columns={['Key', 'Created', 'Last used', 'Status']} />
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <th scope="row">{k.label}</th>
                <td>{when(k.createdAt)}</td>
                <td>{when(k.lastUsedAt)}</td>
                <td>
                  {k.revokedAt ? (
                    `Revoked ${when(k.revokedAt)}`
                  ) : (
                    <form method="post" action={`/firm/integrations/keys/${k.id}/revoke`}>
                      <input type="hidden" name="_csrf" value={csrf} />
                      <button
                        class="button button-small button-danger"
                        type="submit"
                        aria-label={`Revoke the key ${k.label}`}
                      >
                        Revoke
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No API keys yet.</p>
      )}
      <form method="post" action="/firm/integrations/keys" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <TextField
          name="label"
          label="Name for a new key"
          fields={fields}
          errors={errors}
          hint='Where it will be used, e.g. "CRM sync".'
        />
        <button class="button" type="submit">
          Create an API key
        </button>
      </form>

      <h2>Webhooks</h2>
      <p>
        We POST a JSON event to your https address, signed per Standard Webhooks: headers{' '}
        <code>webhook-id</code>, <code>webhook-timestamp</code> and <code>webhook-signature</code>{' '}
        (HMAC-SHA256 with your secret). Events carry no buyer contact; once the buyer books a call
        with you or shares its details, fetch them through the API. Failed deliveries are retried
        with backoff.
      </p>
      {webhooks.length > 0 ? (
        <table>
          <caption class="visually-hidden">Your webhook endpoints</caption>
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Events</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((w) => (
              <tr key={w.id}>
                <th scope="row">{w.url}</th>
                <td>
                  {w.events.map((e) => WEBHOOK_EVENT_LABELS[e as WebhookEvent] ?? e).join(', ')}
                </td>
                <td>
                  <form method="post" action={`/firm/integrations/webhooks/${w.id}/remove`}>
                    <input type="hidden" name="_csrf" value={csrf} />
                    <button
                      class="button button-small button-danger"
                      type="submit"
                      aria-label={`Remove the webhook to ${w.url}`}
                    >
                      Remove
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No webhook endpoints yet.</p>
      )}
      <form method="post" action="/firm/integrations/webhooks" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <TextField
          name="url"
          label="Endpoint address"
          type="url"
          fields={fields}
          errors={errors}
          hint="https:// only."
        />
        <fieldset id="f-events">
          <legend>Events to send</legend>
          {WEBHOOK_EVENTS.map((e) => (
            <p class="check" key={e}>
              <input
                type="checkbox"
                id={`f-events-${e}`}
                name="events"
                value={e}
                checked={chosenEvents.has(e)}
              />{' '}
              <label for={`f-events-${e}`}>
                {WEBHOOK_EVENT_LABELS[e]} (<code>{e}</code>)
              </label>
            </p>
          ))}
          <FieldError name="events" errors={errors} />
        </fieldset>
        <button class="button" type="submit">
          Add the webhook
        </button>
      </form>
    </WorkspaceShell>
  );
}
