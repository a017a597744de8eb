// Quotas: this server's one tier (no limits, so none are listed), and the usage of the caller's
// hierarchy — only its own and below, never a parent's or sibling's.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(() => server.close());

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const TIER = { name: 'enterprise-with-nhi', custom_templates_allowed: true, nhi_external_connections_allowed: true };

test('the current tier and all tiers: one tier, nothing limited', async () => {
  const org = await server.createOrg('Quota');
  expect((await call(server.url, 'GET', '/organizations/quota/current-tier', as(org))).body.result).toEqual(TIER);
  // all-tiers takes the key alone (the reference declares no SlashID-OrgID there); a wrong pair is refused.
  expect((await call(server.url, 'GET', '/organizations/quota/all-tiers', { headers: { 'SlashID-API-Key': org.apiKey } })).body.result).toEqual([TIER]);
  expect((await call(server.url, 'GET', '/organizations/quota/all-tiers', { headers: { 'SlashID-API-Key': 'nope' } })).status).toBe(401);
  const other = await server.createOrg('Quota other');
  expect((await call(server.url, 'GET', '/organizations/quota/all-tiers', { headers: { 'SlashID-API-Key': org.apiKey, 'SlashID-OrgID': other.id } })).status).toBe(401);
  expect((await call(server.url, 'GET', '/organizations/quota/current-tier')).status).toBe(401);
});

test('usage counts the caller\'s hierarchy and nothing above or beside it', async () => {
  const top = await server.createOrg('Usage top');
  const sub = async (parent: TestOrg, name: string) => {
    const r = await call(server.url, 'POST', '/organizations/suborganizations', {
      ...as(parent), json: { sub_org_name: name, admins: [{ type: 'username', value: `admin-${name.replace(/\W/g, '')}` }] },
    });
    return { id: r.body.result.id, apiKey: r.body.result.api_key, name } as TestOrg;
  };
  const left = await sub(top, 'left');
  const right = await sub(top, 'right');
  await sub(left, 'deep');
  await call(server.url, 'POST', '/groups', { ...as(left), json: { name: 'team' } });
  await call(server.url, 'POST', '/groups', { ...as(top), json: { name: 'all' } });
  const usage = async (org: TestOrg) => (await call(server.url, 'GET', '/organizations/quota/usage', as(org))).body.result;
  // Admin persons: one per suborganization (left, right, deep).
  expect(await usage(top)).toEqual({ pricing_tier_details: TIER, num_suborganizations: 3, num_persons: 3, num_groups: 2 });
  expect(await usage(left)).toEqual({ pricing_tier_details: TIER, num_suborganizations: 1, num_persons: 2, num_groups: 1 });
  expect(await usage(right)).toEqual({ pricing_tier_details: TIER, num_suborganizations: 0, num_persons: 1, num_groups: 0 });
});
