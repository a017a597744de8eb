// Requests for one operation of the served OpenAPI document: path and query values, headers and
// bodies drawn from its schemas, mixed with junk (wrong types, missing and extra members, edge
// strings and numbers, bad percent-encoding, undeclared methods, wrong content types, malformed or
// deep JSON, huge strings).
import fc from 'fast-check';
import {
  edgeNumber, edgeString, fromSchema, heavyJunk, hugeString, jsonText, junkJson, oneIn, percentEncode, RawJson, urlValue, validUrlValue,
  BAD_ENCODINGS, DEEP, type Known, type Schema,
} from './arbitraries.ts';
import { FuzzRequest } from './wire.ts';

export interface Operation {
  path: string;
  method: string;
  op: any;
  dialect: 'slashid' | 'vault';
  /** The security requirement objects of the operation (any one of them suffices). */
  security: Record<string, string[]>[];
  /** Every method the path declares (upper case). */
  pathMethods: string[];
}

export interface Credentials { orgId: string; orgKey: string; userKey: string }

// Methods a path may not declare (QUERY and PROPFIND are parsed by Node; fetch refuses TRACE).
const OTHER_METHODS = ['TRACE', 'QUERY', 'PATCH', 'PUT', 'DELETE', 'POST', 'GET', 'OPTIONS', 'HEAD', 'PROPFIND'];
const WRONG_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml',
  'application/json; charset=utf-16', 'application/vnd.api+json', '*/*', 'application/json, text/plain', 'text/json', 'image/png'];
const MALFORMED = ['{', '{"a":}', '[1,]', "{'a':1}", 'NaN', '{"a":1}}', '{} x', '\ufeff{}', '"unterminated', '{"a":1,"a":2}', '-',
  '{"__proto__":{"admin":true}}', '[]', '""', 'null', '0', 'true', '1'.repeat(400), '{"a":"\\ud800"}', '{"a":"\\uZZZZ"}'];
const BAD_UTF8 = [Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
  Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')])];

/** Header values Node's client can send: printable ASCII (a field value cannot hold NUL or newlines). */
const headerJunk = fc.oneof(
  fc.constantFrom('', ' ', 'W/"x"', '*', '"', '0', '-1', '99999999999999999999', 'local_region', 'all_regions', 'ünïcode', '%00', 'a'.repeat(4000)),
  fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
);
const ipJunk = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('unknown', '::ffff:1.2.3.4', '1.2.3.4, 5.6.7.8', '999.1.1.1', '', '[::1]:80', 'a'.repeat(300)));

function credentialsFor(o: Operation, c: Credentials): fc.Arbitrary<Record<string, string>> {
  if (!o.security.length) return fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.constant({ 'X-API-Key': c.orgKey }) });
  const forMe = /^\/(user\/me|auth\/password\/change)/.test(o.path);
  return fc.constantFrom(...o.security).chain((requirement) => {
    const schemes = Object.keys(requirement);
    if (schemes.includes('ApiKeyAuth')) return fc.constant({ 'SlashID-API-Key': c.orgKey } as Record<string, string>);
    return fc.oneof({ weight: forMe ? 1 : 3, arbitrary: fc.constant(c.orgKey) }, { weight: forMe ? 4 : 1, arbitrary: fc.constant(c.userKey) })
      .map((key): Record<string, string> => (schemes.includes('HTTPBearer') ? { Authorization: `Bearer ${key}` } : { 'X-API-Key': key }));
  });
}

function headersFor(o: Operation, c: Credentials, known: Known, valid: boolean): fc.Arbitrary<Record<string, string>> {
  const declared = (o.op.parameters ?? []).filter((p: any) => p.in === 'header' && (p.required || !valid));
  const each = declared.map((p: any) => (p.name === 'SlashID-OrgID'
    ? fc.oneof({ weight: 20, arbitrary: fc.constant([p.name, c.orgId]) }, { weight: 1, arbitrary: fc.constant([p.name, c.orgId.toUpperCase()]) })
    : oneIn(2, fc.oneof(fromSchema(p.schema, known, 0, p.name).map((v) => percentEncode(String(v))), headerJunk).map((v) => [p.name, v]))));
  return fc.tuple(credentialsFor(o, c), fc.tuple(...each), valid ? fc.constant(null) : oneIn(3, ipJunk))
    .map(([creds, pairs, ip]) => ({
      ...creds,
      ...Object.fromEntries(pairs.filter((p): p is [string, string] => Array.isArray(p))),
      ...(ip !== null ? { 'X-Forwarded-For': ip } : {}),
    }));
}

