import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { hasUnsafeText } from '../../src/domain/text';
import { formSession, useApp } from '../helpers/app';
import { describeEachEngine } from '../helpers/databases';
import { DIRECTION, LINE_BREAKS, leafPaths, toForm, toJson, withValue } from '../security/corpus';
import {
  allTableNames,
  baseBody,
  cookies,
  credentialsFor,
  type Fixtures,
  type PageForm,
  plausiblePath,
  type RouteEntry,
  STATE_CHANGING,
  surveyApp,
} from '../security/routes';

/**
 * Text that other people read, through every form and API body: line breaks where a field is one
 * line, and text-direction overrides anywhere, are refused, and nothing of them is stored.
 */

const HOSTILE: Record<string, string> = { ...LINE_BREAKS, ...DIRECTION };

/** Single-line text columns that must never hold a line break, as stored (decrypted where sealed). */
const ONE_LINE_COLUMNS: Record<string, string[]> = {
  quote_requests: ['contact_name_enc', 'company_enc', 'phone_enc'],
  firms: ['name'],
  users: ['name'],
  credentials: ['issuer', 'identifier'],
  api_keys: ['label'],
};

describeEachEngine('text others read, through every form and API body', (t) => {
  let app: FastifyInstance;
  let routes: RouteEntry[];
  let fixtures: Fixtures;
  let forms = new Map<string, PageForm[]>();
  let session: { token: string; cookie: string };

  useApp(t, (built) => (app = built), { config: { rateLimitMultiplier: 100_000 } });
  beforeAll(async () => {
    ({ routes, fixtures, forms } = await surveyApp(app));
    session = await formSession(app, '/sign-in');
  });

  it('stores no line break in a one-line field and no direction character anywhere', async () => {
    let sent = 0;
    for (const route of routes.filter((r) => STATE_CHANGING.has(r.method))) {
      const path = plausiblePath(route, fixtures, forms);
      const base = baseBody(route, path, forms);
      const auth = credentialsFor(route, fixtures);
      for (const field of leafPaths(base)) {
        if (field.at(-1) === '_csrf') continue;
        for (const [label, value] of Object.entries(HOSTILE)) {
          const body = withValue(base, field, value) as Record<string, unknown>;
          const headers: Record<string, string> = {};
          const cookie = cookies(route.api ? undefined : session.cookie, auth.cookie);
          if (cookie) headers.cookie = cookie;
          if (auth.authorization) headers.authorization = auth.authorization;
          let payload: string;
          if (route.api) {
            headers['content-type'] = 'application/json';
            payload = toJson(body);
          } else {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            payload = toForm({ ...body, _csrf: session.token });
          }
          const res = await app.inject({ method: route.method, url: path, headers, payload });
          sent++;
          expect(
            res.statusCode,
            `${route.method} ${route.url} ${field.join('.')} = ${label}`,
          ).toBeLessThan(500);
        }
      }
    }
    expect(sent).toBeGreaterThan(200);
    // A direction character may only pass where the value is not kept as text (an id, a choice).
    const stored = await storedText(app);
    expect(
      stored.filter((s) => hasUnsafeText(s.value, { multiline: true })).map((s) => s.where),
    ).toEqual([]);
    expect(stored.filter((s) => s.value.includes('\r')).map((s) => s.where)).toEqual([]);
    expect(stored.filter((s) => s.oneLine && hasUnsafeText(s.value)).map((s) => s.where)).toEqual(
      [],
    );
  }, 600_000);
});

/** Every text value in the database, sealed ones opened, with whether its column is one line. */
async function storedText(
  app: FastifyInstance,
): Promise<{ where: string; value: string; oneLine: boolean }[]> {
  const { db, secrets } = app.ctx;
  const out: { where: string; value: string; oneLine: boolean }[] = [];
  for (const name of await allTableNames(app)) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(
      db.kysely,
    );
    for (const row of rows.rows) {
      for (const [column, raw] of Object.entries(row)) {
        if (typeof raw !== 'string') continue;
        const snake = column.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        let value = raw;
        if (/_enc$/.test(snake) || (name === 'outbox' && column === 'payload')) {
          try {
            value = secrets.decrypt(raw);
          } catch {
            continue;
          }
        }
        // Email bodies and calendar files are multi-line by nature; their headers are checked above.
        if (name === 'outbox') {
          try {
            const email = JSON.parse(value) as { subject?: string };
            if (typeof email.subject === 'string')
              out.push({ where: `outbox.subject`, value: email.subject, oneLine: true });
          } catch {}
          continue;
        }
        out.push({
          where: `${name}.${snake}: ${JSON.stringify(value).slice(0, 60)}`,
          value,
          oneLine: ONE_LINE_COLUMNS[name]?.includes(snake) ?? false,
        });
      }
    }
  }
  return out;
}
