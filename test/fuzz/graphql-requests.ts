// /graphql requests for one root field of the served schema: arguments as variables or literals,
// of the right type (known ids, enum values) or the wrong one (edge strings and numbers, junk),
// missing or extra; variables nested 10,000 deep; and a few broken transports.
import fc from 'fast-check';
import {
  getNamedType, getNullableType, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType, isObjectType,
  type GraphQLField, type GraphQLInputType, type GraphQLOutputType,
} from 'graphql';
import { deepJson, edgeNumber, edgeString, jsonText, junkJson, oneIn, percentEncode, RawJson, type Known } from './arbitraries.ts';
import { FuzzRequest } from './wire.ts';

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A value of `type`: mostly valid (known values of the argument's name first), sometimes junk. */
export function valueOf(type: GraphQLInputType, known: Known, name: string, junk: boolean, depth = 0): fc.Arbitrary<unknown> {
  const valid = validValueOf(type, known, name, junk, depth);
  if (!junk) return valid;
  return fc.oneof({ weight: 8, arbitrary: valid }, { weight: 2, arbitrary: junkJson }, { weight: 1, arbitrary: fc.constant(null) });
}

function validValueOf(type: GraphQLInputType, known: Known, name: string, junk: boolean, depth: number): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueOf(type.ofType, known, name, junk, depth);
  if (isListType(type)) {
    const item = valueOf(type.ofType, known, name, junk, depth + 1);
    return fc.oneof({ weight: 5, arbitrary: fc.array(item, { maxLength: 3 }) }, { weight: 1, arbitrary: item });
  }
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
  if (isInputObjectType(type)) {
    if (depth > 3) return fc.constant({});
    const fields = Object.values(type.getFields());
    const model = Object.fromEntries(fields.map((f) => [f.name, valueOf(f.type, known, f.name, junk, depth + 1)]));
    const required = fields.filter((f) => isNonNullType(f.type)).map((f) => f.name);
    const generated = fc.record(model, { requiredKeys: required });
    // A known whole value of this input type (one that passes the domain's rules), when there is one.
    const whole = known[type.name] ?? [];
    return whole.length ? fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...whole) }, { weight: 2, arbitrary: generated }) : generated;
  }
  const fitting = (known[name] ?? []).filter((v) => typeof v === 'string');
  const scalar = scalarOf(getNamedType(type).name, known);
  return fitting.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fitting) }, { weight: 1, arbitrary: scalar }) : scalar;
}

function scalarOf(name: string, known: Known): fc.Arbitrary<unknown> {
  switch (name) {
    case 'Int': return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -5, max: 1000 }) }, { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) });
    case 'Float': return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'Boolean': return fc.boolean();
    case 'ID': return fc.oneof(fc.uuid(), fc.constantFrom(...((known.id as string[]) ?? ['x'])));
    case 'DateTime': return fc.oneof(fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()),
      fc.constantFrom('2026-13-45T99:00:00Z', 'yesterday', '-100000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00Z'));
    case 'Region': return fc.constantFrom('us-iowa', 'europe-belgium', 'asia-japan', 'mars-olympus');
    case 'JSON': return fc.jsonValue({ maxDepth: 3 });
    case 'JSONObject': return fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    // Strings: plausible names and addresses (new ones, to get past uniqueness), or anything.
    default: return fc.oneof(fc.stringMatching(/^[a-z][a-z0-9._-]{1,20}[a-z0-9]$/), fc.emailAddress(), fc.string({ maxLength: 30 }), edgeString);
  }
}

/** The value as a GraphQL literal of `type` (enum values bare, object keys as names when they are names). */
export function literalOf(value: unknown, type: GraphQLInputType | undefined): string {
  const nullable = type && getNullableType(type);
  if (value instanceof RawJson) return value.text;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => literalOf(v, nullable && isListType(nullable) ? nullable.ofType : undefined)).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = nullable && isInputObjectType(nullable) ? nullable.getFields() : {};
    return `{${Object.entries(value).map(([k, v]) => `${NAME.test(k) ? k : JSON.stringify(k)}: ${literalOf(v, fields[k]?.type)}`).join(', ')}}`;
  }
  if (typeof value === 'string' && nullable && isEnumType(nullable) && NAME.test(value)) return value;
  return JSON.stringify(value) ?? 'null';
}

/** A selection of the leaves of `type` (fields without required arguments), one level of objects deep. */
export function selectionOf(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return '{ __typename }';
  const fields = Object.values(named.getFields()).filter((f) => !f.args.some((a) => isNonNullType(a.type)));
  const parts = fields.flatMap((f) => {
    if (isLeafType(getNamedType(f.type))) return [f.name];
    return depth < 1 ? [`${f.name} ${selectionOf(f.type, depth + 1)}`] : [];
  });
  return `{ __typename ${parts.join(' ')} }`;
}

export interface GraphQLCredentials { orgId: string; orgKey: string; userKey: string }

