// /graphql refuses costly documents before running them (src/graphql/cost-limits.ts): too many
// tokens, too deep, too many aliases or directives, or a cost (list sizes × nesting) over the
// limit; the fixed REST documents stay within the same limits.
import { getIntrospectionQuery, parse } from 'graphql';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { seedPersons } from '../helpers/seed.ts';
import { buildSchema } from '../../src/graphql/schema.ts';
import { LIMITS, OWN_STATEMENT_FIELDS, PAGE_SIZES, checkFixedDocument, costOf } from '../../src/graphql/cost-limits.ts';
import { routes } from '../../src/rest/routes/index.ts';

let server: TestServer;
let acme: TestOrg;
const statements: string[] = [];
const schema = buildSchema();

const gql = (query: string, variables?: Record<string, unknown>) =>
  call(server.url, 'POST', '/graphql', { headers: slashidHeaders(acme), json: { query, variables } });

/** Runs the request and returns it with the SQL statements it issued that read persons. */
async function withPersonStatements(request: () => ReturnType<typeof gql>) {
  statements.length = 0;
  const reply = await request();
  return { reply, personReads: statements.filter((s) => /from "?person\b/.test(s)) };
}

const repeat = (n: number, each: (i: number) => string) => Array.from({ length: n }, (_, i) => each(i)).join(' ');

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0, webhookPollMs: 0 });
  acme = await server.createOrg('Acme');
  await seedPersons(server.sql, acme.id, 200);
  const logger = server.db.orm.config.getLogger();
  logger.logQuery = (context) => { statements.push(String(context.query)); };
});
afterAll(() => server.close());

test('10,000 aliases: 400 at once, naming the token limit; the server keeps answering', async () => {
  const query = `{ ${repeat(10_000, (i) => `a${i}: organization { id }`)} }`;
  const started = performance.now();
  const r = await gql(query);
  const elapsed = performance.now() - started;
  expect(r.status).toBe(400);
  expect(r.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  expect(r.body.errors[0].message).toMatch(`more that ${LIMITS.tokens} tokens`);
  expect(elapsed).toBeLessThan(1000);

  // Ten at once, with an ordinary query among them.
  const replies = await Promise.all([...Array.from({ length: 10 }, () => gql(query)), gql('{ organization { id } }')]);
  expect(replies.slice(0, 10).map((x) => x.status)).toEqual(Array(10).fill(400));
  expect(replies[10].body).toEqual({ data: { organization: { id: acme.id } } });
});

test('aliases within the token limit: 400 naming the alias limit', async () => {
  const r = await gql(`{ ${repeat(150, (i) => `a${i}: organization { id }`)} }`);
  expect(r.status).toBe(400);
  expect(r.body.errors[0]).toMatchObject({
    message: `Aliases limit of ${LIMITS.aliases} exceeded, found 150. Ask for each field once; send several requests if you need more.`,
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases', maximum: LIMITS.aliases },
  });
  const fine = await gql(`{ ${repeat(LIMITS.aliases, (i) => `a${i}: organization { id }`)} }`);
  expect(fine.body.errors).toBeUndefined();
});

test('persons → organization → persons five deep: refused before any person is read', async () => {
  let selection = 'id';
  for (let level = 0; level < 4; level++) selection = `id organization { persons { nodes { ${selection} } } }`;
  const { reply, personReads } = await withPersonStatements(() => gql(`{ persons { nodes { ${selection} } } }`));
  expect(reply.status).toBe(400);
  expect(reply.body.data).toBeUndefined();
  expect(reply.body.errors[0].message).toMatch(/^Query depth limit of 12 exceeded, found 15\./);
  expect(personReads).toEqual([]);
});

test('three deep is within the depth limit, but its cost is not: 400 QUERY_TOO_COMPLEX, nothing read', async () => {
  const query = '{ persons { nodes { organization { persons { nodes { organization { persons { nodes { id } } } } } } } } }';
  const { reply, personReads } = await withPersonStatements(() => gql(query));
  expect(reply.status).toBe(400);
  expect(reply.body.errors[0]).toMatchObject({
    message: expect.stringMatching(/^The query costs 510,101, above the limit of 60,000; ask for fewer items \(first:\) or fewer nested lists/),
    extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: LIMITS.cost, cost: 510_101 },
  });
  expect(personReads).toEqual([]);
  const allowed = await withPersonStatements(() => gql('{ persons(first: 1) { nodes { id } } }'));
  expect(allowed.personReads.length).toBeGreaterThan(0); // the statements are seen when persons are read
});

test('a document 50 deep is refused', async () => {
  const query = `{ organization { ${'parent { '.repeat(48)}id${' }'.repeat(48)} } }`;
  const r = await gql(query);
  expect(r.status).toBe(400);
  expect(r.body.errors[0]).toMatchObject({
    message: `Query depth limit of ${LIMITS.depth} exceeded, found 50. Nest fewer levels of fields.`,
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' },
  });
});

