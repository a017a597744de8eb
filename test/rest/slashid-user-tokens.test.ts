import { createRemoteJWKSet, jwtVerify, decodeJwt } from 'jose';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let personId: string;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  const r = await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'email_address', value: 'tok@example.com' }] } });
  personId = r.body.result.person_id;
});
afterAll(() => server.close());

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const mint = (org: TestOrg, id: string, json: unknown = { custom_claims: { plan: 'gold', nested: { a: 1 } } }) =>
  call(server.url, 'POST', `/persons/${id}/mint-token`, { ...as(org), json });
const validate = (org: TestOrg, token: string) => call(server.url, 'POST', '/token/validate', { ...as(org), json: { token } });

describe('POST /persons/{person_id}/mint-token', () => {
  test('mints an RS256 user token, custom claims flat, verifiable against the JWKS', async () => {
    const r = await mint(acme, personId);
    expect(r.status).toBe(201);
    const token = r.body.result as string;
    const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`)), { issuer: server.url });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: personId, person_id: personId, oid: acme.id, authenticated_methods: ['api'], first_token: false,
      plan: 'gold', nested: { a: 1 }, groups: [],
    });
    expect(payload.jti).toMatch(/^[0-9a-f]{32}$/);
    expect(payload.exp! - payload.iat!).toBe(86400);
  });

  test.each([['sub'], ['groups'], ['person_id'], ['iss']])('refuses the reserved claim %s with 400', async (claim) => {
    const r = await mint(acme, personId, { custom_claims: { [claim]: 'x' } });
    expect(r.status).toBe(400);
  });

  test('400 for wrong types and malformed JSON; 404 for unknown or foreign persons; 401 without a key', async () => {
    expect((await mint(acme, personId, { custom_claims: 'x' })).status).toBe(400);
    expect((await call(server.url, 'POST', `/persons/${personId}/mint-token`, { ...as(acme), raw: '{' })).status).toBe(400);
    expect((await mint(other, personId)).status).toBe(404);
    expect((await mint(acme, '0659dd31-7e38-7d1e-8704-e3b8b6966176')).status).toBe(404);
    expect((await call(server.url, 'POST', `/persons/${personId}/mint-token`, { json: {} })).status).toBe(401);
  });
});

describe('POST /token/validate and /token/revoke', () => {
  test('a fresh token is valid; revoked it is not', async () => {
    const token = (await mint(acme, personId)).body.result;
    const ok = await validate(acme, token);
    expect(ok.status).toBe(200);
    expect(ok.body.result).toMatchObject({ valid: true });
    expect(ok.body.result.expires_in_seconds).toBeGreaterThan(86000);
    expect(ok.body.result.invalidity_reason).toBeUndefined();
    expect((await call(server.url, 'POST', '/token/revoke', { ...as(other), json: { token } })).status).toBe(400);
    expect((await validate(acme, token)).body.result.valid).toBe(true);
    expect((await call(server.url, 'POST', '/token/revoke', { ...as(acme), json: { token } })).status).toBe(204);
    expect((await validate(acme, token)).body.result).toEqual({ valid: false, invalidity_reason: 'invalid_token_content' });
  });

  test('tampered, foreign, expired and inactive-person tokens carry their reason', async () => {
    const token = (await mint(acme, personId)).body.result as string;
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...decodeJwt(token), plan: 'platinum' })).toString('base64url')}.${s}`;
    expect((await validate(acme, forged)).body.result).toEqual({ valid: false, invalidity_reason: 'invalid_token_content' });
    expect((await validate(other, token)).body.result).toEqual({ valid: false, invalidity_reason: 'invalid_token_content' });
    expect((await validate(acme, 'not-a-jwt')).body.result.valid).toBe(false);
    const direct = await call(server.url, 'POST', `/persons/${personId}/direct-id`, { ...as(acme), json: { duration_secs: 1 } });
    const shortLived = JSON.parse(Buffer.from(direct.body.result, 'base64url').toString()).token;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await validate(acme, shortLived)).body.result).toEqual({ valid: false, invalidity_reason: 'expired' });
    const p2 = (await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'username', value: 'leaver' }] } })).body.result.person_id;
    const t2 = (await mint(acme, p2)).body.result;
    await call(server.url, 'PATCH', `/persons/${p2}`, { ...as(acme), json: { active: false } });
    expect((await validate(acme, t2)).body.result).toEqual({ valid: false, invalidity_reason: 'person_not_active' });
    expect((await call(server.url, 'POST', '/token/validate', { ...as(acme), json: {} })).status).toBe(400);
  });
});

