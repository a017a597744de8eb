import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
});
afterAll(() => server.close());

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });

describe('POST /persons', () => {
  test('creates a person and answers 201 with the envelope', async () => {
    const r = await call(server.url, 'POST', '/persons', {
      ...as(acme), json: { handles: [{ type: 'email_address', value: 'ada@example.com' }], region: 'europe-belgium' },
    });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body)).toEqual(['result']);
    expect(r.body.result).toMatchObject({
      active: true, person_type: 'regular', region: 'europe-belgium',
      handles: [{ type: 'email_address', value: 'ada@example.com' }],
    });
    expect(r.body.result.person_id).toMatch(/^06[0-9a-f]{6}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('refuses a duplicate handle with 409 and creates nothing', async () => {
    const before = await server.sql('select count(*)::int as n from person');
    const r = await call(server.url, 'POST', '/persons', {
      ...as(acme), json: { handles: [{ type: 'email_address', value: 'ADA@example.com' }] },
    });
    expect(r.status).toBe(409);
    expect(r.body.errors[0]).toMatchObject({ httpcode: 409 });
    expect(await server.sql('select count(*)::int as n from person')).toEqual(before);
  });

  test('the same handle may exist in another organization', async () => {
    const r = await call(server.url, 'POST', '/persons', {
      ...as(other), json: { handles: [{ type: 'email_address', value: 'ada@example.com' }] },
    });
    expect(r.status).toBe(201);
  });

  test.each([
    ['no handles', { handles: [] }],
    ['missing handles', { active: true }],
    ['unknown handle type', { handles: [{ type: 'fax', value: '1' }] }],
    ['bad email', { handles: [{ type: 'email_address', value: 'not-an-email' }] }],
    ['bad phone', { handles: [{ type: 'phone_number', value: '12345' }] }],
    ['wrong type for active', { handles: [{ type: 'username', value: 'x1' }], active: 'yes' }],
    ['unknown region', { handles: [{ type: 'username', value: 'x2' }], region: 'mars' }],
    ['oversize value', { handles: [{ type: 'username', value: 'u'.repeat(400) }] }],
    ['unknown group', { handles: [{ type: 'username', value: 'x3' }], groups: ['nope'] }],
    ['a bare array', [{ type: 'username', value: 'x4' }]],
  ])('answers 400 for %s and creates nothing', async (_, json) => {
    const before = await server.sql('select count(*)::int as n from person');
    const r = await call(server.url, 'POST', '/persons', { ...as(acme), json });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].httpcode).toBe(400);
    expect(r.body.errors[0].message.length).toBeGreaterThan(5);
    expect(await server.sql('select count(*)::int as n from person')).toEqual(before);
  });

  test('answers 400 for malformed JSON', async () => {
    const r = await call(server.url, 'POST', '/persons', { ...as(acme), raw: '{"handles": [' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toMatch(/not valid JSON/);
  });

  test('answers 413 for a body over the limit', async () => {
    const r = await call(server.url, 'POST', '/persons', {
      ...as(acme), raw: JSON.stringify({ handles: [], pad: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(r.status).toBe(413);
    expect(r.body.errors[0].httpcode).toBe(413);
  });

  test('answers 401 without credentials, with a wrong key, or with a key of another organization', async () => {
    const json = { handles: [{ type: 'username', value: 'nobody' }] };
    const attempts: Record<string, string>[] = [
      {},
      { 'SlashID-OrgID': acme.id },
      { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': 'wrong' },
      { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': other.apiKey },
      { 'SlashID-OrgID': 'not-a-uuid', 'SlashID-API-Key': acme.apiKey },
    ];
    for (const headers of attempts) {
      const r = await call(server.url, 'POST', '/persons', { headers, json });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ errors: [{ httpcode: 401, message: expect.any(String) }] });
      expect(r.text).not.toContain(acme.apiKey);
    }
  });
});

describe('PUT /persons', () => {
  test('creates with 201, then updates the holder of a handle with 200', async () => {
    const handles = [{ type: 'phone_number', value: '+13475043201' }];
    const created = await call(server.url, 'PUT', '/persons', { ...as(acme), json: { handles } });
    expect(created.status).toBe(201);
    const again = await call(server.url, 'PUT', '/persons', {
      ...as(acme), json: { handles: [...handles, { type: 'username', value: 'grace' }], active: false },
    });
    expect(again.status).toBe(200);
    expect(again.body.result.person_id).toBe(created.body.result.person_id);
    expect(again.body.result.active).toBe(false);
    expect(again.body.result.handles).toHaveLength(2);
    const third = await call(server.url, 'PUT', '/persons', { ...as(acme), json: { handles } });
    expect(third.status).toBe(200);
    expect(third.body.result.handles).toHaveLength(2);
  });

  test('answers 400 for invalid bodies', async () => {
    expect((await call(server.url, 'PUT', '/persons', { ...as(acme), json: {} })).status).toBe(400);
    expect((await call(server.url, 'PUT', '/persons', { ...as(acme), raw: 'nope' })).status).toBe(400);
  });

  test('answers 401 without credentials', async () => {
    expect((await call(server.url, 'PUT', '/persons', { json: { handles: [] } })).status).toBe(401);
  });
});

describe('GET /persons', () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await server.createOrg('Lister');
    for (let i = 0; i < 5; i++) {
      await call(server.url, 'POST', '/persons', { ...as(org), json: { handles: [{ type: 'username', value: `user${i}` }] } });
    }
  });

  test('pages with limit and offset and reports meta.pagination', async () => {
    const r = await call(server.url, 'GET', '/persons?limit=2&offset=1', as(org));
    expect(r.status).toBe(200);
    expect(r.body.result.map((p: any) => p.handles[0].value)).toEqual(['user1', 'user2']);
    expect(r.body.meta).toEqual({ pagination: { limit: 2, offset: 1, total_count: 5 } });
  });

  test('finds by handle and by ids; fields chooses what is shown', async () => {
    const byHandle = await call(server.url, 'GET', `/persons?handle=${encodeURIComponent('username:USER3')}`, as(org));
    expect(byHandle.body.result).toHaveLength(1);
    const id = byHandle.body.result[0].person_id;
    const byIds = await call(server.url, 'GET', `/persons?ids=${id},00000000-0000-0000-0000-000000000000&fields=groups`, as(org));
    expect(byIds.body.result).toEqual([{ person_id: id, active: true, person_type: 'regular', region: 'us-iowa', groups: [] }]);
  });

  test('never lists another organization\'s persons', async () => {
    const r = await call(server.url, 'GET', '/persons?limit=1000', as(other));
    expect(r.body.result.every((p: any) => !p.handles.some((h: any) => h.value.startsWith('user')))).toBe(true);
  });

  test.each([
    ['limit over 1000', '/persons?limit=1001'],
    ['negative offset', '/persons?offset=-1'],
    ['non-numeric limit', '/persons?limit=ten'],
    ['malformed handle', '/persons?handle=nocolon'],
    ['unknown field', '/persons?fields=secrets'],
  ])('answers 400 for %s', async (_, path) => {
    const r = await call(server.url, 'GET', path, as(org));
    expect(r.status).toBe(400);
    expect(r.body.errors[0].httpcode).toBe(400);
  });

  test('answers 401 without credentials', async () => {
    expect((await call(server.url, 'GET', '/persons')).status).toBe(401);
  });
});

describe('/persons/{person_id}', () => {
  let id: string;
  beforeAll(async () => {
    const r = await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'username', value: 'target' }] } });
    id = r.body.result.person_id;
  });

  test('GET returns the person', async () => {
    const r = await call(server.url, 'GET', `/persons/${id}`, as(acme));
    expect(r.status).toBe(200);
    expect(r.body.result).toEqual({
      person_id: id, active: true, person_type: 'regular', region: 'us-iowa', handles: [{ type: 'username', value: 'target' }],
    });
  });

  test('another organization gets 404 and changes nothing', async () => {
    expect((await call(server.url, 'GET', `/persons/${id}`, as(other))).status).toBe(404);
    expect((await call(server.url, 'PATCH', `/persons/${id}`, { ...as(other), json: { active: false } })).status).toBe(404);
    expect((await call(server.url, 'DELETE', `/persons/${id}`, as(other))).status).toBe(404);
    const [row] = await server.sql('select active from person where id = $1', [id]);
    expect(row.active).toBe(true);
  });

  test('unknown and malformed ids get 404', async () => {
    for (const bad of ['06b03a00-0000-7000-8000-000000000000', 'not-a-uuid', encodeURIComponent("' or 1=1 --")]) {
      const r = await call(server.url, 'GET', `/persons/${bad}`, as(acme));
      expect(r.status).toBe(404);
      expect(r.body.errors[0].httpcode).toBe(404);
    }
  });

  test('PATCH changes active and answers 200 with the person', async () => {
    const r = await call(server.url, 'PATCH', `/persons/${id}`, { ...as(acme), json: { active: false } });
    expect(r.status).toBe(200);
    expect(r.body.result.active).toBe(false);
  });

  test('PATCH refuses wrong types and malformed JSON with 400', async () => {
    expect((await call(server.url, 'PATCH', `/persons/${id}`, { ...as(acme), json: { active: 'no' } })).status).toBe(400);
    expect((await call(server.url, 'PATCH', `/persons/${id}`, { ...as(acme), raw: '{' })).status).toBe(400);
    expect((await call(server.url, 'PATCH', `/persons/${id}`, { json: { active: true } })).status).toBe(401);
  });

  test('DELETE answers 204 with no body, then 404', async () => {
    const r = await call(server.url, 'DELETE', `/persons/${id}`, as(acme));
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect((await call(server.url, 'GET', `/persons/${id}`, as(acme))).status).toBe(404);
    expect((await call(server.url, 'DELETE', `/persons/${id}`, as(acme))).status).toBe(404);
    expect(await server.sql('select count(*)::int as n from handle where person_id = $1', [id])).toEqual([{ n: 0 }]);
  });
});