test('too many directives, and fragments spread into too many fields, are refused', async () => {
  const directives = await gql(`{ organization { ${repeat(LIMITS.directives + 1, (i) => `f${i % 5}: id @include(if: true)`)} } }`);
  expect(directives.status).toBe(400);
  expect(directives.body.errors.map((e: any) => e.extensions.limit)).toContain('directives');

  // 2^20 fields in 200 tokens: each fragment spreads the one before twice.
  let fragments = 'fragment F0 on Organization { id name }';
  for (let i = 1; i <= 20; i++) fragments += ` fragment F${i} on Organization { ...F${i - 1} ...F${i - 1} }`;
  const fanOut = await gql(`{ organization { ...F20 } } ${fragments}`);
  expect(fanOut.status).toBe(400);
  expect(fanOut.body.errors[0]).toMatchObject({
    message: expect.stringMatching(/^The query selects more than 5,000 fields once fragments are expanded/),
    extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'selections' },
  });
});

test('the cost counts page sizes from variables, and a negative page lowers nothing', async () => {
  const query = 'query($n: Int) { persons(first: $n) { nodes { id roles { permissions { name } } } } }';
  const many = await gql(query, { n: 1000 });
  expect(many.status).toBe(400);
  expect(many.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 113_001 });
  const few = await gql(query, { n: 100 });
  expect(few.status).toBe(200);
  expect(few.body.data.persons.nodes).toHaveLength(100);

  const negative = await gql(`{ a: persons(first: -1000000) { totalCount } b: persons(first: 1000) { nodes { id roles { permissions { name } } } } }`);
  expect(negative.status).toBe(400);
  expect(negative.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
});

test('a list multiplies by its page size: persons(first: 100) with roles → permissions costs more than first: 1', () => {
  const cost = (first: number) => costOf(schema, parse(`{ persons(first: ${first}) { nodes { roles { permissions { name } } } } }`));
  expect(cost(1)).toBe(113);
  expect(cost(100)).toBe(11_201);
  // Absent: the default page (50); past the maximum: the maximum (1000).
  expect(costOf(schema, parse('{ persons { nodes { id } } }'))).toBe(1 + 50 * 2);
  expect(costOf(schema, parse('{ persons(first: 5000) { nodes { id } } }'))).toBe(1 + 1000 * 2);
  // A page resolved by a statement per organization costs that statement each time.
  expect(costOf(schema, parse('{ persons(first: 1000) { nodes { organization { persons(first: 1) { totalCount } } } } }')))
    .toBeGreaterThan(LIMITS.cost);
});

test('every field the cost model names exists, and takes `first` where a page size is declared', () => {
  const fieldOf = (name: string) => {
    const [type, field] = name.split('.');
    return (schema.getType(type) as any)?.getFields?.()[field];
  };
  for (const name of OWN_STATEMENT_FIELDS) expect([name, !!fieldOf(name)]).toEqual([name, true]);
  for (const name of Object.keys(PAGE_SIZES)) {
    expect([name, fieldOf(name)?.args.some((a: any) => a.name === 'first')]).toEqual([name, true]);
  }
});

test('the nested frontends query (200 persons, roles → permissions, …) and introspection still pass', async () => {
  const query = /* GraphQL */ `
    query Frontend($first: Int!) {
      persons(first: $first) {
        totalCount
        nodes { id handles { type value } groups { name } roles { name permissions { name } } permissions { name } attributes }
      }
    }`;
  const r = await gql(query, { first: 200 });
  expect(r.status).toBe(200);
  expect(r.body.errors).toBeUndefined();
  expect(r.body.data.persons.nodes).toHaveLength(200);

  const introspection = await gql(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true,
    schemaDescription: true, inputValueDeprecation: true }));
  expect(introspection.body.errors).toBeUndefined();
  expect(introspection.body.data.__schema.types.length).toBeGreaterThan(50);
});

test('every REST declaration\'s document is within the limits at its worst (largest pages, every @include)', () => {
  const over: string[] = [];
  for (const route of routes) {
    try {
      checkFixedDocument(schema, route.operation);
    } catch (error) {
      over.push(`${route.method} ${route.path} (${route.operationId}): ${(error as Error).message}`);
    }
  }
  expect(over).toEqual([]);
  // The largest today: GET /persons, 1000 persons with their handles, groups and attributes.
  const listPersons = routes.find((r) => r.operationId === 'GetPersons')!;
  expect(checkFixedDocument(schema, listPersons.operation).cost).toBe(39_001);
  // A declaration over the limit would fail here: its variables count at their worst.
  expect(() => checkFixedDocument(schema, 'query($n: Int!, $p: Boolean!) { persons(first: $n) { nodes { roles @include(if: $p) { permissions { name } } } } }'))
    .toThrow('The query costs 112,001, above the limit of 60,000');
});
