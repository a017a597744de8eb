// One address, two Unicode spellings: "é" precomposed (NFC) or "e" + U+0301 (NFD) is one handle
// on every face. Compatibility characters (fullwidth letters, ligatures) are refused, not folded.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { createPerson } from '../../src/domain/person/person.service.ts';
import { Organization } from '../../src/domain/organization/organization.entity.ts';

let server: TestServer;
let acme: TestOrg;

const NFC = 'caf\u00e9@example.com';
const NFD = 'cafe\u0301@example.com';
const persons = async (org: TestOrg) => Number((await server.sql('select count(*) n from person where organization_id = $1', [org.id]))[0].n);
const createWith = (org: TestOrg, value: string, type = 'email_address') =>
  call(server.url, 'POST', '/persons', { headers: slashidHeaders(org), json: { handles: [{ type, value }] } });

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
});
afterAll(() => server.close());

test('NFC then NFD of one address: one person, 409 for the second, stored in NFC', async () => {
  expect(NFC).not.toBe(NFD);
  const first = await createWith(acme, NFC);
  expect(first.status).toBe(201);
  const second = await createWith(acme, NFD);
  expect(second.status).toBe(409);
  expect(await persons(acme)).toBe(1);
  const upper = await createWith(acme, 'CAFE\u0301@EXAMPLE.COM');
  expect(upper.status).toBe(409);
  // Found by either spelling.
  const found = await call(server.url, 'GET', `/persons?handle=${encodeURIComponent(`email_address:${NFD}`)}`, { headers: slashidHeaders(acme) });
  expect(found.body.result.map((p: any) => p.person_id)).toEqual([first.body.result.person_id]);
});

test('NFD first is stored in NFC, and the NFC spelling is then taken', async () => {
  const org = await server.createOrg('Nfd first');
  const first = await createWith(org, NFD);
  expect(first.status).toBe(201);
  expect(first.body.result.handles).toEqual([{ type: 'email_address', value: NFC }]);
  const [row] = await server.sql(`select value, normalized from handle where person_id = $1`, [first.body.result.person_id]);
  expect(row).toEqual({ value: NFC, normalized: NFC });
  expect((await createWith(org, NFC)).status).toBe(409);
  // Parallel attempts with both spellings: one wins, the others get 409, never a 500.
  const racers = await Promise.all(['r\u00e9@x.io', 're\u0301@x.io', 'R\u00c9@x.io', 'RE\u0301@X.IO'].map((v) => createWith(org, v)));
  expect(racers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
});

test('GraphQL and addHandles compare the same way', async () => {
  const gql = (query: string, variables: Record<string, unknown>) =>
    call(server.url, 'POST', '/graphql', { headers: slashidHeaders(acme), json: { query, variables } });
  const r = await gql('mutation($h: [HandleInput!]!) { createPerson(input: { handles: $h }) { id } }', { h: [{ type: 'email_address', value: NFD }] });
  expect(r.body.errors[0].extensions.code).toBe('CONFLICT');
  const other = await createWith(acme, 'other@example.com');
  const add = await call(server.url, 'POST', `/persons/${other.body.result.person_id}/handles`, {
    headers: slashidHeaders(acme), json: [{ type: 'email_address', value: NFD }],
  });
  expect(add.status).toBe(409);
  expect(await persons(acme)).toBe(2);
});

test('compatibility characters are refused with the plain form to use instead', async () => {
  const before = await persons(acme);
  const fullwidth = await createWith(acme, '\uff41\uff44\uff4d\uff49\uff4e@example.com'); // ａｄｍｉｎ
  expect(fullwidth.status).toBe(400);
  expect(fullwidth.body.errors[0].message).toContain('contains compatibility characters (such as fullwidth letters); write it as "admin@example.com"');
  const ligature = await createWith(acme, '\ufb01le@example.com'); // ﬁle
  expect(ligature.status).toBe(400);
  expect(ligature.body.errors[0].message).toContain('write it as "file@example.com"');
  // Usernames are ASCII letters, digits and _ . @ - on both faces: fullwidth is not one of them.
  expect((await createWith(acme, '\uff41\uff44\uff4d\uff49\uff4e', 'username')).status).toBe(400);
  expect(await persons(acme)).toBe(before);
});

test('the vault face takes ASCII addresses only, so neither spelling gets in there', async () => {
  for (const email of [NFC, NFD]) {
    const r = await call(server.url, 'POST', `/tenants/${acme.id}/users`, { headers: vaultHeaders(acme), json: { username: 'cafe', email } });
    expect(r.status).toBe(422);
    expect(r.body.detail[0].loc).toEqual(['body', 'email']);
  }
});

test('the migration brings legacy comparison keys to NFC unless another person holds that form', async () => {
  const org = await server.createOrg('Legacy');
  const em = server.db.orm.em.fork();
  const organization = await em.findOneOrFail(Organization, { id: org.id });
  const a = await createPerson(em, organization, { handles: [{ type: 'email_address', value: 'legacy@x.io' }] });
  const b = await createPerson(em, organization, { handles: [{ type: 'email_address', value: 'twin@x.io' }] });
  const c = await createPerson(em, organization, { handles: [{ type: 'email_address', value: 'pair@x.io' }] });
  // As written before NFC: the key was only lower-cased.
  await server.sql(`update handle set value = $2, normalized = $2 where person_id = $1`, [a.id, 'no\u0308el@x.io']);
  await server.sql(`update handle set value = $2, normalized = $2 where person_id = $1`, [b.id, 'zo\u0308e@x.io']);
  await server.sql(`update handle set value = $2, normalized = $2 where person_id = $1`, [c.id, 'z\u00f6e@x.io']);
  await server.sql(`delete from mikro_orm_migrations where name = 'Migration20261202060802'`);
  await server.db.orm.migrator.up();
  const keys = await server.sql(`select person_id, normalized from handle where person_id = any($1) order by normalized`, [[a.id, b.id, c.id]]);
  expect(keys).toEqual(expect.arrayContaining([
    { person_id: a.id, normalized: 'n\u00f6el@x.io' },
    { person_id: c.id, normalized: 'z\u00f6e@x.io' },
    { person_id: b.id, normalized: 'zo\u0308e@x.io' }, // its NFC form is c's: left for an administrator
  ]));
  const found = await call(server.url, 'GET', `/persons?handle=${encodeURIComponent('email_address:N\u00d6EL@x.io')}`, { headers: slashidHeaders(org) });
  expect(found.body.result.map((p: any) => p.person_id)).toEqual([a.id]);
});
