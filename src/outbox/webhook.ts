import { createHmac, timingSafeEqual } from 'node:crypto';
import { lookup as dnsLookup, promises as dnsPromises, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Db } from '../db/client';
import type { Secrets } from '../services/secrets';

/**
 * Delivers signed webhooks (Standard Webhooks, https://www.standardwebhooks.com): headers
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`
 * = "v1," + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)), where the key is the
 * base64 part of the endpoint's "whsec_…" secret. A 2xx answer is success; anything else (or no
 * answer in time) fails the attempt, and the outbox retries with backoff, then dead-letters.
 */

/**
 * Addresses a webhook must never reach in production: anything but globally routable unicast.
 * The ranges come from a maintained library (ipaddr.js), not a hand-written list: loopback,
 * private, shared (100.64/10), link-local, benchmarking (198.18/15), IETF protocol assignments
 * (192.0.0/24), documentation, reserved (240/4), multicast, broadcast, unique-local, NAT64
 * (64:ff9b::/96), 6to4, Teredo and the rest. An IPv4 address written as IPv6 (`::ffff:7f00:1`)
 * is judged as the IPv4 address it is. A host name (not an address) is not judged here: its
 * resolved addresses are (`publicOnlyLookup`, `resolvesToPrivateAddress`).
 */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (!isIP(ip)) return false;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(ip);
  } catch {
    return true;
  }
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() !== 'unicast';
}

/**
 * Checked when an endpoint is registered: true when `hostname` is, or resolves to, any address
 * that is not public. A name that does not resolve (yet) passes here; each delivery checks again.
 */
export async function resolvesToPrivateAddress(hostname: string): Promise<boolean> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return isPrivateAddress(host);
  try {
    const addresses = await dnsPromises.lookup(host, { all: true, verbatim: true });
    return addresses.some((a) => isPrivateAddress(a.address));
  } catch {
    return false;
  }
}

/** What the outbox row holds: the endpoint (read at delivery, so a removed one is skipped), the stable id and the body. */
export interface WebhookMessage {
  endpointId: string;
  webhookId: string;
  body: string;
}

function secretKey(secret: string): Buffer {
  return Buffer.from(
    secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret,
    'base64',
  );
}

export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * What a receiver does: recompute the signature and compare in constant time, refusing stale
 * timestamps (replays). The header may list several space-separated signatures.
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string')
    return false;
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, id, ts, body));
  return signatures.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * DNS answers are checked at connect time, every one of them: a public name that resolves to a
 * private address, or to a mix (the DNS-rebinding trick), is refused.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 4);
    if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
      return callback(new Error(`${hostname} resolves to a private or reserved address`), '', 4);
    }
    if (options.all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

export interface WebhookSenderOptions {
  /** Outside production: allow loopback and private addresses, for a local test receiver. */
  allowPrivateAddresses: boolean;
  timeoutMs?: number;
  now?: () => Date;
}

function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: WebhookSenderOptions,
): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: options.timeoutMs ?? 10_000,
        ...(options.allowPrivateAddresses ? {} : { lookup: publicOnlyLookup }),
      },
      (response) => {
        // Only the status matters; the body is read and thrown away so the socket is freed.
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('the endpoint did not answer in time')));
    request.on('error', reject);
    request.end(body);
  });
}

export function webhookSender(db: Db, secrets: Secrets, options: WebhookSenderOptions) {
  const now = options.now ?? (() => new Date());
  return {
    async send(payload: string, _idempotencyKey: string): Promise<void> {
      const message = JSON.parse(payload) as WebhookMessage;
      const endpoint = await db.kysely
        .selectFrom('webhookEndpoints')
        .innerJoin('firms', 'firms.id', 'webhookEndpoints.firmId')
        .select([
          'webhookEndpoints.url',
          'webhookEndpoints.secretEnc',
          'webhookEndpoints.disabledAt',
          'firms.status as firmStatus',
        ])
        .where('webhookEndpoints.id', '=', message.endpointId)
        .executeTakeFirst();
      // The firm removed the endpoint after the event was queued, or was suspended since: a
      // suspended firm loses every door at once, its CRM feed included. Nothing to deliver.
      if (!endpoint || endpoint.disabledAt || endpoint.firmStatus !== 'active') return;
      const url = new URL(endpoint.url);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (
        !options.allowPrivateAddresses &&
        (url.protocol !== 'https:' || (isIP(host) && isPrivateAddress(host)))
      ) {
        throw new Error('webhook endpoint is not a public https address');
      }
      const timestamp = Math.floor(now().getTime() / 1000);
      const status = await post(
        url,
        {
          'content-type': 'application/json',
          'user-agent': 'Auditmatch-Webhooks/1',
          'webhook-id': message.webhookId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(
            secrets.decrypt(endpoint.secretEnc),
            message.webhookId,
            timestamp,
            message.body,
          ),
        },
        message.body,
        options,
      );
      if (status < 200 || status > 299) throw new Error(`webhook endpoint answered HTTP ${status}`);
    },
  };
}
