// The caller matrix: every REST declaration and every GraphQL root field, called by each of eight
// kinds of caller, gets what its `@auth` rule says — and every refusal leaves organization A's data
// as it was. Generated from the declarations: an operation added later joins by itself, and one
// whose rule or inputs cannot be classified fails here.
import { isNonNullType, parse, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { routes } from '../../src/rest/routes/index.ts';
import { buildSchema } from '../../src/graphql/schema.ts';
import { accessRulesOf, documentRulesOf } from '../../src/graphql/auth-gate.ts';
import { REFUSALS, type AccessRule } from '../../src/domain/auth/access-rule.ts';
import { SCOPES, type Scope } from '../../src/domain/auth/scopes.ts';
import type { RouteDeclaration } from '../../src/rest/route.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { call, type Reply } from '../helpers/http.ts';
import {
  CALLER_KINDS, OPENID_SCOPES, buildFixture, credentialsOf, snapshotOf, type CallerKind, type Face, type Fixture,
} from './caller-fixture.ts';
import { Unreachable, graphqlRequest, restRequest } from './caller-requests.ts';

type Expectation = 'allow' | 'unauthenticated' | 'forbidden' | 'isolated';

let server: TestServer;
let f: Fixture;
const counts = { requests: 0, denials: 0, denialsWithSnapshot: 0, allows: 0 };

beforeAll(async () => {
  // No mail dispatcher or event sender: their background writes would show in the snapshots of refusals.
  server = await startTestServer({ outboxPollMs: 0, webhookPollMs: 0 });
  f = await buildFixture(server);
}, 60_000);
afterAll(async () => {
  console.log(`caller matrix: ${operations.length} operations × ${CALLER_KINDS.length} caller kinds = ${counts.requests} requests; `
    + `${counts.denials} refusals, each checked against a snapshot of the data (${counts.denialsWithSnapshot} snapshots compared); ${counts.allows} admitted`);
  await server?.close();
});

const schema = buildSchema();
const rules = accessRulesOf(schema);

/** The scopes a kind of person caller holds, and whether it is the person `self` rules target. */
function personOf(kind: CallerKind, declared: Scope | undefined, orgOnly: boolean): { scopes: readonly Scope[]; isP: boolean } | undefined {
  switch (kind) {
    case 'user key without scopes': return { scopes: [], isP: true };
    case 'user key with the declared scope': return { scopes: declared ? [declared] : orgOnly ? SCOPES : [], isP: true };
    case 'access token (openid)': return { scopes: OPENID_SCOPES, isP: false };
    default: return undefined;
  }
}

/** What each rule admits, restated from the rule's documented meaning (schema/auth.graphql). */
function expectationOf(ruleList: AccessRule[], kind: CallerKind, face: Face, readsCredentials: boolean, aimed: boolean): Expectation {
  if (!readsCredentials || ruleList.every((r) => r.allow.includes('PUBLIC')) && kind === 'no credentials') return 'allow';
  if (['no credentials', 'malformed credentials', 'unknown key', 'deactivated key'].includes(kind)) return 'unauthenticated';
  if (face === 'slashid' && kind !== "another organization's key") return 'unauthenticated'; // organization keys only
  if (kind === "another organization's key") {
    if (ruleList.every((r) => r.allow.includes('PUBLIC'))) return 'allow';
    if (!ruleList.every((r) => r.allow.includes('ORGANIZATION') || r.allow.includes('PUBLIC'))) return 'forbidden';
    return aimed ? 'isolated' : 'allow';
  }
  const declared = ruleList.find((r) => r.scope)?.scope;
  const orgOnly = ruleList.some((r) => !r.allow.some((k) => k !== 'ORGANIZATION'));
  const person = personOf(kind, declared, orgOnly)!;
  const admitted = ruleList.every((r) => r.allow.includes('PUBLIC') || (
    (r.allow.includes('USER') || r.allow.includes('SELF')) && (!r.scope || person.scopes.includes(r.scope))
    && (r.allow.includes('USER') || !r.self || person.isP)));
  return admitted ? 'allow' : 'forbidden';
}

const isGateRefusal = (message: unknown) => typeof message === 'string' && (
  [REFUSALS.anonymous, REFUSALS.personOnly, REFUSALS.organizationOnly, REFUSALS.otherPerson].includes(message as never)
  || message.startsWith(REFUSALS.scope('').split('""')[0]));

function assertDialectShape(face: Face, r: Reply) {
  if (face === 'slashid') expect(r.body?.errors?.[0]?.httpcode).toBe(r.status);
  else if (face === 'scim') expect([r.body?.schemas?.[0], r.body?.status]).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error', String(r.status)]);
  else expect(typeof r.body?.detail === 'string' || Array.isArray(r.body?.detail)).toBe(true);
}

function checkRest(face: Face, expected: Expectation, r: Reply, where: string) {
  const context = `${where}: expected ${expected}, got ${r.status} ${r.text.slice(0, 200)}`;
  expect([context, r.status < 500]).toEqual([context, true]);
  if (expected === 'allow') {
    const refused = (r.status === 401 || r.status === 403) && isGateRefusal(r.body?.detail ?? r.body?.errors?.[0]?.message);
    expect([context, refused]).toEqual([context, false]);
    return;
  }
  const allowed = { unauthenticated: [401], forbidden: [403], isolated: [400, 403, 404, 409, 422] }[expected];
  expect([context, allowed.includes(r.status)]).toEqual([context, true]);
  assertDialectShape(face, r);
}

function checkGraphQL(expected: Expectation, r: Reply, where: string) {
  const context = `${where}: expected ${expected}, got ${r.status} ${r.text.slice(0, 200)}`;
  const error = r.body?.errors?.[0];
  expect([context, r.status < 500 && error?.extensions?.code !== 'INTERNAL_SERVER_ERROR']).toEqual([context, true]);
  if (expected === 'allow') {
    expect([context, (r.body?.errors ?? []).some((e: any) => isGateRefusal(e.message))]).toEqual([context, false]);
    return;
  }
  const codes = { unauthenticated: ['UNAUTHENTICATED'], forbidden: ['FORBIDDEN'], isolated: ['NOT_FOUND', 'FORBIDDEN', 'VALIDATION_FAILED', 'CONFLICT', 'BAD_REQUEST'] }[expected];
  expect([context, codes.includes(error?.extensions?.code)]).toEqual([context, true]);
  if (expected === 'unauthenticated') expect([context, r.status]).toEqual([context, 401]);
  expect([context, r.body?.data ?? null]).toEqual([context, null]);
}

/**
 * An admitted key rotation replaces the caller's organization key (B's, when "another
 * organization's key" calls): later operations present the new one.
 */
function adoptRotatedKey(name: string, kind: CallerKind, reply: Reply) {
  const rotated = name === 'PUT /organizations/api-keys' ? reply.body?.result?.api_key
    : name === 'graphql Mutation.rotateOrganizationApiKey' ? reply.body?.data?.rotateOrganizationApiKey : undefined;
  if (typeof rotated !== 'string') return;
  if (kind !== "another organization's key") throw new Error(`${name} rotated a key for ${kind}`);
  f.b.apiKey = rotated;
}

interface Operation {
  name: string;
  face: Face;
  rules: AccessRule[];
  destructive: boolean;
  /** The request a kind of caller sends: built first (to know what to expect), sent by `fire`. */
  prepare(kind: CallerKind, userKey: string): { aimed: boolean; readsCredentials: boolean; fire(): Promise<Reply> };
}

const restOperation = (route: RouteDeclaration): Operation => {
  const ruleList = documentRulesOf(schema, parse(route.operation));
  const self = ruleList.some((r) => r.self && !r.allow.includes('USER'));
  return {
    name: `${route.method} ${route.path}`, face: route.dialect.name, rules: ruleList,
    destructive: route.method === 'DELETE' || /delete|regenerate|rotate|revoke/i.test(route.path),
    prepare(kind, userKey) {
      const request = restRequest(f, route, self);
      const headers = credentialsOf(f, kind, route.dialect.name, userKey);
      const fire = async (): Promise<Reply> => {
        if (route.body?.kind !== 'multipart') {
          return call(server.url, route.method, request.path, { headers, ...(request.body !== undefined ? { json: request.body } : {}) });
        }
        const form = new FormData();
        form.append(route.body.file, new Blob(['slashid:usernames\nmatrix-import\n'], { type: 'text/csv' }), 'import.csv');
        const response = await fetch(server.url + request.path, { method: route.method, headers, body: form });
        const text = await response.text();
        let body: unknown;
        try { body = JSON.parse(text); } catch { body = text; }
        return { status: response.status, headers: response.headers, body, text };
      };
      return { aimed: request.aimed, readsCredentials: route.auth !== 'none', fire };
    },
  };
};

const graphqlOperation = (root: 'Query' | 'Mutation', field: GraphQLField<unknown, unknown>): Operation => {
  const rule = rules.get(`${root}.${field.name}`);
  if (!rule) throw new Error(`${root}.${field.name} has no rule: the matrix cannot classify it`);
  return {
    name: `graphql ${root}.${field.name}`, face: 'graphql', rules: [rule],
    destructive: /^(delete|remove|batchDelete|rotate|regenerate|revoke|end)/.test(field.name),
    prepare(kind, userKey) {
      const request = graphqlRequest(f, root, field, Boolean(rule.self) && !rule.allow.includes('USER'));
      const fire = () => call(server.url, 'POST', '/graphql', {
        headers: credentialsOf(f, kind, 'graphql', userKey), json: { query: request.query, variables: request.variables },
      });
      return { aimed: request.aimed, readsCredentials: true, fire };
    },
  };
};

/** Fields whose arguments /graphql cannot carry (an Upload) are reached through REST only. */
function reachableOverGraphQL(field: GraphQLField<unknown, unknown>): boolean {
  try {
    graphqlRequest({ aValues: new Set(), persons: {}, tenantId: 't' } as unknown as Fixture, 'Mutation', field, false);
    return true;
  } catch (error) {
    if (error instanceof Unreachable && field.args.some((a) => isNonNullType(a.type))) return false;
    throw error;
  }
}

const roots = (['Query', 'Mutation'] as const).flatMap((root) =>
  Object.values((schema.getType(root) as GraphQLObjectType).getFields()).map((field) => [root, field] as const));
const operations: Operation[] = [
  ...routes.map(restOperation),
  ...roots.filter(([, field]) => reachableOverGraphQL(field)).map(([root, field]) => graphqlOperation(root, field)),
].sort((x, y) => Number(x.destructive) - Number(y.destructive));

test('every root field has a rule and every operation is in the matrix', () => {
  for (const [root, field] of roots) expect(rules.has(`${root}.${field.name}`)).toBe(true);
  expect(operations.length).toBeGreaterThan(routes.length);
});

test.each(operations.map((o) => [o.name, o] as const))('%s × 8 callers', async (_, operation) => {
  const declared = operation.rules.find((r) => r.scope)?.scope;
  const orgOnly = operation.rules.some((r) => !r.allow.some((k) => k !== 'ORGANIZATION'));
  const userKey = declared ? f.keys.byScope[declared] : orgOnly ? f.keys.all : f.keys.none;
  const calls = CALLER_KINDS.map((kind) => {
    const prepared = operation.prepare(kind, userKey);
    return { kind, ...prepared, expected: expectationOf(operation.rules, kind, operation.face, prepared.readsCredentials, prepared.aimed) };
  });
  // Refusals first, then one comparison of A's data: none of them may have changed anything.
  const refusals = calls.filter((c) => c.expected !== 'allow');
  const before = await snapshotOf(server, f.a.id);
  for (const c of [...refusals, ...calls.filter((x) => x.expected === 'allow')]) {
    const reply = await c.fire();
    counts.requests++;
    adoptRotatedKey(operation.name, c.kind, reply);
    const where = `${operation.name} as ${c.kind}`;
    if (operation.face === 'graphql') checkGraphQL(c.expected, reply, where);
    else checkRest(operation.face, c.expected, reply, where);
    if (c === refusals.at(-1)) {
      expect([operation.name, await snapshotOf(server, f.a.id)]).toEqual([operation.name, before]);
      counts.denialsWithSnapshot++;
    }
  }
  counts.denials += refusals.length;
  counts.allows += calls.length - refusals.length;
});