function queryFor(o: Operation, known: Known, valid: boolean): fc.Arbitrary<string> {
  const params = (o.op.parameters ?? []).filter((p: any) => p.in === 'query');
  const each = params.map((p: any) => {
    const value = fc.array(valid ? validUrlValue(p.schema, known, p.name) : urlValue(p.schema, known, p.name), { minLength: 1, maxLength: valid ? 1 : 2 })
      .map((values) => values.map((v) => `${p.name}=${v}`));
    return p.required ? fc.option(value, { freq: 20 }) : oneIn(2, value); // a required one is left out one time in 20
  });
  if (valid) return fc.tuple(...each).map((declared) => declared.filter((d): d is string[] => d !== null).flat())
    .map((parts) => (parts.length ? `?${parts.join('&')}` : ''));
  const extra = oneIn(4, fc.array(fc.oneof(
    fc.tuple(edgeString.map(percentEncode), edgeString.map(percentEncode)).map(([k, v]) => `${k}=${v}`),
    fc.constantFrom(...BAD_ENCODINGS, '&', '=', '==', 'a[b]=1', 'a[]=1&a[]=2', '__proto__[x]=1', 'constructor=1', 'limit'),
  ), { minLength: 1, maxLength: 3 }));
  return fc.tuple(fc.tuple(...each), extra).chain(([declared, more]) => {
    const parts = [...declared.filter((d): d is string[] => d !== null).flat(), ...(more ?? [])];
    return fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length });
  }).map((parts) => (parts.length ? `?${parts.join('&')}` : ''));
}

type Body = { body?: string | Buffer; contentType?: string };

