// SCIM at size: a group of 10,000 members takes a PATCH adding 1,000 and removing some without its
// members being read (the statements are checked), and `userName eq` on a tenant of 11,000 users
// is answered through the handle's unique index (EXPLAIN of the very statement the server ran).
import { startTestServer, type TestOrg, type TestServer } from '../helpers/server.ts';
import { seedPersons } from '../helpers/seed.ts';
import { createTenant, patch, scimClient, type Scim } from './helpers.ts';

const MEMBERS = 10_000;
const ADDED = 1_000;

let server: TestServer;
let acme: TestOrg;
let scim: Scim;
let tenantOrgId: string;
let ids: string[];
let groupId: string;
const statements: { sql: string; params: unknown[] }[] = [];

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  await createTenant(server, acme, 'acme-large');
  scim = scimClient(server, 'acme-large', acme.apiKey);
  [{ id: tenantOrgId }] = await server.sql('select id from organization where tenant_id = $1', ['acme-large']);
  // Every seeded person joins the group "everyone"; the last 1,000 are taken out again.
  ids = await seedPersons(server.sql, tenantOrgId, MEMBERS + ADDED);
  [{ id: groupId }] = await server.sql(`select id from access_group where organization_id = $1 and name = 'everyone'`, [tenantOrgId]);
  await server.sql('delete from group_member where group_id = $1 and person_id = any($2::uuid[])', [groupId, ids.slice(MEMBERS)]);
  await server.sql('analyze');
  const logger = server.db.orm.config.getLogger();
  logger.logQuery = (context) => { statements.push({ sql: String(context.query), params: (context as { params?: unknown[] }).params ?? [] }); };
}, 120_000);
afterAll(() => server.close());

const memberCount = async () => Number((await server.sql('select count(*) from group_member where group_id = $1', [groupId]))[0].count);

test('PATCH adding 1,000 members and removing 100 to a group of 10,000: set-based statements only', async () => {
  expect(await memberCount()).toBe(MEMBERS);
  const added = ids.slice(MEMBERS).map((value) => ({ value }));
  const byFilter = ids.slice(0, 50).map((id) => `value eq "${id}"`).join(' or ');
  statements.length = 0;
  const started = performance.now();
  const r = await scim('PATCH', `/Groups/${groupId}`, patch(
    { op: 'add', path: 'members', value: added },
    { op: 'remove', path: `members[${byFilter}]` },
    { op: 'Remove', path: 'members', value: ids.slice(50, 100).map((value) => ({ value })) },
  ));
  const ms = performance.now() - started;
  expect(r.status).toBe(200);
  expect(r.body.members).toBeUndefined();
  expect(await memberCount()).toBe(MEMBERS + ADDED - 100);
  const touchingMembers = statements.map((s) => s.sql.replace(/\s+/g, ' ')).filter((sql) => /group_member/.test(sql));
  // One insert of the ids sent, one delete per removal; nothing reads the group's members.
  expect(touchingMembers).toHaveLength(3);
  expect(touchingMembers[0]).toMatch(/^insert into group_member .* unnest\(array\[/);
  for (const sql of touchingMembers.slice(1)) expect(sql).toMatch(/^delete from group_member where group_id = .* and person_id = any\(array\[/);
  expect(statements.length).toBeLessThanOrEqual(20);
  console.log(`PATCH +${ADDED} −100 members on a group of ${MEMBERS}: ${ms.toFixed(0)} ms, ${statements.length} statements`);
}, 60_000);

test('userName eq on 11,000 users: one index lookup through the handle unique index, no sequential scan', async () => {
  const userName = (await server.sql(`select value from handle where person_id = $1 and type = 'username'`, [ids[5000]]))[0].value;
  statements.length = 0;
  const r = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName.toUpperCase()}"`)}`);
  expect(r.body.Resources.map((u: any) => u.id)).toEqual([ids[5000]]);
  const page = statements.find((s) => /count\(\*\) over \(\)/.test(s.sql) && /from person p/.test(s.sql))!;
  expect(page).toBeDefined();
  let n = 0;
  const text = page.sql.replace(/\?/g, () => `$${++n}`);
  const [{ 'QUERY PLAN': plan }] = await server.sql(`explain (format json) ${text}`, page.params);
  const nodes: { type: string; relation?: string; index?: string }[] = [];
  const walk = (node: any) => {
    nodes.push({ type: node['Node Type'], relation: node['Relation Name'], index: node['Index Name'] });
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan[0].Plan);
  const [{ indexname }] = await server.sql(
    `select indexname from pg_indexes where tablename = 'handle' and indexdef like '%organization_id, type, normalized%'`);
  expect(nodes.filter((x) => x.type === 'Seq Scan')).toEqual([]);
  expect(nodes).toContainEqual(expect.objectContaining({ relation: 'handle', index: indexname }));
});
