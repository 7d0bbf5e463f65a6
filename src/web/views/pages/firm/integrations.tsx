import type { ApiKeyView, WebhookEndpointView } from '../../../../services/firm/integrations';
import {
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENTS,
  type WebhookEvent,
} from '../../../../services/firm/schemas';
import { many } from '../../../forms/fields';
import { RecordTable } from '../../components/record-table';
import { CheckGroup, Field, type FieldSpec, type FormState } from '../../components/form-fields';
import { Notice } from '../../components/notices';
import { ButtonForm, PostForm, Submit } from '../../components/post-form';
import { WorkspaceShell, type WorkspacePageProps } from './shell';
import { when } from '../../components/when';

/** What a new key is called by, and where a new webhook is sent. */
const KEY_LABEL: FieldSpec = {
  name: 'label',
  label: 'Name for a new key',
  hint: 'Where it will be used, e.g. "CRM sync".',
};
const WEBHOOK_URL: FieldSpec = {
  name: 'url',
  label: 'Endpoint address',
  type: 'url',
  hint: 'https:// only.',
};

/** A secret shown once, right after it was made: copy it now, it is never shown again. */
export interface RevealedSecret {
  kind: 'api-key' | 'webhook-secret';
  label: string;
  value: string;
}

export function IntegrationsPage({
  keys,
  webhooks,
  revealed,
  fields,
  errors,
  publicUrl,
  ...page
}: WorkspacePageProps &
  FormState & {
    keys: ApiKeyView[];
    webhooks: WebhookEndpointView[];
    revealed: RevealedSecret | null;
    publicUrl: string;
  }) {
  const { csrf } = page;
  const form = { fields, errors };
  /** Revokes or removes the record of its row; `label` names the record for screen readers. */
  const dangerButton = (action: string, text: string, label: string) => (
    <ButtonForm action={action} csrf={csrf} kind="small-danger" label={label}>
      {text}
    </ButtonForm>
  );
  return (
    <WorkspaceShell
      {...page}
      errors={errors}
      section="integrations"
      title="Integrations"
      lead="Bring leads into your CRM: a CSV export, an API key for the leads API, and signed webhooks when something happens."
    >
      {revealed ? <Revealed secret={revealed} /> : null}

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
      <RecordTable
        caption="Your API keys"
        columns={['Key', 'Created', 'Last used', 'Status']}
        rows={keys}
        empty="No API keys yet."
        row={(k) => (
          <tr key={k.id}>
            <th scope="row">{k.label}</th>
            <td>{when(k.createdAt)}</td>
            <td>{when(k.lastUsedAt)}</td>
            <td>
              {k.revokedAt
                ? `Revoked ${when(k.revokedAt)}`
                : dangerButton(
                    `/firm/integrations/keys/${k.id}/revoke`,
                    'Revoke',
                    `Revoke the key ${k.label}`,
                  )}
            </td>
          </tr>
        )}
      />
      <PostForm action="/firm/integrations/keys" csrf={csrf} novalidate>
        <Field form={form} spec={KEY_LABEL} />
        <Submit>Create an API key</Submit>
      </PostForm>

      <h2>Webhooks</h2>
      <p>
        We POST a JSON event to your https address, signed per Standard Webhooks: headers{' '}
        <code>webhook-id</code>, <code>webhook-timestamp</code> and <code>webhook-signature</code>{' '}
        (HMAC-SHA256 with your secret). Events carry no buyer contact; once the buyer books a call
        with you or shares its details, fetch them through the API. Failed deliveries are retried
        with backoff.
      </p>
      <RecordTable
        caption="Your webhook endpoints"
        columns={['Address', 'Events']}
        actions
        rows={webhooks}
        empty="No webhook endpoints yet."
        row={(w) => (
          <tr key={w.id}>
            <th scope="row">{w.url}</th>
            <td>{w.events.map((e) => WEBHOOK_EVENT_LABELS[e as WebhookEvent] ?? e).join(', ')}</td>
            <td>
              {dangerButton(
                `/firm/integrations/webhooks/${w.id}/remove`,
                'Remove',
                `Remove the webhook to ${w.url}`,
              )}
            </td>
          </tr>
        )}
      />
      <PostForm action="/firm/integrations/webhooks" csrf={csrf} novalidate>
        <Field form={form} spec={WEBHOOK_URL} />
        <CheckGroup
          name="events"
          legend="Events to send"
          options={WEBHOOK_EVENTS.map((e) => ({
            value: e,
            label: (
              <>
                {WEBHOOK_EVENT_LABELS[e]} (<code>{e}</code>)
              </>
            ),
          }))}
          // A new endpoint gets every event unless the member unticks some.
          chosen={fields.url === undefined ? WEBHOOK_EVENTS : many(fields, 'events')}
          errors={errors}
        />
        <Submit>Add the webhook</Submit>
      </PostForm>
    </WorkspaceShell>
  );
}

/** A secret shown the one time it can be: right after it was made. */
function Revealed({ secret }: { secret: RevealedSecret }) {
  const key = secret.kind === 'api-key';
  return (
    <Notice>
      <h2>{key ? 'Your new API key' : 'Your webhook signing secret'}</h2>
      <p>
        Copy it now: it is shown only this once and stored {key ? 'only as a hash' : 'encrypted'}. (
        {secret.label})
      </p>
      <p>
        <label for="revealed-secret">{key ? 'API key' : 'Signing secret'}</label>
        <input id="revealed-secret" type="text" readOnly size={70} value={secret.value} />
      </p>
    </Notice>
  );
}