function jsonBodyFor(schema: Schema, known: Known, maxBodyBytes: number, valid: boolean): fc.Arbitrary<Body> {
  const json = (a: fc.Arbitrary<unknown>) => a.map((v) => ({ body: jsonText(v) }));
  if (valid) return fromSchema(schema, known, 0, 'body').map((v) => ({ body: jsonText(v), contentType: 'application/json' }));
  // A valid body with one member replaced by something heavy: deep JSON or a 100 KB string.
  const heavyInside = fc.tuple(fromSchema(schema, known, 0), heavyJunk, fc.string({ maxLength: 8 })).map(([v, heavy, key]) => {
    const members = v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
    const target = members.length ? members[key.length % members.length] : key || 'x';
    return Array.isArray(v) ? [heavy, ...v] : { ...(v as object), [target]: heavy };
  });
  const content = fc.oneof(
    { weight: 25, arbitrary: json(fromSchema(schema, known, 0, 'body')) },
    { weight: 25, arbitrary: json(fromSchema(schema, known, 2, 'body')) },
    { weight: 8, arbitrary: json(junkJson) },
    { weight: 5, arbitrary: json(heavyInside) },
    { weight: 2, arbitrary: fc.constantFrom('array', 'object').map((k) => ({ body: k === 'array' ? '['.repeat(DEEP) + ']'.repeat(DEEP) : '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP) })) },
    { weight: 4, arbitrary: fc.constantFrom(...MALFORMED).map((body) => ({ body })) },
    { weight: 2, arbitrary: fc.constantFrom(...BAD_UTF8).map((body) => ({ body })) },
    { weight: 2, arbitrary: fc.constantFrom('', ' ', '\n').map((body) => ({ body })) },
    { weight: 1, arbitrary: json(fc.constant(new RawJson(jsonText({ x: 'a'.repeat(maxBodyBytes) })))) },
  );
  return fc.tuple(content, fc.oneof({ weight: 9, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES, '') }))
    .map(([b, contentType]) => ({ ...b, contentType }));
}

function multipartBodyFor(field: string, csvHeader: string, valid: boolean): fc.Arbitrary<Body> {
  const cell = fc.oneof(edgeString, edgeNumber.map(String), fc.emailAddress(), fc.constant('fuzz-group'), hugeString.map((s) => s.slice(0, 20_000)));
  const csvCell = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const rows = fc.array(fc.array(cell, { minLength: 1, maxLength: csvHeader.split(',').length + 1 }).map((r) => r.map(csvCell).join(',')), { maxLength: 4 });
  return fc.tuple(valid ? fc.constant(field) : fc.constantFrom(field, field, 'file', ''), valid ? fc.constant(csvHeader) : fc.oneof(fc.constant(csvHeader), edgeString), rows,
    valid ? fc.constant('ok') : fc.constantFrom('ok', 'ok', 'ok', 'no-boundary', 'truncated', 'json'))
    .map(([name, header, lines, shape]) => {
      const boundary = 'fuzzboundary7MA4YWxk';
      const csv = [header, ...lines].join('\r\n');
      const body = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="p.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
      if (shape === 'json') return { body: jsonText({ persons: csv }), contentType: 'application/json' };
      if (shape === 'truncated') return { body: body.slice(0, Math.max(10, body.length >> 1)), contentType: `multipart/form-data; boundary=${boundary}` };
      return { body, contentType: shape === 'no-boundary' ? 'multipart/form-data' : `multipart/form-data; boundary=${boundary}` };
    });
}

function bodyFor(o: Operation, known: Known, maxBodyBytes: number, csvHeader: string, valid: boolean): fc.Arbitrary<Body> {
  const content = o.op.requestBody?.content ?? {};
  if (content['application/json']) return jsonBodyFor(content['application/json'].schema, known, maxBodyBytes, valid);
  const multipart = content['multipart/form-data'];
  if (multipart) return multipartBodyFor(Object.keys(multipart.schema.properties ?? { file: 1 })[0], csvHeader, valid);
  // No body declared: mostly none, sometimes one anyway.
  if (valid) return fc.constant({});
  return fc.oneof({ weight: 9, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: junkJson.map((v) => ({ body: jsonText(v), contentType: 'application/json' })) });
}

type Limits = { maxBodyBytes: number; csvHeader: string };

/** Three requests in ten are valid-ish (known ids, schema values, no junk) so that they reach the domain; the rest are fuzzed. */
export function requestFor(o: Operation, c: Credentials, known: Known, limits: Limits): fc.Arbitrary<FuzzRequest> {
  return fc.oneof({ weight: 3, arbitrary: requestOf(o, c, known, limits, true) }, { weight: 7, arbitrary: requestOf(o, c, known, limits, false) });
}

function requestOf(o: Operation, c: Credentials, known: Known, limits: Limits, valid: boolean): fc.Arbitrary<FuzzRequest> {
  const pathParams: any[] = (o.op.parameters ?? []).filter((p: any) => p.in === 'path');
  const pathValues = fc.tuple(...pathParams.map((p) => (valid ? validUrlValue : urlValue)(p.schema, known, p.name)));
  // Only methods the path does not declare (HEAD of a GET is the GET without a body), so a read never deletes.
  const undeclared = OTHER_METHODS.filter((m) => !o.pathMethods.includes(m) && (m !== 'HEAD' || o.method === 'GET'));
  const method = valid ? fc.constant(o.method) : fc.oneof({ weight: 10, arbitrary: fc.constant(o.method) }, { weight: 1, arbitrary: fc.constantFrom(...undeclared) });
  return fc.tuple(method, pathValues, queryFor(o, known, valid), headersFor(o, c, known, valid), bodyFor(o, known, limits.maxBodyBytes, limits.csvHeader, valid))
    .map(([m, values, query, headers, { body, contentType }]) => {
      let i = 0;
      const path = o.path.replace(/\{[^}]+\}/g, () => values[i++]) + query;
      const all = { ...headers, ...(contentType ? { 'Content-Type': contentType } : {}) };
      return new FuzzRequest(m, path, all, m === 'HEAD' ? undefined : body);
    });
}