describe('POST /persons/{person_id}/direct-id', () => {
  test('returns a Direct-ID carrying a short-lived user token', async () => {
    const r = await call(server.url, 'POST', `/persons/${personId}/direct-id`, { ...as(acme), json: { duration_secs: 300 } });
    expect(r.status).toBe(201);
    const decoded = JSON.parse(Buffer.from(r.body.result, 'base64url').toString());
    const claims = decodeJwt(decoded.token);
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(claims.authenticated_methods).toEqual(['direct_id']);
    expect((await call(server.url, 'POST', `/persons/${personId}/direct-id`, { ...as(acme), json: {} })).status).toBe(400);
    expect((await call(server.url, 'POST', `/persons/${personId}/direct-id`, { ...as(acme), json: { duration_secs: 'x' } })).status).toBe(400);
    expect((await call(server.url, 'POST', `/persons/${personId}/direct-id`, { ...as(other), json: { duration_secs: 60 } })).status).toBe(404);
  });
});

describe('POST /oauth2/tokens/mint', () => {
  let clientId: string;
  beforeAll(async () => {
    const r = await call(server.url, 'POST', '/oauth2/clients', { ...as(acme), json: { client_name: 'Minty', scopes: ['openid', 'read'], grant_types: ['authorization_code'] } });
    clientId = r.body.result.client_id;
  });

  test('mints access, ID and refresh tokens for a person and a client', async () => {
    const r = await call(server.url, 'POST', '/oauth2/tokens/mint', {
      ...as(acme), json: { person_id: personId, client_id: clientId, scopes: ['openid', 'offline_access', 'read'], custom_claims: { tier: 2 } },
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.result).sort()).toEqual(['access_token', 'id_token', 'refresh_token']);
    expect(decodeJwt(r.body.result.id_token)).toMatchObject({ sub: personId, aud: clientId, tier: 2 });
    const intro = await fetch(`${server.url}/oauth2/tokens/introspect`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: r.body.result.access_token, client_id: clientId, client_secret: 'wrong' }),
    });
    expect(intro.status).toBe(401);
    const only = await call(server.url, 'POST', '/oauth2/tokens/mint', { ...as(acme), json: { person_id: personId, client_id: clientId } });
    expect(Object.keys(only.body.result)).toEqual(['access_token']);
  });

  test('mints with every scope a client may hold: 64 of 128 characters (8 KiB stored, a 500 once)', async () => {
    const scopes = Array.from({ length: 64 }, (_, i) => `${String(i).padStart(2, '0')}${'s'.repeat(126)}`);
    const client = await call(server.url, 'POST', '/oauth2/clients', { ...as(acme), json: { client_name: 'Wide', scopes, grant_types: ['authorization_code'] } });
    expect(client.status).toBe(201);
    const r = await call(server.url, 'POST', '/oauth2/tokens/mint', { ...as(acme), json: { person_id: personId, client_id: client.body.result.client_id, scopes } });
    expect(r.status).toBe(200);
    const [{ n }] = await server.sql('select max(length(scope))::int as n from oauth_token');
    expect(n).toBe(64 * 129 - 1);
  });

  test('refuses scopes the client lacks (400), reserved claims (400), foreign clients and persons (404)', async () => {
    const base = { person_id: personId, client_id: clientId };
    expect((await call(server.url, 'POST', '/oauth2/tokens/mint', { ...as(acme), json: { ...base, scopes: ['admin'] } })).status).toBe(400);
    expect((await call(server.url, 'POST', '/oauth2/tokens/mint', { ...as(acme), json: { ...base, custom_claims: { aud: 'x' } } })).status).toBe(400);
    expect((await call(server.url, 'POST', '/oauth2/tokens/mint', { ...as(other), json: base })).status).toBe(404);
    expect((await call(server.url, 'POST', '/oauth2/tokens/mint', { ...as(acme), json: { ...base, person_id: '0659dd31-7e38-7d1e-8704-e3b8b6966176' } })).status).toBe(404);
    expect((await call(server.url, 'POST', '/oauth2/tokens/mint', { ...as(acme), json: { client_id: clientId } })).status).toBe(400);
  });
});

describe('POST /token/validate takes the API key alone', () => {
  test('without SlashID-OrgID it works; with a foreign or malformed one it is 401', async () => {
    const org = await server.createOrg('KeyOnly');
    const other = await server.createOrg('KeyOnlyOther');
    const json = { token: 'not-a-token' };
    const alone = await call(server.url, 'POST', '/token/validate', { headers: { 'SlashID-API-Key': org.apiKey }, json });
    expect(alone.status).toBe(200);
    expect(alone.body.result.valid).toBe(false);
    for (const orgId of [other.id, 'nope']) {
      const r = await call(server.url, 'POST', '/token/validate', { headers: { 'SlashID-API-Key': org.apiKey, 'SlashID-OrgID': orgId }, json });
      expect(r.status).toBe(401);
    }
    expect((await call(server.url, 'POST', '/token/validate', { json })).status).toBe(401);
  });
});
