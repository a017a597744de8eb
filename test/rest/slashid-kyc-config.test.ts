// KYC configuration: absent until set, an absolute http(s) URL, empty clears; bad input and
// refused callers change nothing; per organization.
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(() => server.close());

test('set, read, keep on an empty patch, clear; bad URLs are 400 and change nothing', async () => {
  const org = await server.createOrg('Kyc');
  const other = await server.createOrg('Kyc other');
  const path = '/organizations/config/kyc';
  const read = async (o = org) => (await call(server.url, 'GET', path, { headers: slashidHeaders(o) })).body.result;
  const patch = (json: unknown) => call(server.url, 'PATCH', path, { headers: slashidHeaders(org), json });
  expect(await read()).toEqual({});
  expect((await patch({ mobile_redirect_base_url: 'https://app.example/mobile-upload' })).status).toBe(204);
  expect(await read()).toEqual({ mobile_redirect_base_url: 'https://app.example/mobile-upload' });
  expect((await patch({})).status).toBe(204);
  expect(await read()).toEqual({ mobile_redirect_base_url: 'https://app.example/mobile-upload' });
  expect(await read(other)).toEqual({});
  for (const bad of ['not a url', 'javascript:alert(1)', 'ftp://x.example', '/relative', 5, null, `https://x.example/${'a'.repeat(2000)}`]) {
    const r = await patch({ mobile_redirect_base_url: bad });
    expect([bad, r.status, r.body?.errors?.[0]?.httpcode]).toEqual([bad, 400, 400]);
  }
  expect((await call(server.url, 'PATCH', path, { headers: slashidHeaders(org), raw: '{"mobile_redirect_base_url": ' })).status).toBe(400);
  expect((await call(server.url, 'PATCH', path, { json: { mobile_redirect_base_url: '' } })).status).toBe(401);
  expect(await read()).toEqual({ mobile_redirect_base_url: 'https://app.example/mobile-upload' });
  expect((await patch({ mobile_redirect_base_url: '' })).status).toBe(204);
  expect(await read()).toEqual({});
});
