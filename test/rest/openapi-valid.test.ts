// The served /openapi.json is a valid OpenAPI 3.0 document (checked against the official schema by
// @seriousme/openapi-schema-validator), written in 3.0's schema dialect rather than the JSON Schema
// ajv enforces; and the rewrite from one dialect to the other keeps every constraint.
import { Validator } from '@seriousme/openapi-schema-validator';
import { toOpenApiSchema } from '../../src/rest/openapi-schema.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { call } from '../helpers/http.ts';

/** Every schema object under `node`, with its JSON pointer. */
function* schemasIn(node: unknown, at = ''): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* schemasIn(item, `${at}/${i}`);
  } else if (node && typeof node === 'object') {
    const object = node as Record<string, unknown>;
    if ('type' in object || 'nullable' in object || 'exclusiveMinimum' in object) yield [at, object];
    for (const [key, value] of Object.entries(object)) yield* schemasIn(value, `${at}/${key}`);
  }
}

describe('GET /openapi.json', () => {
  let server: TestServer;
  let doc: any;
  beforeAll(async () => {
    server = await startTestServer();
    const r = await call(server.url, 'GET', '/openapi.json');
    expect(r.status).toBe(200);
    doc = r.body;
  });
  afterAll(() => server.close());

  test('validates as OpenAPI 3.0', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.0');
  });

  test('no JSON Schema spellings that OpenAPI 3.0 lacks', () => {
    const found: string[] = [];
    for (const [at, schema] of schemasIn(doc.paths)) {
      if (schema.type === 'null') found.push(`${at}: type null`);
      if (Array.isArray(schema.type)) found.push(`${at}: type ${JSON.stringify(schema.type)}`);
      if ('exclusiveMinimum' in schema && typeof schema.exclusiveMinimum !== 'boolean') found.push(`${at}: numeric exclusiveMinimum`);
      if ('exclusiveMaximum' in schema && typeof schema.exclusiveMaximum !== 'boolean') found.push(`${at}: numeric exclusiveMaximum`);
      if ('const' in schema) found.push(`${at}: const`);
    }
    expect(found).toEqual([]);
  });

  test('the SlashID envelope documents errors as the list it is', () => {
    const envelope = doc.paths['/persons'].get.responses['200'].content['application/json'].schema;
    expect(envelope.properties.errors).toMatchObject({ type: 'array', items: { properties: { httpcode: { type: 'integer' } } } });
  });

  test('nullable fields say so', () => {
    const user = doc.paths['/tenants/{tenant_id}/users/{user_id}'].get.responses['200'].content['application/json'].schema;
    expect(user.properties.locale).toEqual({ type: 'string', nullable: true });
    expect(user.properties.email).toMatchObject({ type: 'string', nullable: true, description: expect.stringMatching(/null when/) });
    const limit = doc.paths['/tenants/{tenant_id}/users'].get.parameters.find((p: any) => p.name === 'limit');
    expect(limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
  });
});

describe('toOpenApiSchema', () => {
  test('a type list with null becomes nullable', () => {
    expect(toOpenApiSchema({ type: ['string', 'null'], maxLength: 3 })).toEqual({ type: 'string', maxLength: 3, nullable: true });
  });

  test('a type list of several types becomes anyOf', () => {
    expect(toOpenApiSchema({ type: ['string', 'integer', 'null'] }))
      .toEqual({ anyOf: [{ type: 'string', nullable: true }, { type: 'integer', nullable: true }] });
  });

  test('anyOf with a null member merges the other member', () => {
    const schema = { anyOf: [{ type: 'object', properties: { a: { type: ['integer', 'null'] } } }, { type: 'null' }], description: 'd' };
    expect(toOpenApiSchema(schema)).toEqual({
      type: 'object', nullable: true, description: 'd', properties: { a: { type: 'integer', nullable: true } },
    });
  });

  test('anyOf with several members and null keeps anyOf, each member nullable', () => {
    expect(toOpenApiSchema({ oneOf: [{ type: 'string' }, { type: 'array', items: { const: 1 } }, { type: 'null' }] }))
      .toEqual({ oneOf: [{ type: 'string', nullable: true }, { type: 'array', nullable: true, items: { enum: [1] } }] });
  });

  test('numeric exclusive bounds become minimum/maximum', () => {
    expect(toOpenApiSchema({ type: 'integer', exclusiveMinimum: 0 })).toEqual({ type: 'integer', minimum: 1 });
    expect(toOpenApiSchema({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }))
      .toEqual({ type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true });
    expect(toOpenApiSchema({ type: 'number', minimum: 5, exclusiveMinimum: 0 })).toEqual({ type: 'number', minimum: 5 });
  });

  test('the declared schema is not changed', () => {
    const declared = { type: 'object', properties: { a: { anyOf: [{ type: 'string' }, { type: 'null' }] } } };
    const copy = structuredClone(declared);
    toOpenApiSchema(declared);
    expect(declared).toEqual(copy);
  });
});