describe('GET /persons?filter (SCIM)', () => {
  let org: TestOrg;
  const ids: Record<string, string> = {};
  const find = async (filter: string) => {
    const r = await call(server.url, 'GET', `/persons?filter=${encodeURIComponent(filter)}`, as(org));
    expect(r.status).toBe(200);
    return (r.body.result as any[]).map((p) => Object.keys(ids).find((k) => ids[k] === p.person_id)).sort();
  };

  beforeAll(async () => {
    org = await server.createOrg('Scim');
    await call(server.url, 'POST', '/groups', { ...as(org), json: { name: 'staff' } });
    await call(server.url, 'POST', '/rbac/roles', { ...as(org), json: { name: 'admin' } });
    for (const [name, extra] of [['ann', { region: 'europe-belgium', groups: ['staff'] }], ['ben', { active: false }], ['cat', {}]] as const) {
      const r = await call(server.url, 'POST', '/persons', {
        ...as(org), json: { handles: [{ type: 'email_address', value: `${name}@corp.example` }], ...extra },
      });
      ids[name] = r.body.result.person_id;
    }
    await call(server.url, 'PUT', `/persons/${ids.cat}/roles`, { ...as(org), json: { roles: ['admin'] } });
    await call(server.url, 'PUT', `/persons/${ids.ben}/attributes/end_user_read_write`, { ...as(org), json: { myprefix_color: 'red' } });
  });

  test('eq, ne, co, sw, pr, and/or/not, parentheses over every attribute', async () => {
    expect(await find(`handles eq "email_address:ANN@corp.example"`)).toEqual(['ann']);
    expect(await find('active eq false')).toEqual(['ben']);
    expect(await find('active ne false')).toEqual(['ann', 'cat']);
    expect(await find('region ne "us-iowa"')).toEqual(['ann']);
    expect(await find('groups eq "staff"')).toEqual(['ann']);
    expect(await find('roles eq "admin" or groups pr')).toEqual(['ann', 'cat']);
    expect(await find('attributes sw "myprefix"')).toEqual(['ben']);
    expect(await find('handles co "corp" and not (person_id eq "' + ids.ann + '")')).toEqual(['ben', 'cat']);
    expect(await find('(active eq true and region eq "us-iowa") or handles sw "ben"')).toEqual(['ben', 'cat']);
  });

  test('a malformed filter answers 400 naming the problem', async () => {
    const r = await call(server.url, 'GET', `/persons?filter=${encodeURIComponent('active eq')}`, as(org));
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toMatch(/filter/);
  });
});
