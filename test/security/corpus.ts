/**
 * The hostile corpus of docs/quality.md ("Bad input"): values that have broken web applications
 * before. Field values are substituted into otherwise valid requests; raw bodies and raw query
 * strings go on the wire as they are, bytes and all.
 */

export const CATEGORIES = [
  'script',
  'sql',
  'oversize',
  'deep-json',
  'content-type',
  'invalid-utf8',
  'control',
  'bidi',
  'emoji',
  'long',
  'huge-number',
  'duplicate',
  'missing',
  'extra',
  'wrong-type',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** The payloads whose raw appearance in a response would be a reflected XSS. */
export const SCRIPT_TAG = '<script>alert(1)</script>';
export const IMG_ONERROR = '"><img src=x onerror=alert(1)>';
export const JS_URL = 'javascript:alert(1)';

/** A number written into JSON text as it is: JSON.stringify cannot write 9007199254740993. */
export class RawNumber {
  constructor(readonly literal: string) {}
}

export interface HostileValue {
  category: Category;
  label: string;
  value: unknown;
}

const LONG = 'a'.repeat(100_000);

/** Values for one field of a JSON body or a form (form encodings send their String() form). */
export const FIELD_VALUES: HostileValue[] = [
  { category: 'script', label: 'script tag', value: SCRIPT_TAG },
  { category: 'script', label: 'img onerror', value: IMG_ONERROR },
  { category: 'script', label: 'javascript: url', value: JS_URL },
  { category: 'sql', label: "' OR 1=1 --", value: "' OR 1=1 --" },
  { category: 'sql', label: 'DROP TABLE', value: '1; DROP TABLE firms' },
  { category: 'control', label: 'NUL', value: 'soc2\u0000' },
  { category: 'control', label: 'BEL', value: 'Robin\u0007 Buyer' },
  { category: 'control', label: 'CRLF header injection', value: 'x\r\nSet-Cookie: pwned=1' },
  { category: 'bidi', label: 'right-to-left override', value: 'Robin \u202Eetihw\u202C Buyer' },
  { category: 'bidi', label: 'left-to-right isolate', value: 'Robin \u2066etihw\u2069 Buyer' },
  { category: 'control', label: 'lone CR', value: 'Robin\rURL:https://evil.example/' },
  { category: 'control', label: 'LF', value: 'Robin\nBcc: victim@evil.example' },
  { category: 'emoji', label: 'emoji', value: 'Robin 🤖🔐👩🏽‍💻 Buyer' },
  { category: 'invalid-utf8', label: 'lone surrogate', value: 'Robin \uD800 Buyer' },
  { category: 'long', label: '100k characters', value: LONG },
  { category: 'huge-number', label: '1e308', value: 1e308 },
  { category: 'huge-number', label: '-1', value: -1 },
  { category: 'huge-number', label: '2^53+1', value: new RawNumber('9007199254740993') },
  { category: 'huge-number', label: '1e999 (Infinity)', value: new RawNumber('1e999') },
  { category: 'huge-number', label: "'NaN'", value: 'NaN' },
  { category: 'huge-number', label: "'1e308'", value: '1e308' },
  { category: 'wrong-type', label: 'null', value: null },
  { category: 'wrong-type', label: 'array', value: ['soc2', 'iso27001'] },
  { category: 'wrong-type', label: 'object', value: { $gt: '' } },
  { category: 'wrong-type', label: 'boolean', value: true },
  { category: 'wrong-type', label: 'prototype key', value: '__proto__' },
  { category: 'wrong-type', label: 'inherited key', value: 'constructor' },
  { category: 'wrong-type', label: 'empty string', value: '' },
  { category: 'deep-json', label: 'nested arrays', value: nestedArrays(200) },
];

/** Query-string values, already percent-encoded as they go on the wire (the encoding is the attack). */
export interface HostileQueryValue {
  category: Category;
  label: string;
  encoded: string;
}

/** Values sent both in query strings and as path parameters. */
const ON_THE_WIRE: HostileQueryValue[] = [
  { category: 'script', label: 'script tag', encoded: encodeURIComponent(SCRIPT_TAG) },
  { category: 'script', label: 'img onerror', encoded: encodeURIComponent(IMG_ONERROR) },
  { category: 'sql', label: "' OR 1=1 --", encoded: encodeURIComponent("' OR 1=1 --") },
  { category: 'sql', label: 'DROP TABLE', encoded: encodeURIComponent('1; DROP TABLE firms') },
  { category: 'invalid-utf8', label: '%C3%28', encoded: '%C3%28' },
  { category: 'bidi', label: 'RLO', encoded: encodeURIComponent('\u202Eevil') },
  { category: 'long', label: '100k characters', encoded: LONG },
];

export const QUERY_VALUES: HostileQueryValue[] = [
  ...ON_THE_WIRE,
  { category: 'script', label: 'javascript: url', encoded: encodeURIComponent(JS_URL) },
  { category: 'invalid-utf8', label: '%FF', encoded: '%FF%FE' },
  { category: 'invalid-utf8', label: 'broken escape', encoded: '%E0%A4%A' },
  { category: 'control', label: 'NUL', encoded: 'soc2%00' },
  { category: 'control', label: 'CRLF', encoded: 'x%0D%0ASet-Cookie:%20pwned=1' },
  { category: 'control', label: 'BEL', encoded: '%07' },
  { category: 'emoji', label: 'emoji', encoded: encodeURIComponent('🤖🔐👩🏽‍💻') },
  { category: 'huge-number', label: '1e308', encoded: '1e308' },
  { category: 'huge-number', label: '-1', encoded: '-1' },
  { category: 'huge-number', label: '2^53+1', encoded: '9007199254740993' },
  { category: 'huge-number', label: 'NaN', encoded: 'NaN' },
  { category: 'huge-number', label: 'Infinity', encoded: 'Infinity' },
  { category: 'wrong-type', label: 'bracket object', encoded: '%5B%5D' },
  { category: 'wrong-type', label: 'prototype key', encoded: '__proto__' },
  { category: 'wrong-type', label: 'inherited key', encoded: 'constructor' },
  { category: 'wrong-type', label: 'empty', encoded: '' },
];

/**
 * Whole raw query strings (after "?"), not tied to one field: duplicates, prototype pollution,
 * array syntax, bare keys and broken escapes in the names themselves.
 */
export function rawQueryStrings(
  fields: readonly string[],
): { category: Category; label: string; query: string }[] {
  const a = fields[0] ?? 'q';
  const b = fields[1] ?? a;
  return [
    { category: 'duplicate', label: `${a} twice`, query: `${a}=1&${a}=2` },
    {
      category: 'duplicate',
      label: 'every field twice',
      query: fields.flatMap((f) => [`${f}=1`, `${f}=2`]).join('&'),
    },
    { category: 'wrong-type', label: 'array syntax', query: `${a}[]=1&${b}[x]=2` },
    {
      category: 'wrong-type',
      label: 'prototype pollution',
      query: '__proto__[admin]=1&constructor[prototype][admin]=1',
    },
    { category: 'invalid-utf8', label: 'broken escape in a name', query: `%C3%28=1&${a}%FF=2` },
    { category: 'missing', label: 'bare keys', query: fields.join('&') || 'q' },
    {
      category: 'extra',
      label: 'unknown field',
      query: `${a}=1&zzz_unknown=${encodeURIComponent(SCRIPT_TAG)}`,
    },
    {
      category: 'long',
      label: 'many parameters',
      query: Array.from({ length: 2000 }, (_, i) => `p${i}=${i}`).join('&'),
    },
    {
      category: 'script',
      label: 'script tag as a name',
      query: `${encodeURIComponent(SCRIPT_TAG)}=1`,
    },
  ];
}

/** Path parameter values, percent-encoded as they go on the wire. */
export const PATH_VALUES: HostileQueryValue[] = [
  ...ON_THE_WIRE,
  { category: 'invalid-utf8', label: '%FF', encoded: '%FF' },
  { category: 'control', label: 'NUL', encoded: 'a%00b' },
  { category: 'control', label: 'CRLF', encoded: 'a%0D%0ASet-Cookie:%20pwned=1' },
  { category: 'emoji', label: 'emoji', encoded: encodeURIComponent('🤖🔐') },
  { category: 'long', label: 'just over the parameter limit', encoded: 'a'.repeat(201) },
  { category: 'huge-number', label: '2^53+1', encoded: '9007199254740993' },
  { category: 'huge-number', label: '-1', encoded: '-1' },
  { category: 'wrong-type', label: 'prototype key', encoded: '__proto__' },
  { category: 'wrong-type', label: 'dot segments', encoded: '..%2F..%2Fetc%2Fpasswd' },
  {
    category: 'wrong-type',
    label: 'signed-token shape',
    encoded: 'eyJiIjoiMSIsImV4cCI6OTk5OTk5OTk5OX0.AAAA',
  },
];

export interface RawBody {
  category: Category;
  label: string;
  contentType: string | undefined;
  payload: string | Buffer;
}

function nestedArrays(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

const MB2 = 2 * 1024 * 1024;

/** Bodies sent as they are, whatever the route expects. */
export const RAW_BODIES: RawBody[] = [
  {
    category: 'oversize',
    label: '2 MB of JSON',
    contentType: 'application/json',
    payload: `{"name":"${'a'.repeat(MB2)}"}`,
  },
  {
    category: 'oversize',
    label: '2 MB form',
    contentType: 'application/x-www-form-urlencoded',
    payload: `name=${'a'.repeat(MB2)}`,
  },
  {
    category: 'deep-json',
    label: '10,000 nested arrays',
    contentType: 'application/json',
    payload: `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
  },
  {
    category: 'deep-json',
    label: '10,000 nested objects in a field',
    contentType: 'application/json',
    payload: `{"name":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`,
  },
  {
    category: 'content-type',
    label: 'text/plain',
    contentType: 'text/plain',
    payload: 'name=Robin&email=r@example.com',
  },
  {
    category: 'content-type',
    label: 'application/xml',
    contentType: 'application/xml',
    payload:
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  },
  {
    category: 'content-type',
    label: 'multipart',
    contentType: 'multipart/form-data; boundary=XyZ',
    payload: '--XyZ\r\nContent-Disposition: form-data; name="name"\r\n\r\nRobin\r\n--XyZ--\r\n',
  },
  {
    category: 'content-type',
    label: 'no content type',
    contentType: undefined,
    payload: '{"name":"Robin"}',
  },
  {
    category: 'content-type',
    label: 'JSON with a charset from nowhere',
    contentType: 'application/json; charset=utf-7',
    payload: '{"name":"+ADw-script+AD4-"}',
  },
  {
    category: 'content-type',
    label: 'malformed JSON',
    contentType: 'application/json',
    payload: '{"name": "Robin",',
  },
  {
    category: 'content-type',
    label: 'empty JSON body',
    contentType: 'application/json',
    payload: '',
  },
  {
    category: 'invalid-utf8',
    label: 'raw 0xFF bytes in JSON',
    contentType: 'application/json',
    payload: Buffer.concat([
      Buffer.from('{"name":"'),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
      Buffer.from('"}'),
    ]),
  },
  {
    category: 'invalid-utf8',
    label: 'raw 0xFF bytes in a form',
    contentType: 'application/x-www-form-urlencoded',
    payload: Buffer.concat([
      Buffer.from('name='),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('&email=%C3%28'),
    ]),
  },
  { category: 'wrong-type', label: 'JSON null', contentType: 'application/json', payload: 'null' },
  {
    category: 'wrong-type',
    label: 'JSON array',
    contentType: 'application/json',
    payload: '[1,2,3]',
  },
  {
    category: 'wrong-type',
    label: 'JSON string',
    contentType: 'application/json',
    payload: '"<script>alert(1)</script>"',
  },
  {
    category: 'wrong-type',
    label: 'JSON number',
    contentType: 'application/json',
    payload: '1e308',
  },
  {
    category: 'extra',
    label: 'prototype pollution',
    contentType: 'application/json',
    payload: '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}',
  },
  {
    category: 'duplicate',
    label: 'duplicated JSON keys',
    contentType: 'application/json',
    payload: '{"name":"a","name":"b"}',
  },
  {
    category: 'missing',
    label: 'empty JSON object',
    contentType: 'application/json',
    payload: '{}',
  },
  {
    category: 'missing',
    label: 'empty form',
    contentType: 'application/x-www-form-urlencoded',
    payload: '',
  },
];

/** JSON text for a value that may hold RawNumber literals. */
export function toJson(value: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(value, (_key, v) => {
    if (v instanceof RawNumber) {
      marks.push(v.literal);
      return `\u0000raw${marks.length - 1}\u0000`;
    }
    return v;
  });
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)] ?? 'null');
}

/** The form-encoded text of one value: what a browser (or a script) would put on the wire. */
function formValue(value: unknown): string[] {
  if (value === null || value === undefined) return [''];
  if (value instanceof RawNumber) return [value.literal];
  if (Array.isArray(value)) return value.flatMap((v) => formValue(v));
  if (typeof value === 'object') return [JSON.stringify(value)];
  return [String(value)];
}

/** Flat form fields (repeated names for lists) from a flat or nested body. */
export function toForm(body: Record<string, unknown>): string {
  const params = new URLSearchParams();
  const walk = (prefix: string, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawNumber)) {
      for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
      return;
    }
    for (const s of formValue(v)) params.append(prefix, s);
  };
  walk('', body);
  return params.toString();
}

/** Leaf paths of a body ("scope.frameworks.0.framework"), lists counted as leaves and walked. */
export function leafPaths(body: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(body)) {
    const inner = body.flatMap((v, i) => leafPaths(v, [...prefix, i]));
    return prefix.length ? [prefix, ...inner] : inner;
  }
  if (body && typeof body === 'object') {
    const inner = Object.entries(body).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
    return prefix.length ? [prefix, ...inner] : inner;
  }
  return prefix.length ? [prefix] : [];
}

/** A deep copy of `body` with the value at `path` replaced (or removed when value is `REMOVE`). */
export const REMOVE = Symbol('remove');
export function withValue(body: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(body)) {
    const copy = body.slice();
    if (rest.length === 0 && value === REMOVE) copy.splice(Number(head), 1);
    else copy[Number(head)] = withValue(copy[Number(head)], rest, value);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (rest.length === 0 && value === REMOVE) delete copy[String(head)];
  else copy[String(head)] = withValue(copy[String(head)], rest, value);
  return copy;
}

/** The payloads of this corpus as they appear when a page reflects them without escaping. */
export function unescapedPayloads(body: string): string[] {
  const found: string[] = [];
  if (body.includes(SCRIPT_TAG)) found.push(SCRIPT_TAG);
  if (body.includes('<img src=x onerror=alert(1)>')) found.push('<img src=x onerror=alert(1)>');
  if (/(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i.test(body))
    found.push('javascript: URL');
  return found;
}

/** Text that would break a line or turn its direction where people read it. */
export const LINE_BREAKS = {
  LF: 'Robin\nBcc: victim@evil.example',
  CRLF: 'Robin\r\nLOCATION:Evil street',
  'lone CR': 'Robin\rURL:https://evil.example/',
} as const;
export const DIRECTION = {
  'U+202E override': 'Robin \u202Eexe.txt\u202C Buyer',
  'U+2066 isolate': 'Robin \u2066gnp.exe\u2069 Buyer',
} as const;
