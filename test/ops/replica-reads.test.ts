// Reads through a PostgreSQL streaming replica (DATABASE_REPLICA_URLS): a read-only request reads
// the persons from the replica, a request that writes reads its own writes from the primary. The
// replica's replay is paused so the two are told apart: what the replica returns is then stale.
import { jest } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestServer, createTestDatabase, type TestServer, type TestOrg } from '../helpers/server.ts';
import { startPrimaryWithReplica, type PrimaryWithReplica } from '../helpers/replica.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { ormOptions } from '../../mikro-orm.config.ts';
import { allowReplicaReads, readOptions } from '../../src/db/read-routing.ts';
import { transactionalWithHooks } from '../../src/db/transactions.ts';
import { Organization } from '../../src/domain/organization/organization.entity.ts';

jest.setTimeout(120_000);

let cluster: PrimaryWithReplica;
let server: TestServer;
let acme: TestOrg;

beforeAll(async () => {
  cluster = await startPrimaryWithReplica();
  server = await startTestServer({}, { adminUrl: cluster.primaryUrl, replica: cluster });
  acme = await server.createOrg('Acme');
  await cluster.caughtUp();
});
afterAll(async () => {
  await cluster.resumeReplay().catch(() => {});
  await server?.close();
  await cluster?.stop();
});

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const graphql = (query: string, variables: Record<string, unknown> = {}) =>
  call(server.url, 'POST', '/graphql', { ...as(acme), json: { query, variables } });

test('the replica streams from the primary', async () => {
  const [{ standby }] = await server.sql('select pg_is_in_recovery() as standby');
  expect(standby).toBe(false);
  const listed = await call(server.url, 'GET', '/persons', as(acme));
  expect(listed.status).toBe(200);
  expect(listed.body.meta.pagination.total_count).toBe(0);
});

test('with replay paused, writes read their own rows from the primary and reads see the replica', async () => {
  await cluster.pauseReplay();
  try {
    const created = await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'email_address', value: 'ada@example.com' }] } });
    expect(created.status).toBe(201);
    // The created person's handles are read after the INSERT, in the same request: from the primary.
    expect(created.body.result.handles).toEqual([{ type: 'email_address', value: 'ada@example.com' }]);
    const mutated = await graphql('mutation { createPerson(input: { handles: [{ type: username, value: "grace" }] }) { id handles { value } } }');
    expect(mutated.body.errors).toBeUndefined();
    expect(mutated.body.data.createPerson.handles).toEqual([{ value: 'grace' }]);

    // Read-only requests read from the replica, which has not replayed those writes yet.
    const listed = await call(server.url, 'GET', '/persons', as(acme));
    expect(listed.status).toBe(200);
    expect(listed.body.meta.pagination.total_count).toBe(0);
    expect(listed.body.result).toEqual([]);
    const byId = await call(server.url, 'GET', `/persons/${created.body.result.person_id}`, as(acme));
    expect(byId.status).toBe(404);
    const queried = await graphql('{ persons(first: 10) { totalCount nodes { id } } }');
    expect(queried.body.data.persons).toEqual({ totalCount: 0, nodes: [] });
  } finally {
    await cluster.resumeReplay();
  }
  await cluster.caughtUp();
  const listed = await call(server.url, 'GET', '/persons', as(acme));
  expect(listed.body.meta.pagination.total_count).toBe(2);
  expect(listed.body.result.map((p: { handles: { value: string }[] }) => p.handles[0].value)).toEqual(['ada@example.com', 'grace']);
  // The nested graph of a query (handles, groups, roles, attributes loaders) reads the replica too.
  const nested = await graphql('{ persons(first: 10) { nodes { handles { value } groups { name } roles { name } permissions { name } attributes } } }');
  expect(nested.body.errors).toBeUndefined();
  expect(nested.body.data.persons.nodes.map((n: { handles: { value: string }[] }) => n.handles[0].value)).toEqual(['ada@example.com', 'grace']);
  const attributesOfAda = async () =>
    (await graphql('{ persons(first: 1) { nodes { attributes } } }')).body.data.persons.nodes[0].attributes;
  const before = await attributesOfAda();
  await cluster.pauseReplay();
  try {
    await server.sql(`insert into person_attribute (person_id, bucket, name, organization_id, value, updated_at)
      values ($1, 'end_user_read_write', 'colour', $2, '"green"', now())`, [listed.body.result[0].person_id, acme.id]);
    expect(await attributesOfAda()).toEqual(before); // the attributes loader reads the paused replica
  } finally {
    await cluster.resumeReplay();
  }
  await cluster.caughtUp();
  expect(await attributesOfAda()).toEqual({ ...before, end_user_read_write: { ...before?.end_user_read_write, colour: 'green' } });
});

test('an entity manager reads from the replica only while allowed and until it writes', async () => {
  const database = await createTestDatabase(cluster.primaryUrl);
  await cluster.caughtUp();
  const orm = await MikroORM.init(ormOptions(database.url, false, [cluster.replicaUrlOf(database.url)]));
  try {
    const standby = async (em: EntityManager) =>
      (await em.execute<{ standby: boolean }[]>('select pg_is_in_recovery() as standby', [], readOptions(em)))[0].standby;
    const em = orm.em.fork() as EntityManager;
    expect(await standby(em)).toBe(false); // not declared read-only: the primary
    allowReplicaReads(em);
    expect(await standby(em)).toBe(true);
    await em.flush(); // a flush, even of nothing, counts as a write
    expect(await standby(em)).toBe(false);

    const other = orm.em.fork() as EntityManager;
    allowReplicaReads(other);
    await transactionalWithHooks(other, async (tx) => {
      expect((await tx.execute<{ standby: boolean }[]>('select pg_is_in_recovery() as standby'))[0].standby).toBe(false);
    });
    expect(await standby(other)).toBe(false);
    // Entity reads keep the primary unless asked otherwise (preferReadReplicas is off): the tables
    // are made while the replica is paused, so they exist on the primary only.
    await cluster.pauseReplay();
    await orm.migrator.up();
    const reader = orm.em.fork() as EntityManager;
    allowReplicaReads(reader);
    expect(await reader.count(Organization, {})).toBe(0);
  } finally {
    await cluster.resumeReplay();
    await orm.close(true);
    await database.drop();
  }
});
