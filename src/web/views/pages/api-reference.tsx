import { PageHeader } from '../layout';

/**
 * The API reference, read from the app's own OpenAPI document (generated from the Zod schemas
 * that validate each call) and rendered on the server: no script, no CDN, printable.
 */

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  description?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  $ref?: string;
};

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    description?: string;
    schema?: Schema;
  }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<
    string,
    { description?: string; content?: Record<string, { schema?: Schema }> }
  >;
}

export interface OpenApiDocument {
  info: { title: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface WebhookEventDoc {
  type: string;
  when: string;
  example: Record<string, unknown>;
}

function typeOf(s: Schema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.map(typeOf).join(' or ');
  const t = Array.isArray(s.type)
    ? s.type.filter((x) => x !== 'null').join(' | ') + (s.type.includes('null') ? ' or null' : '')
    : (s.type ?? 'value');
  if (t === 'array' && s.items) return `list of ${typeOf(s.items)}`;
  return s.format ? `${t} (${s.format})` : t;
}

function Fields({ schema, depth = 0 }: { schema: Schema; depth?: number }) {
  const props = schema.properties ?? schema.items?.properties;
  if (!props || depth > 3) return null;
  const required = new Set(schema.required ?? schema.items?.required ?? []);
  return (
    <ul class="fields">
      {Object.entries(props).map(([name, s]) => (
        <li key={name}>
          <code>{name}</code>{' '}
          <span class="muted">
            {typeOf(s)}
            {required.has(name) ? '' : ', optional'}
          </span>
          {s.description ? ` — ${s.description}` : ''}
          <Fields schema={s} depth={depth + 1} />
        </li>
      ))}
    </ul>
  );
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function ApiReferencePage({
  doc,
  events,
}: {
  doc: OpenApiDocument;
  events: WebhookEventDoc[];
}) {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ path, method, op, tag: op.tags?.[0] ?? 'other' })),
  );
  const tags = [...new Set(operations.map((o) => o.tag))];
  return (
    <>
      <PageHeader title="API reference" lead={doc.info.description ?? doc.info.title} />
      <p>
        Every call takes and returns JSON; errors are problem details (RFC 9457) naming the field.
        The machine-readable description is at{' '}
        <a href="/api/docs/openapi.json">/api/docs/openapi.json</a>.
      </p>
      <nav aria-label="API sections">
        <ul>
          {tags.map((t) => (
            <li key={t}>
              <a href={`#tag-${t}`}>{t}</a>
            </li>
          ))}
          <li>
            <a href="#webhooks">webhooks</a>
          </li>
        </ul>
      </nav>
      {tags.map((tag) => (
        <section key={tag} aria-labelledby={`tag-${tag}`}>
          <h2 id={`tag-${tag}`}>{tag}</h2>
          {operations
            .filter((o) => o.tag === tag)
            .map(({ path, method, op }) => {
              const body = op.requestBody?.content?.['application/json']?.schema;
              const ok = Object.entries(op.responses ?? {}).find(([code]) => code.startsWith('2'));
              const okSchema = ok?.[1].content?.['application/json']?.schema;
              return (
                <article key={`${method} ${path}`} class="card operation">
                  <h3>
                    <code>
                      {method.toUpperCase()} /api/v1{path.replace(/^\/api\/v1/, '')}
                    </code>
                  </h3>
                  {op.summary ? <p>{op.summary}</p> : null}
                  {op.description ? <p class="muted">{op.description}</p> : null}
                  {op.parameters?.length ? (
                    <>
                      <h4>Parameters</h4>
                      <ul class="fields">
                        {op.parameters.map((p) => (
                          <li key={`${p.in}-${p.name}`}>
                            <code>{p.name}</code>{' '}
                            <span class="muted">
                              ({p.in}
                              {p.required ? ', required' : ''}) {p.schema ? typeOf(p.schema) : ''}
                            </span>
                            {p.description ? ` — ${p.description}` : ''}
                          </li>
                        ))}
                      </ul>
                    </>
                  ) : null}
                  {body ? (
                    <>
                      <h4>Body</h4>
                      <Fields schema={body} />
                    </>
                  ) : null}
                  {okSchema ? (
                    <>
                      <h4>Answer ({ok![0]})</h4>
                      <Fields schema={okSchema} />
                    </>
                  ) : null}
                  <p class="muted">Answers: {Object.keys(op.responses ?? {}).join(', ')}</p>
                </article>
              );
            })}
        </section>
      ))}
      <section aria-labelledby="webhooks">
        <h2 id="webhooks">Webhooks</h2>
        <p>
          A firm registers https endpoints in its workspace and chooses the events. Each delivery is
          signed as Standard Webhooks describe (headers <code>webhook-id</code>,{' '}
          <code>webhook-timestamp</code>, <code>webhook-signature</code>: HMAC-SHA256 of{' '}
          <code>id.timestamp.body</code> with the endpoint's secret), retried with backoff, and
          carries no buyer contact: a CRM reads that from <code>GET /api/v1/leads</code>, where each
          read is recorded.
        </p>
        {events.map((e) => (
          <article key={e.type} class="card">
            <h3>
              <code>{e.type}</code>
            </h3>
            <p>{e.when}</p>
            <pre>{JSON.stringify(e.example, null, 2)}</pre>
          </article>
        ))}
      </section>
    </>
  );
}
