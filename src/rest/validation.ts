// Wire-level validation of path, query and body against each declaration's JSON Schemas
// (compiled once at start-up). Issues use FastAPI's {loc, msg, type} so both dialects can show them.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldIssue } from '../domain/errors.ts';
import { ValidationFailed } from '../domain/errors.ts';
import type { ParameterDeclaration, RouteDeclaration, RouteInput } from './route.ts';
import { NO_BODY } from './body.ts';
import { withInt32Bounds } from './int32.ts';
import { jsonIssue } from '../domain/storable.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const bodyAjv = addFormats(new Ajv({ allErrors: true, strict: false, useDefaults: false }));
const paramAjv = addFormats(new Ajv({ allErrors: true, strict: false, coerceTypes: 'array', useDefaults: true }));

const typeNames: Record<string, string> = {
  string: 'string_type', integer: 'int_type', number: 'float_type', boolean: 'bool_type',
  object: 'dict_type', array: 'list_type', null: 'none_type',
};

function issueOf(source: string, e: ErrorObject): FieldIssue {
  const loc: (string | number)[] = [source, ...e.instancePath.split('/').filter(Boolean)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')))];
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'required': return { loc: [...loc, p.missingProperty], msg: 'Field required', type: 'missing' };
    case 'additionalProperties':
      return { loc: [...loc, p.additionalProperty], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' };
    case 'type': return { loc, msg: `Input should be of type ${p.type}`, type: typeNames[p.type] ?? 'type_error' };
    case 'maxLength': return { loc, msg: `String should have at most ${p.limit} characters`, type: 'string_too_long' };
    case 'minLength': return { loc, msg: `String should have at least ${p.limit} characters`, type: 'string_too_short' };
    case 'maxItems': return { loc, msg: `List should have at most ${p.limit} items`, type: 'too_long' };
    case 'minItems': return { loc, msg: `List should have at least ${p.limit} items`, type: 'too_short' };
    case 'maxProperties': return { loc, msg: `Object should have at most ${p.limit} keys`, type: 'too_long' };
    case 'minimum': return { loc, msg: `Input should be greater than or equal to ${p.limit}`, type: 'greater_than_equal' };
    case 'maximum': return { loc, msg: `Input should be less than or equal to ${p.limit}`, type: 'less_than_equal' };
    case 'exclusiveMinimum': return { loc, msg: `Input should be greater than ${p.limit}`, type: 'greater_than' };
    case 'enum': return { loc, msg: `Input should be ${p.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')}`, type: 'enum' };
    case 'pattern': return { loc, msg: `String should match pattern '${p.pattern}'`, type: 'string_pattern_mismatch' };
    case 'format': return { loc, msg: `Input should be a valid ${p.format}`, type: 'value_error' };
    default: return { loc, msg: e.message ?? 'Invalid value', type: 'value_error' };
  }
}

function objectSchema(params: ParameterDeclaration[]) {
  return withInt32Bounds({
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
    required: params.filter((p) => p.required).map((p) => p.name),
  });
}

export interface RouteValidator {
  (input: RouteInput): void;
}

export function compileValidator(route: RouteDeclaration): RouteValidator {
  const params = route.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const headerParams = params.filter((p) => p.in === 'header' && !p.required).map((p) => ({ ...p, name: p.name.toLowerCase() }));
  const commaSeparated = queryParams.filter((p) => p.commaSeparated).map((p) => p.name);
  const checkPath: ValidateFunction = paramAjv.compile(objectSchema(pathParams));
  const checkQuery: ValidateFunction = paramAjv.compile(objectSchema(queryParams));
  // Required headers are credentials, checked by authentication; optional ones are validated here.
  const checkHeaders: ValidateFunction = paramAjv.compile(objectSchema(headerParams));
  // A multipart body is checked by the engine as it streams (content type, file field, size).
  const checkBody: ValidateFunction | undefined = route.body && route.body.kind !== 'multipart'
    ? bodyAjv.compile(withInt32Bounds(route.body.schema)) : undefined;

  return (input) => {
    const issues: FieldIssue[] = [];
    for (const name of commaSeparated) {
      const value = input.query[name];
      if (typeof value === 'string') input.query[name] = value === '' ? [] : value.split(',');
    }
    for (const [name, value] of Object.entries(input.query)) {
      // A repeated scalar parameter (?limit=1&limit=2) is ambiguous: keep the first.
      if (Array.isArray(value) && !commaSeparated.includes(name)) input.query[name] = value[0];
    }
    // Strings PostgreSQL cannot store (U+0000, unpaired surrogates) are refused wherever they are.
    const unstorable = jsonIssue(input.path, ['path']) ?? jsonIssue(input.query, ['query'])
      ?? jsonIssue(input.headers, ['header']) ?? (checkBody && input.body !== NO_BODY ? jsonIssue(input.body, ['body']) : undefined);
    if (unstorable) throw new ValidationFailed(`${unstorable.loc.join('.')}: ${unstorable.msg}`, [unstorable]);
    if (!checkPath(input.path)) issues.push(...checkPath.errors!.map((e) => issueOf('path', e)));
    if (!checkQuery(input.query)) issues.push(...checkQuery.errors!.map((e) => issueOf('query', e)));
    const headers = Object.fromEntries(headerParams.filter((p) => input.headers[p.name] !== undefined)
      .map((p) => [p.name, input.headers[p.name]]));
    if (!checkHeaders(headers)) issues.push(...checkHeaders.errors!.map((e) => issueOf('header', e)));
    if (checkBody) {
      if (input.body === NO_BODY) {
        if ((route.body as { required?: boolean }).required !== false) issues.push({ loc: ['body'], msg: 'Field required', type: 'missing' });
        else input.body = undefined;
      } else if (!checkBody(input.body)) {
        issues.push(...checkBody.errors!.map((e) => issueOf('body', e)));
      }
    }
    if (issues.length) throw new ValidationFailed(issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '), issues);
  };
}

/** A compiled JSON Schema check of one value, for routes that validate list items one by one. */
export function compileItemCheck(schema: Record<string, unknown>): (value: unknown) => boolean {
  const check = bodyAjv.compile(withInt32Bounds(schema));
  return (value) => check(value) === true;
}
