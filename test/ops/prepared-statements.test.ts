// Hot reads run as prepared statements (src/db/prepared.ts), on real PostgreSQL: prepared once
// per connection and then a single EXECUTE, the same rows as the plain statement, plain inside a
// transaction, and a wrong statement still fails as it would plain.
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { executePrepared } from '../../src/db/prepared.ts';

let server: TestServer;
const statements: string[] = [];
const read = { method: 'all' as const, connectionType: 'write' as const };

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0, webhookPollMs: 0 });
  server.db.orm.config.getLogger().logQuery = (context) => { statements.push(String(context.query)); };
});
afterAll(() => server.close());

const SQL = `select n, ? as label from generate_series(1, ?::int) n where n > ?`;

test('the first run prepares; the runs after it are one EXECUTE each, with the plain statement\'s rows', async () => {
  const em = server.db.orm.em.fork();
  const plain = await em.execute(SQL, ['a\'b', 5, 2]);
  statements.length = 0;
  expect(await executePrepared(em, SQL, ['a\'b', 5, 2], read)).toEqual(plain);
  expect(statements.some((s) => s.startsWith('prepare idg_'))).toBe(true);
  for (let i = 0; i < 5; i++) {
    statements.length = 0;
    expect(await executePrepared(em, SQL, ['x', 3, 0], read)).toEqual([1, 2, 3].map((n) => ({ n, label: 'x' })));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^execute idg_[0-9a-f]+\(\?, \?, \?\)$/);
  }
});

test('concurrent first runs on many connections all answer', async () => {
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) =>
    executePrepared(server.db.orm.em.fork(), `${SQL} and ? = ?`, [`p${i}`, 4, 1, i, i], read)));
  results.forEach((rows, i) => expect(rows).toEqual([2, 3, 4].map((n) => ({ n, label: `p${i}` }))));
});

test('inside a transaction the plain statement runs (a failed EXECUTE would abort it)', async () => {
  statements.length = 0;
  await server.db.orm.em.fork().transactional(async (tx) => {
    expect(await executePrepared(tx, SQL, ['t', 2, 0], read)).toEqual([{ n: 1, label: 't' }, { n: 2, label: 't' }]);
  });
  expect(statements.filter((s) => /^(execute|prepare) /.test(s))).toEqual([]);
});

test('a statement that fails, fails as the plain one would', async () => {
  await expect(executePrepared(server.db.orm.em.fork(), 'select * from no_such_table where id = ?', [1], read)).rejects.toThrow(/no_such_table/);
  await expect(executePrepared(server.db.orm.em.fork(), 'select 1 / ?::int as x', [0], read)).rejects.toThrow(/division by zero/);
});
