// POST /persons with what PersonCreateReq allows besides handles (attributes, credentials), stored
// with the person in one transaction; and `fields` choosing handles, groups and attributes.
import bcrypt from 'bcryptjs';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { verifyPassword } from '../../src/crypto/password.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  await call(server.url, 'POST', '/groups', { ...as(acme), json: { name: 'staff' } });
});
afterAll(() => server.close());

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const count = async (table: string) => (await server.sql(`select count(*)::int as n from ${table}`))[0].n;
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const hash = bcrypt.hashSync('correct horse', 4);
const post = (json: unknown, org = acme) => call(server.url, 'POST', '/persons', { ...as(org), json });
const email = (value: string) => [{ type: 'email_address', value }];

describe('POST /persons with attributes and credentials', () => {
  test('stores them with the person: attributes by bucket, a password, a passkey and a TOTP credential', async () => {
    const r = await post({
      handles: email('ada@example.com'), groups: ['staff'],
      attributes: { end_user_read_write: { color: 'red', size: { n: 4 } }, 'person_pool-end_user_no_access': { risk: 1 } },
      credentials: [
        { type: 'password', label: 'pw', params: { password_hash: hash } },
        { type: 'public-key', params: { webauthn_credential_id: 'cred-1', public_key: 'pQECAyYgASFYIA', attestation_type: 'none' } },
        { type: 'totp', params: { key_uri: `otpauth://totp/Acme:ada?secret=${SEED}&issuer=Acme`, recovery_codes_total: 2, unused_recovery_codes: ['a1'] } },
      ],
    });
    expect(r.status).toBe(201);
    const id = r.body.result.person_id;
    const attributes = await call(server.url, 'GET', `/persons/${id}/attributes`, as(acme));
    expect(attributes.body.result).toEqual({
      end_user_read_write: { color: 'red', size: { n: 4 } }, 'person_pool-end_user_no_access': { risk: 1 },
    });
    const credentials = (await call(server.url, 'GET', `/persons/${id}/credentials`, as(acme))).body.result;
    expect(credentials.map((c: any) => c.type)).toEqual(['password', 'public-key', 'totp']);
    expect(credentials[0]).toEqual({ id: expect.any(String), type: 'password', label: 'pw', params: { password_hash: hash } });
    expect(credentials[2].params).toMatchObject({ recovery_codes_total: 2, recovery_codes_unused: 1 });
    const [{ secret }] = await server.sql(`select secret from credential where person_id = $1 and type = 'password'`, [id]);
    expect((await verifyPassword(secret, 'correct horse')).ok).toBe(true);
  });

  test.each([
    ['an unknown bucket', { attributes: { nope: { a: 1 } } }, 404],
    ['a bucket that is not an object', { attributes: { end_user_read_write: 'x' } }, 400],
    ['an attribute name over 70 bytes', { attributes: { end_user_read_write: { ['n'.repeat(71)]: 1 } } }, 400],
    ['a credential that is not a PHC hash', { credentials: [{ type: 'password', params: { password_hash: 'plain' } }] }, 400],
    ['an unknown credential type', { credentials: [{ type: 'zkp', params: {} }] }, 400],
    ['a credential without params', { credentials: [{ type: 'password' }] }, 400],
    ['two passwords', { credentials: [1, 2].map(() => ({ type: 'password', params: { password_hash: hash } })) }, 400],
    ['a passkey without its public key', { credentials: [{ type: 'public-key', params: { webauthn_credential_id: 'x' } }] }, 400],
    ['a bad TOTP key URI', { credentials: [{ type: 'totp', params: { key_uri: 'otpauth://hotp/x?secret=AB' } }] }, 400],
    ['21 credentials', { credentials: Array.from({ length: 21 }, () => ({ type: 'password', params: { password_hash: hash } })) }, 400],
  ])('refuses %s, and creates nothing (no person, no handle, no attribute, no credential)', async (_, extra, status) => {
    const before = await Promise.all(['person', 'handle', 'person_attribute', 'credential'].map(count));
    const r = await post({ handles: email('bad@example.com'), attributes: { end_user_read_only: { kept: false } }, ...extra });
    expect(r.status).toBe(status);
    expect(r.body.errors[0].httpcode).toBe(status);
    expect(await Promise.all(['person', 'handle', 'person_attribute', 'credential'].map(count))).toEqual(before);
  });

  test('PUT creates with them; for an existing person it refuses them (400) and changes nothing', async () => {
    const created = await call(server.url, 'PUT', '/persons', {
      ...as(acme), json: { handles: email('put@example.com'), attributes: { end_user_read_only: { a: 1 } } },
    });
    expect(created.status).toBe(201);
    const id = created.body.result.person_id;
    const again = await call(server.url, 'PUT', '/persons', {
      ...as(acme), json: { handles: email('put@example.com'), active: false, attributes: { end_user_read_only: { a: 2 } } },
    });
    expect(again.status).toBe(400);
    expect(again.body.errors[0].message).toMatch(/only when a person is created/);
    const person = await call(server.url, 'GET', `/persons/${id}?fields=attributes`, as(acme));
    expect(person.body.result).toMatchObject({ active: true, attributes: { end_user_read_only: { a: 1 } } });
  });

  test('another organization\'s key creates in its own organization only; no key is 401', async () => {
    const r = await post({ handles: email('ada@example.com'), attributes: { end_user_read_write: { org: 'other' } } }, other);
    expect(r.status).toBe(201);
    const [{ organization_id }] = await server.sql('select organization_id from person_attribute where value = $1', ['"other"']);
    expect(organization_id).toBe(other.id);
    expect((await call(server.url, 'POST', '/persons', { json: { handles: email('x@example.com'), attributes: {} } })).status).toBe(401);
  });
});

describe('fields', () => {
  let id: string;
  beforeAll(async () => {
    id = (await post({ handles: email('fields@example.com'), groups: ['staff'], attributes: { end_user_read_write: { k: 'v' } } })).body.result.person_id;
  });

  test('fields=handles,groups,attributes on GET /persons/{id} returns all three', async () => {
    const r = await call(server.url, 'GET', `/persons/${id}?fields=handles,groups,attributes`, as(acme));
    expect(r.status).toBe(200);
    expect(r.body.result).toEqual({
      person_id: id, active: true, person_type: 'regular', region: expect.any(String),
      handles: email('fields@example.com'), groups: ['staff'], attributes: { end_user_read_write: { k: 'v' } },
    });
  });

  test('on GET /persons, each listed field only; absent fields means handles only', async () => {
    const both = await call(server.url, 'GET', `/persons?ids=${id}&fields=groups,attributes`, as(acme));
    expect(both.body.result).toEqual([expect.objectContaining({ groups: ['staff'], attributes: { end_user_read_write: { k: 'v' } } })]);
    expect(both.body.result[0].handles).toBeUndefined();
    const none = await call(server.url, 'GET', `/persons?ids=${id}`, as(acme));
    expect(Object.keys(none.body.result[0]).sort()).toEqual(['active', 'handles', 'person_id', 'person_type', 'region']);
    const attributesOnly = await call(server.url, 'GET', `/persons/${id}?fields=attributes`, as(acme));
    expect(Object.keys(attributesOnly.body.result).sort()).toEqual(['active', 'attributes', 'person_id', 'person_type', 'region']);
  });

  test('an unknown field is 400; another organization\'s person is 404', async () => {
    expect((await call(server.url, 'GET', `/persons/${id}?fields=handles,credentials`, as(acme))).status).toBe(400);
    expect((await call(server.url, 'GET', `/persons/${id}?fields=groups`, as(other))).status).toBe(404);
  });
});
