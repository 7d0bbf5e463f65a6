import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/**
 * The one configuration of the service, read from environment variables and validated once.
 * A bad value stops start-up with a single line naming the variable (see ConfigError).
 */
const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

const urlWithProtocols = (protocols: string[]) =>
  z.url().refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), {
    message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
  });

const EnvSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyToUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(emptyToUndefined, z.string().min(1).default('127.0.0.1')),
  PUBLIC_URL: z.preprocess(emptyToUndefined, urlWithProtocols(['http', 'https']).optional()),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().min(1).default('./data')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    urlWithProtocols(['postgres', 'postgresql']).optional(),
  ),
  SMTP_URL: z.preprocess(emptyToUndefined, urlWithProtocols(['smtp', 'smtps']).optional()),
  APP_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  ENCRYPTION_KEY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)')
      .optional(),
  ),
  ENCRYPTION_KEY_PREVIOUS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(
        /^[0-9a-f]{64}(,[0-9a-f]{64})*$/i,
        'must be 64 hex characters, comma-separated for several',
      )
      .optional(),
  ),
  REDIS_URL: z.preprocess(emptyToUndefined, urlWithProtocols(['redis', 'rediss']).optional()),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  ),
  MAIL_FROM: z.preprocess(
    emptyToUndefined,
    z.string().min(3).default('Auditmatch <hello@auditmatch.local>'),
  ),
  RESPONSE_WINDOW_BUSINESS_DAYS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(20).default(2),
  ),
  RETENTION_DAYS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(3650).default(365),
  ),
  TRUST_PROXY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('false')
      .transform((v, ctx): TrustProxy => {
        const value = v.trim();
        if (value === 'false' || value === '0') return false;
        if (value === 'true') {
          ctx.addIssue({
            code: 'custom',
            message:
              'must not be true: that takes the left-most X-Forwarded-For entry, which any client writes; give the number of proxies in front (1 behind one load balancer) or their addresses',
          });
          return z.NEVER;
        }
        if (/^\d+$/.test(value)) {
          const hops = Number(value);
          if (hops > 10) ctx.addIssue({ code: 'custom', message: 'must be at most 10 proxies' });
          return hops;
        }
        const list = value
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean);
        const bad = list.find((e) => !PROXY_NAMES.has(e) && !isAddressOrCidr(e));
        if (bad !== undefined || list.length === 0) {
          ctx.addIssue({
            code: 'custom',
            message: `must be false, a number of proxies, or a comma-separated list of proxy addresses or CIDR ranges${bad ? ` ("${bad.slice(0, 40)}" is neither)` : ''}`,
          });
          return z.NEVER;
        }
        return list;
      }),
  ),
  RATE_LIMIT_MULTIPLIER: z.preprocess(
    emptyToUndefined,
    z.coerce.number().positive().max(1_000_000).default(1),
  ),
  METRICS_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().min(24, 'must be at least 24 characters').optional(),
  ),
  OUTBOX_BACKOFF_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  ),
});

export type Env = z.infer<typeof EnvSchema>;

/**
 * Which peers may tell the client's address in X-Forwarded-For: none (false), the nearest
 * `n` hops, or the proxies at these addresses and ranges. The client address is then the
 * right-most entry not written by a trusted proxy, so a value the client put in the header
 * itself is never taken (docs/decisions/0015-client-address-behind-proxies.md).
 */
export type TrustProxy = false | number | string[];

/** Names proxy-addr (used by Fastify) knows for groups of ranges. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(value: string): boolean {
  try {
    if (value.includes('/')) ipaddr.parseCIDR(value);
    else ipaddr.parse(value);
    return ipaddr.isValid(value.split('/')[0] ?? '');
  } catch {
    return false;
  }
}

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  smtpUrl: string | undefined;
  appSecret: string;
  encryptionKey: string | undefined;
  /** Keys that still decrypt older contact fields during a rotation. */
  previousEncryptionKeys: string[];
  redisUrl: string | undefined;
  logLevel: NonNullable<Env['LOG_LEVEL']>;
  mailFrom: string;
  responseWindowBusinessDays: number;
  retentionDays: number;
  /** See TrustProxy. */
  trustProxy: TrustProxy;
  /** Scales every per-route rate limit (load tests raise it; 1 in production). */
  rateLimitMultiplier: number;
  /** Bearer token for /metrics; without it, metrics are off in production. */
  metricsToken: string | undefined;
  /** First retry delay of a failed outbox message; doubles with each attempt, capped at 1 hour. */
  outboxBackoffMs: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
  }
}

/** Reads the secret kept in the data folder, creating it on first use (development and test only). */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'app-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const secret = randomBytes(32).toString('hex');
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const value = env[variable];
    throw new ConfigError(
      variable,
      `${issue.message}${value === undefined ? '' : ` (got "${value.slice(0, 40)}")`}`,
    );
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.APP_SECRET) {
    throw new ConfigError('APP_SECRET', 'is required in production (at least 32 characters)');
  }
  if (e.NODE_ENV === 'production' && !e.SMTP_URL) {
    throw new ConfigError('SMTP_URL', 'is required in production (smtp://user:pass@host:587)');
  }
  const dataDir = resolve(e.DATA_DIR);
  const appSecret = e.APP_SECRET ?? developmentSecret(dataDir);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', file: join(dataDir, 'auditmatch.sqlite') },
    smtpUrl: e.SMTP_URL,
    appSecret,
    encryptionKey: e.ENCRYPTION_KEY,
    previousEncryptionKeys: e.ENCRYPTION_KEY_PREVIOUS ? e.ENCRYPTION_KEY_PREVIOUS.split(',') : [],
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    mailFrom: e.MAIL_FROM,
    responseWindowBusinessDays: e.RESPONSE_WINDOW_BUSINESS_DAYS,
    retentionDays: e.RETENTION_DAYS,
    trustProxy: e.TRUST_PROXY,
    rateLimitMultiplier: e.RATE_LIMIT_MULTIPLIER,
    outboxBackoffMs: e.OUTBOX_BACKOFF_MS,
    metricsToken: e.METRICS_TOKEN,
  };
}