function credentials(c: GraphQLCredentials): fc.Arbitrary<Record<string, string>> {
  // The organization's key mostly (most fields are for it), a person's key (SELF and USER fields), or none (PUBLIC ones).
  return fc.constantFrom<Record<string, string>>(
    { 'SlashID-OrgID': c.orgId, 'SlashID-API-Key': c.orgKey }, { 'SlashID-OrgID': c.orgId, 'SlashID-API-Key': c.orgKey },
    { 'X-API-Key': c.orgKey }, { 'X-API-Key': c.orgKey }, { 'X-API-Key': c.userKey }, { Authorization: `Bearer ${c.userKey}` }, {});
}

type Argument = { text: string; variable?: { name: string; type: string; value: unknown } };

function argumentOf(arg: { name: string; type: GraphQLInputType }, i: number, known: Known, junk: boolean): fc.Arbitrary<Argument | null> {
  const value = valueOf(arg.type, known, arg.name, junk);
  const asVariable = fc.tuple(value, junk ? fc.constantFrom(String(arg.type), String(arg.type), 'String', 'Int!', 'JSON', '[ID!]') : fc.constant(String(arg.type)))
    .map(([v, declared]) => ({ text: `${arg.name}: $v${i}`, variable: { name: `v${i}`, type: declared, value: v } }));
  const deep = fc.constantFrom('array', 'object').map((kind) => ({
    text: `${arg.name}: $v${i}`, variable: { name: `v${i}`, type: String(arg.type), value: deepJson(kind as 'array' | 'object') } }));
  const asLiteral = value.map((v) => ({ text: `${arg.name}: ${literalOf(v, arg.type)}` }));
  const options: fc.WeightedArbitrary<Argument | null>[] = [{ weight: 6, arbitrary: asVariable }, { weight: 3, arbitrary: asLiteral }];
  if (junk) options.push({ weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: deep });
  else if (!isNonNullType(arg.type)) options.push({ weight: 9, arbitrary: fc.constant(null) }); // optional: left out half the time
  return fc.oneof(...options);
}

const BROKEN_BODIES = ['{', '[]', '[{"query":"{ __typename }"}]', '{"query":1}', '{"query":"{ __typename }","variables":"x"}',
  '{"query":"query A { __typename } query B { __typename }"}', '{"query":"{ __typename }","operationName":"Nope"}', 'null', '""'];

/** Requests for one root field: eight in ten through a generated document, the rest junk of the transport. */
export function graphqlRequestFor(root: 'Query' | 'Mutation', field: GraphQLField<unknown, unknown>, c: GraphQLCredentials, known: Known): fc.Arbitrary<FuzzRequest> {
  // Built once per field (building arbitraries, regexes included, costs more than drawing from them).
  const documentOf = (junk: boolean) => fc.tuple(
    fc.tuple(...field.args.map((a, i) => argumentOf(a, i, known, junk))),
    junk ? oneIn(5, fc.constantFrom('bogus: 1', 'first: -1', 'id: "x"')) : fc.constant(null),
    credentials(c),
  ).map(([args, extra, headers]) => {
    const present = args.filter((a): a is Argument => a !== null);
    const variables = present.flatMap((a) => (a.variable ? [a.variable] : []));
    const definitions = variables.length ? `(${variables.map((v) => `$${v.name}: ${v.type}`).join(', ')})` : '';
    const argumentText = [...present.map((a) => a.text), ...(extra ? [extra] : [])];
    const query = `${root === 'Mutation' ? 'mutation' : 'query'} Fuzz${definitions} { ${field.name}${argumentText.length ? `(${argumentText.join(', ')})` : ''} ${selectionOf(field.type)} }`;
    const body = jsonText({ query, variables: Object.fromEntries(variables.map((v) => [v.name, v.value])) });
    return new FuzzRequest('POST', '/graphql', { ...headers, 'Content-Type': 'application/json' }, body);
  });
  const documentRequest = fc.oneof(documentOf(false), documentOf(true));
  const brokenTransport = fc.tuple(credentials(c), fc.oneof(
    fc.constantFrom(...BROKEN_BODIES).map((body) => ({ method: 'POST', path: '/graphql', body, type: 'application/json' })),
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x')
      .map((type) => ({ method: 'POST', path: '/graphql', body: jsonText({ query: `{ ${field.name} }` }), type })),
    fc.tuple(edgeString, edgeNumber).map(([s, n]) => ({
      method: 'GET', path: `/graphql?query=${percentEncode(`{ ${field.name}(x: ${JSON.stringify(s)}) }`)}&variables=${percentEncode(jsonText({ n }))}`, body: undefined, type: undefined })),
  )).map(([headers, r]) => new FuzzRequest(r.method, r.path, { ...headers, ...(r.type ? { 'Content-Type': r.type, 'apollo-require-preflight': 'true' } : {}) }, r.body));
  return fc.oneof({ weight: 8, arbitrary: documentRequest }, { weight: 1, arbitrary: brokenTransport });
}
