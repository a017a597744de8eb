// The nested graph frontends query is batched: one query for many persons with handles, groups,
// roles → permissions, permissions and attributes issues a fixed number of SQL statements.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call } from '../helpers/http.ts';
import { seedPersons } from '../helpers/seed.ts';

let server: TestServer;
let small: TestOrg;
let large: TestOrg;
const statements: string[] = [];

const QUERY = /* GraphQL */ `
  query Frontend($first: Int!) {
    persons(first: $first) {
      totalCount
      nodes {
        id
        handles { type value }
        groups { name }
        roles { name permissions { name } }
        permissions { name }
        attributes
      }
    }
  }`;

beforeAll(async () => {
  // No outbox dispatcher or event sender: their polling would be counted with the request's statements.
  server = await startTestServer({ outboxPollMs: 0, webhookPollMs: 0 });
  small = await server.createOrg('Small');
  large = await server.createOrg('Large');
  await seedPersons(server.sql, small.id, 20);
  await seedPersons(server.sql, large.id, 200);
  const logger = server.db.orm.config.getLogger();
  logger.logQuery = (context) => { statements.push(String(context.query)); };
});
afterAll(() => server.close());

// Counted warm: the first run of a hot read on a connection also prepares it (src/db/prepared.ts).
async function countStatements(org: TestOrg, first: number) {
  const ask = () => call(server.url, 'POST', '/graphql', {
    headers: { 'SlashID-OrgID': org.id, 'SlashID-API-Key': org.apiKey }, json: { query: QUERY, variables: { first } },
  });
  await ask();
  statements.length = 0;
  const r = await ask();
  expect(r.status).toBe(200);
  expect(r.body.errors).toBeUndefined();
  return { count: statements.length, data: r.body.data };
}

test('200 persons with handles, groups, roles → permissions, permissions, attributes: ≤ 3 statements (key, page, the lists together), as many as for 20', async () => {
  const few = await countStatements(small, 20);
  const many = await countStatements(large, 200);
  expect(many.data.persons.nodes).toHaveLength(200);
  expect(many.count).toBeLessThanOrEqual(3);
  expect(many.count).toBe(few.count);
  const someone = many.data.persons.nodes[7];
  expect(someone.handles).toEqual([{ type: 'username', value: expect.stringMatching(/^user/) }]);
  expect(someone.groups.map((g: any) => g.name)).toEqual(['everyone']);
  expect(someone.roles).toEqual([{ name: 'reader', permissions: [{ name: 'docs.read' }] }]);
  expect(someone.permissions.map((p: any) => p.name)).toEqual(['docs.read', 'docs.write']);
  expect(someone.attributes).toEqual({ end_user_read_write: { index: 7 } });
});

test('Group.persons and Role.persons page with first/after; Role.permissions', async () => {
  const query = /* GraphQL */ `{
    groups { name membersCount persons(first: 5) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }
    roles { name permissions { name } persons(first: 3) { totalCount nodes { id } } }
  }`;
  const headers = { 'SlashID-OrgID': small.id, 'SlashID-API-Key': small.apiKey };
  const r = await call(server.url, 'POST', '/graphql', { headers, json: { query } });
  expect(r.body.errors).toBeUndefined();
  const [group] = r.body.data.groups;
  expect(group).toMatchObject({ name: 'everyone', membersCount: 20, persons: { totalCount: 20, pageInfo: { hasNextPage: true } } });
  expect(group.persons.nodes).toHaveLength(5);
  const next = await call(server.url, 'POST', '/graphql', {
    headers, json: { query: `query($after: String) { group(name: "everyone") { persons(first: 20, after: $after) { nodes { id } pageInfo { hasNextPage } } } }`,
      variables: { after: group.persons.pageInfo.endCursor } },
  });
  expect(next.body.data.group.persons.nodes).toHaveLength(15);
  expect(next.body.data.group.persons.pageInfo.hasNextPage).toBe(false);
  expect(r.body.data.roles).toEqual([{ name: 'reader', permissions: [{ name: 'docs.read' }], persons: { totalCount: 20, nodes: expect.any(Array) } }]);
});

// A page reads the lists its selection asks for before its nodes complete (src/graphql/person-prefetch.ts):
// the same tree through edges, fragments and directives answers alike, in as many statements.
test('the nested tree through edges, fragments and @include answers as through nodes, in as many statements', async () => {
  const plain = await countStatements(large, 50);
  const headers = { 'SlashID-OrgID': large.id, 'SlashID-API-Key': large.apiKey };
  const query = /* GraphQL */ `
    fragment Lists on Person { handles { type value } ... on Person { groups { name } } }
    query($first: Int!, $no: Boolean!) { persons(first: $first) { totalCount edges { node {
      id ...Lists roles { name permissions { name } } permissions { name } attributes
      roleNames additionalPermissions @include(if: $no) { name } } } } }`;
  statements.length = 0;
  const r = await call(server.url, 'POST', '/graphql', { headers, json: { query, variables: { first: 50, no: false } } });
  expect(r.body.errors).toBeUndefined();
  expect(statements.length).toBe(plain.count);
  const nodes = r.body.data.persons.edges.map((e: any) => e.node);
  expect(nodes.map(({ roleNames, ...rest }: any) => rest)).toEqual(plain.data.persons.nodes);
  expect(nodes[3].roleNames).toEqual(['reader']);
  expect(nodes[3].additionalPermissions).toBeUndefined();

  // A skipped list is not read, and one under a directive still resolves (from its own loader).
  statements.length = 0;
  const only = await call(server.url, 'POST', '/graphql', { headers, json: {
    query: `query($yes: Boolean!) { persons(first: 5) { nodes { id groups @include(if: $yes) { name } } } }`, variables: { yes: true } } });
  expect(only.body.errors).toBeUndefined();
  expect(only.body.data.persons.nodes[0].groups).toEqual([{ name: 'everyone' }]);
});
