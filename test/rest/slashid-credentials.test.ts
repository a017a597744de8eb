import bcrypt from 'bcryptjs';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { hashPassword, verifyPassword } from '../../src/crypto/password.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let ada: string;

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const count = async (table: string) => (await server.sql(`select count(*)::int as n from ${table}`))[0].n;
const base = () => `/persons/${ada}/credentials`;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  const r = await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'email_address', value: 'ada@example.com' }] } });
  ada = r.body.result.person_id;
});
afterAll(() => server.close());

describe('credentials', () => {
  test('PUT password: 201 then 200 (envelope, no result); the export holds the hash; imported bcrypt verifies', async () => {
    const bcryptHash = bcrypt.hashSync('correct horse', 4);
    let r = await call(server.url, 'PUT', `${base()}/password`, { ...as(acme), json: { type: 'password', params: { password_hash: bcryptHash }, label: 'pw' } });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({});
    const argon = await hashPassword('battery staple');
    r = await call(server.url, 'PUT', `${base()}/password`, { ...as(acme), json: { type: 'password', params: { password_hash: argon } } });
    expect(r.status).toBe(200);
    expect(await count('credential')).toBe(1);
    r = await call(server.url, 'GET', base(), as(acme));
    expect(r.status).toBe(200);
    // The reference's ExportedPasswordCredential requires params.password_hash; an unused credential has no last_used.
    expect(r.body.result).toEqual([{ id: expect.any(String), type: 'password', label: 'pw', params: { password_hash: argon } }]);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const [{ secret }] = await server.sql('select secret from credential');
    expect((await verifyPassword(secret, 'battery staple')).ok).toBe(true);
  });

  test('POST creates a public-key credential (201) showing only public facts; DELETE one and all', async () => {
    let r = await call(server.url, 'POST', base(), {
      ...as(acme), json: { type: 'public-key', label: 'laptop', params: { webauthn_credential_id: 'cred-1', public_key: 'pQECAyYgASFYIA', attestation_type: 'none' } },
    });
    expect(r.status).toBe(201);
    expect(r.body.result).toEqual({
      id: expect.any(String), type: 'public-key', label: 'laptop',
      params: { webauthn_credential_id: 'cred-1', public_key: 'pQECAyYgASFYIA', attestation_type: 'none' },
    });
    const id = r.body.result.id;
    expect((await call(server.url, 'DELETE', `${base()}/${id}`, as(acme))).status).toBe(204);
    expect((await call(server.url, 'DELETE', `${base()}/${id}`, as(acme))).status).toBe(404);
    expect((await call(server.url, 'DELETE', `${base()}/not-a-uuid`, as(acme))).status).toBe(404);
  });

  test.each([
    ['not a PHC hash', { type: 'password', params: { password_hash: 'plaintext' } }],
    ['missing params', { type: 'password' }],
    ['unknown type', { type: 'fingerprint', params: {} }],
    ['public-key without key', { type: 'public-key', params: { webauthn_credential_id: 'x' } }],
    ['wrong type for label', { type: 'password', label: 5, params: { password_hash: '$2b$' } }],
  ])('POST answers 400 for %s and adds nothing', async (_, json) => {
    const before = await count('credential');
    expect((await call(server.url, 'POST', base(), { ...as(acme), json })).status).toBe(400);
    expect(await count('credential')).toBe(before);
  });

  test('PUT password refuses a non-PHC hash and malformed JSON', async () => {
    expect((await call(server.url, 'PUT', `${base()}/password`, { ...as(acme), json: { type: 'password', params: { password_hash: 'md5:abc' } } })).status).toBe(400);
    expect((await call(server.url, 'PUT', `${base()}/password`, { ...as(acme), raw: '{"type":' })).status).toBe(400);
  });

  test('password-reset answers 202 with no body and records one hashed, expiring, single-use token', async () => {
    let r = await call(server.url, 'POST', `${base()}/password-reset`, {
      ...as(acme), json: { force_change: true, reset_handle: { type: 'email_address', value: 'ada@example.com' } },
    });
    expect(r.status).toBe(202);
    expect(r.text).toBe('');
    r = await call(server.url, 'POST', `${base()}/password-reset`, as(acme));
    expect(r.status).toBe(202);
    const rows = await server.sql('select token_hash, used_at, expires_at from password_reset order by created_at');
    expect(rows).toHaveLength(2);
    expect(rows[0].used_at).not.toBeNull(); // superseded
    expect(rows[1].used_at).toBeNull();
    expect(rows[1].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Date(rows[1].expires_at).getTime()).toBeGreaterThan(Date.now());
    r = await call(server.url, 'POST', `${base()}/password-reset`, { ...as(acme), json: { reset_handle: { type: 'email_address', value: 'eve@example.com' } } });
    expect(r.status).toBe(400);
  });

  test('password-rotate returns a new password once; it verifies against the stored hash', async () => {
    const r = await call(server.url, 'POST', `${base()}/password-rotate`, as(acme));
    expect(r.status).toBe(200);
    const { new_password } = r.body.result;
    expect(new_password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const [{ secret }] = await server.sql(`select secret from credential where type = 'password'`);
    expect(secret).toMatch(/^\$argon2id\$/);
    expect((await verifyPassword(secret, new_password)).ok).toBe(true);
    expect((await call(server.url, 'GET', base(), as(acme))).text).not.toContain(new_password);
  });

  test('another organization gets 404 and changes nothing; no credentials 401; unknown person 404', async () => {
    const before = await server.sql('select id, secret from credential order by id');
    expect((await call(server.url, 'GET', base(), as(other))).status).toBe(404);
    expect((await call(server.url, 'DELETE', base(), as(other))).status).toBe(404);
    expect((await call(server.url, 'POST', `${base()}/password-rotate`, as(other))).status).toBe(404);
    expect((await call(server.url, 'PUT', `${base()}/password`, { ...as(other), json: { type: 'password', params: { password_hash: bcrypt.hashSync('x', 4) } } })).status).toBe(404);
    expect(await server.sql('select id, secret from credential order by id')).toEqual(before);
    expect((await call(server.url, 'GET', base())).status).toBe(401);
    expect((await call(server.url, 'GET', '/persons/0659dd31-7e38-7d1e-8704-e3b8b6966176/credentials', as(acme))).status).toBe(404);
  });

  test('DELETE all answers 204 and leaves none', async () => {
    expect((await call(server.url, 'DELETE', base(), as(acme))).status).toBe(204);
    expect((await call(server.url, 'GET', base(), as(acme))).body).toEqual({ result: [] });
  });
});

describe('TOTP credentials', () => {
  const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const keyUri = (q = '') => `otpauth://totp/Acme:ada@example.com?secret=${SEED}&issuer=Acme${q}`;
  const post = (org: TestOrg, params: unknown, person = ada) =>
    call(server.url, 'POST', `/persons/${person}/credentials`, { ...as(org), json: { type: 'totp', label: 'phone', params } });

  test('POST type totp: 201, public facts only; the seed is stored sealed and never returned', async () => {
    const r = await post(acme, { key_uri: keyUri('&digits=6&period=30'), recovery_codes_total: 10, unused_recovery_codes: ['aaaa-1111', 'bbbb-2222'] });
    expect(r.status).toBe(201);
    expect(r.body.result).toMatchObject({
      type: 'totp', label: 'phone',
      params: { issuer: 'Acme', account_name: 'ada@example.com', algorithm: 'SHA1', digits: 6, period: 30, recovery_codes_total: 10 },
    });
    expect(r.body.result.params.recovery_codes_unused).toBe(2);
    expect(r.text).not.toContain(SEED);
    expect(r.text).not.toContain('aaaa-1111');
    expect(r.text).not.toContain('unused_recovery_codes');
    const [row] = await server.sql(`select secret, params from credential where id = $1`, [r.body.result.id]);
    expect(row.secret).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(SEED);
    expect(JSON.stringify(row)).not.toContain('aaaa-1111');
    const list = await call(server.url, 'GET', base(), as(acme));
    expect(list.text).not.toContain(SEED);
    expect(list.body.result.find((c: any) => c.id === r.body.result.id).params.algorithm).toBe('SHA1');
  });

  test.each([
    ['no key_uri', {}],
    ['key_uri not a string', { key_uri: 42 }],
    ['not an otpauth URI', { key_uri: 'https://example.com' }],
    ['an hotp URI', { key_uri: `otpauth://hotp/Acme:ada?secret=${SEED}&counter=1` }],
    ['7 digits', { key_uri: keyUri('&digits=7') }],
    ['unknown algorithm', { key_uri: keyUri('&algorithm=MD5') }],
    ['a period of 1 second', { key_uri: keyUri('&period=1') }],
    ['a seed under 80 bits', { key_uri: 'otpauth://totp/Acme:ada?secret=JBSWY3DP' }],
    ['a seed that is not base32', { key_uri: 'otpauth://totp/Acme:ada?secret=not!base32' }],
    ['recovery_codes_total negative', { key_uri: keyUri(), recovery_codes_total: -1 }],
    ['unused codes not strings', { key_uri: keyUri(), unused_recovery_codes: [1, 2] }],
    ['more unused codes than issued', { key_uri: keyUri(), recovery_codes_total: 1, unused_recovery_codes: ['a', 'b'] }],
    ['oversize key_uri', { key_uri: keyUri('&x=' + 'y'.repeat(3000)) }],
  ])('400 for %s, nothing stored', async (_, params) => {
    const before = await count('credential');
    const r = await post(acme, params);
    expect(r.status).toBe(400);
    expect(r.text).not.toContain(SEED);
    expect(await count('credential')).toBe(before);
  });

  test('401 without credentials; 404 for another organization\'s person, nothing stored', async () => {
    const before = await count('credential');
    expect((await call(server.url, 'POST', base(), { json: { type: 'totp', params: { key_uri: keyUri() } } })).status).toBe(401);
    expect((await post(other, { key_uri: keyUri() })).status).toBe(404);
    expect(await count('credential')).toBe(before);
  });

  test('verifyTotpCode: a right code works once per time step; recovery codes once each; other keys fail', async () => {
    const { verifyTotpCode } = await import('../../src/domain/credential/totp.ts');
    const { Sealer } = await import('../../src/crypto/sealed.ts');
    const { Credential } = await import('../../src/domain/credential/credential.entity.ts');
    const { TOTP } = await import('otpauth');
    const sealer = new Sealer(Buffer.from(server.config.masterKey!, 'hex'));
    const r = await post(acme, { key_uri: keyUri(), recovery_codes_total: 2, unused_recovery_codes: ['RC-0001', 'RC-0002'] });
    const load = () => { const em = server.db.orm.em.fork(); return { em, credential: em.findOneOrFail(Credential, r.body.result.id) }; };
    const verify = async (code: string, at: number) => { const { em, credential } = load(); return verifyTotpCode(em, sealer, await credential, code, at); };
    const totp = new TOTP({ secret: SEED, algorithm: 'SHA1', digits: 6, period: 30 });
    const now = Date.now();
    const code = totp.generate({ timestamp: now });
    expect(await verify(code, now)).toBe(true);
    expect(await verify(code, now)).toBe(false); // replay
    expect(await verify(totp.generate({ timestamp: now - 30_000 }), now)).toBe(false); // an older step after a newer one
    expect(await verify(totp.generate({ timestamp: now + 30_000 }), now + 30_000)).toBe(true);
    expect(await verify('000000', now + 60_000) && await verify('000001', now + 60_000)).toBe(false);
    expect(await verify('rc-0001', now)).toBe(true); // recovery codes: case and dashes do not matter
    expect(await verify('RC-0001', now)).toBe(false);
    expect(await verify('RC-0002', now)).toBe(true);
    const listed = (await call(server.url, 'GET', base(), as(acme))).body.result.find((c: any) => c.id === r.body.result.id);
    expect(listed.params).toMatchObject({ recovery_codes_total: 2, recovery_codes_unused: 0 });
    expect(listed.last_used).toEqual(expect.any(String));
    const [row] = await server.sql(`select last_used_at from credential where id = $1`, [r.body.result.id]);
    expect(row.last_used_at).not.toBeNull();
    // Another master key cannot open the seed.
    const { em, credential } = load();
    await expect(verifyTotpCode(em, new Sealer(Buffer.alloc(32, 7)), await credential, code, now)).rejects.toThrow(/does not decrypt/);
  });
});

describe('what the export shows to whom', () => {
  test('a person\'s own API key reads its credentials over GraphQL without the password hash; the organization with it', async () => {
    const person = (await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'username', value: 'selfie' }] } })).body.result.person_id;
    const hash = await hashPassword('own secret');
    await call(server.url, 'PUT', `/persons/${person}/credentials/password`, { ...as(acme), json: { type: 'password', params: { password_hash: hash } } });
    const query = `{ person(id: "${person}") { credentials { type params passwordHash } } }`;
    const asOrg = await call(server.url, 'POST', '/graphql', { headers: { 'X-API-Key': acme.apiKey }, json: { query } });
    expect(asOrg.body.data.person.credentials).toEqual([{ type: 'password', params: {}, passwordHash: hash }]);
    const created = await call(server.url, 'POST', '/api-keys', {
      headers: { 'X-API-Key': acme.apiKey }, json: { tenant_id: acme.id, name: 'own', scopes: [], user_id: person },
    });
    expect(created.status).toBe(201);
    const key = created.body.api_key;
    const own = '{ me { credentials { type params passwordHash } } }';
    const asSelf = await call(server.url, 'POST', '/graphql', { headers: { 'X-API-Key': key }, json: { query: own } });
    expect(asSelf.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(asSelf.text).not.toContain(hash);
    const withoutHash = await call(server.url, 'POST', '/graphql', {
      headers: { 'X-API-Key': key }, json: { query: '{ me { credentials { type params } } }' },
    });
    expect(withoutHash.body.data.me.credentials).toEqual([{ type: 'password', params: {} }]);
  });

  test('ZKP credentials are not in SlashID\'s list', async () => {
    const person = (await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'username', value: 'zed' }] } })).body.result.person_id;
    await server.sql(`insert into credential (id, organization_id, person_id, type, secret, created_at, updated_at)
      values (gen_random_uuid(), $1, $2, 'zkp', 'commitment', now(), now())`, [acme.id, person]);
    expect((await call(server.url, 'GET', `/persons/${person}/credentials`, as(acme))).body).toEqual({ result: [] });
  });
});
