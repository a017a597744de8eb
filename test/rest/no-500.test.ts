// Every declared REST operation, fed junk with valid credentials, answers a 4xx in its dialect's
// shape — never a 500. Junk: malformed JSON, bodies of the wrong type, odd path values.
import { routes } from '../../src/rest/routes/index.ts';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';

let server: TestServer;
let org: TestOrg;
beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  org = await server.createOrg('Fuzz');
});
afterAll(() => server.close());

const junkPathValues = ['x', '00000000-0000-0000-0000-000000000000', encodeURIComponent("' or 1=1 --"), 'é'.repeat(40)];
const junkBodies: [string, string][] = [
  ['malformed JSON', '{"a": '],
  ['a number', '42'],
  ['an array', '[1, "two", null]'],
  ['null', 'null'],
  ['an object of wrong types', JSON.stringify({ name: 7, handles: 'x', tenant_id: [], username: {}, email: 1, token: 5, persons: 3 })],
];

const headersFor = (auth: string) =>
  auth === 'vault_api_key' ? vaultHeaders(org) : auth === 'none' ? {} : slashidHeaders(org);

function pathWith(template: string, value: string) {
  return template.replace(/\{[^}]+\}/g, value);
}

const cases = routes.filter((r) => r.body?.kind !== 'multipart').map((r) => [`${r.method} ${r.path}`, r] as const);

test.each(cases)('%s answers junk with a 4xx, never a 500', async (_, route) => {
  const statuses: number[] = [];
  for (const value of junkPathValues) {
    const path = pathWith(route.path, value);
    if (route.body) {
      for (const [, raw] of junkBodies) { // the name is for readers; the raw text is what is sent
        const r = await call(server.url, route.method, path, { headers: headersFor(route.auth), raw });
        statuses.push(r.status);
        if (r.status >= 500) throw new Error(`${route.method} ${path} with ${raw} → ${r.status}: ${r.text.slice(0, 300)}`);
      }
    } else {
      const r = await call(server.url, route.method, `${path}?limit=-1&offset=x&filter=(((&fields=zzz`, { headers: headersFor(route.auth) });
      statuses.push(r.status);
      if (r.status >= 500) throw new Error(`${route.method} ${path} → ${r.status}: ${r.text.slice(0, 300)}`);
    }
  }
  expect(statuses.every((s) => s < 500)).toBe(true);
});
