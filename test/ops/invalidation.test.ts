// The invalidation listener: while its connection is lost the client cache serves nothing (every
// lookup reads the database); once reconnected it caches again. The listener reaches PostgreSQL
// through a TCP relay in this test, so the connection can be cut and kept down deterministically.
import net from 'node:net';
import { createTestDatabase } from '../helpers/server.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { InvalidationListener } from '../../src/db/invalidation.ts';
import { ClientCache } from '../../src/domain/oauth/clients.queries.ts';
import { createRootOrganization } from '../../src/domain/organization/organization.service.ts';
import { createClient } from '../../src/domain/oauth/clients.service.ts';

let database: { url: string; drop(): Promise<void> };
let db: Database;
let relay: net.Server;
let relayUrl: string;
const sockets = new Set<net.Socket>();
/** While set, the relay swallows every byte in both directions: a connection that died silently. */
let frozen = false;

function startRelay(port = 0): Promise<number> {
  const target = new URL(database.url);
  relay = net.createServer((inbound) => {
    const outbound = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(inbound); sockets.add(outbound);
    inbound.on('data', (chunk) => { if (!frozen) outbound.write(chunk); });
    outbound.on('data', (chunk) => { if (!frozen) inbound.write(chunk); });
    const close = () => { inbound.destroy(); outbound.destroy(); sockets.delete(inbound); sockets.delete(outbound); };
    inbound.on('error', close); outbound.on('error', close); inbound.on('close', close); outbound.on('close', close);
  });
  return new Promise((resolve) => relay.listen(port, '127.0.0.1', () => resolve((relay.address() as net.AddressInfo).port)));
}
const cut = () => new Promise<void>((resolve) => { relay.close(() => resolve()); for (const s of sockets) s.destroy(); });
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
};

beforeAll(async () => {
  database = await createTestDatabase();
  db = await openDatabase({ ...loadConfig({}), databaseUrl: database.url }, createLogger('silent'));
  const port = await startRelay();
  const url = new URL(database.url);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  relayUrl = url.toString();
});
afterAll(async () => {
  relay.close();
  for (const s of sockets) s.destroy();
  await db.close();
  await database.drop();
});

test('the cache is off while the listening connection is down, and on again once reconnected', async () => {
  const { organization } = await createRootOrganization(db.orm.em.fork(), 'Acme');
  const { client } = await createClient(db.orm.em.fork(), { organizationId: organization.id, method: 'org_api_key' }, null,
    { name: 'M', grantTypes: ['client_credentials'], scopes: ['read'] });
  const cache = new ClientCache(60_000);
  const listener = new InvalidationListener(relayUrl, createLogger('silent'));
  listener.register(cache);
  await listener.start();
  expect(listener.live).toBe(true);
  const read = async () => (await cache.find(db.orm.em.fork(), client.clientId))?.secretHash;
  const writeUnannounced = async (hash: string) => {
    await db.orm.em.getConnection().execute(`alter table oauth_client disable trigger oauth_client_notify`);
    await db.orm.em.getConnection().execute(`update oauth_client set secret_hash = ? where client_id = ?`, [hash, client.clientId]);
    await db.orm.em.getConnection().execute(`alter table oauth_client enable trigger oauth_client_notify`);
  };
  try {
    const original = await read();
    // While live, an unannounced change (trigger disabled) is not seen: proof the cache serves.
    await writeUnannounced('a'.repeat(64));
    expect(await read()).toBe(original);

    // The connection goes and stays away: the cache turns itself off and reads through.
    const port = (relay.address() as net.AddressInfo).port;
    await cut();
    await until(() => !listener.live);
    expect(await read()).toBe('a'.repeat(64));
    await writeUnannounced('b'.repeat(64));
    expect(await read()).toBe('b'.repeat(64));

    // Back: it reconnects, starts empty, and caches again.
    await startRelay(port);
    await until(() => listener.live);
    expect(await read()).toBe('b'.repeat(64));
    await writeUnannounced('c'.repeat(64));
    expect(await read()).toBe('b'.repeat(64));
    // And announced changes are heard on the new connection.
    await cache.change(db.orm.em.fork(), client.clientId, () => db.orm.em.getConnection().execute(`update oauth_client set secret_hash = ? where client_id = ?`, ['d'.repeat(64), client.clientId]));
    expect(await read()).toBe('d'.repeat(64));
    // A write that changes nothing (the trigger stays silent) still ends the wait: the cache
    // announces the change itself. With a one-minute cap, a missing announcement would time out.
    await cache.change(db.orm.em.fork(), client.clientId, async () => {}, 60_000);
  } finally {
    await listener.stop();
  }
}, 30_000);

test('a connection that stops answering without closing turns the cache off within two heartbeats', async () => {
  const cache = new ClientCache(60_000);
  const listener = new InvalidationListener(relayUrl, createLogger('silent'), 200);
  listener.register(cache);
  await listener.start();
  try {
    expect(listener.live).toBe(true);
    frozen = true;
    const since = Date.now();
    await until(() => !listener.live);
    expect(Date.now() - since).toBeLessThan(2000);
    frozen = false;
    await until(() => listener.live); // it reconnects on a fresh connection
  } finally {
    frozen = false;
    await listener.stop();
  }
}, 30_000);
