// Hot reads run as prepared statements (src/db/prepared.ts), on real PostgreSQL: each run logged as
// one `execute`, the same rows as the plain statement, plain inside a transaction, a wrong statement
// failing as it would plain, and a page's ids bound as one value whatever they hold.
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { executePrepared } from '../../src/db/prepared.ts';
import { handlesOfPersonsRead } from '../../src/domain/person/person.queries.ts';
import { runRead } from '../../src/domain/list-reads.queries.ts';

let server: TestServer;
const statements: string[] = [];
const read = { method: 'all' as const, connectionType: 'write' as const };

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0, webhookPollMs: 0 });
  server.db.orm.config.getLogger().logQuery = (context) => { statements.push(String(context.query)); };
});
afterAll(() => server.close());

const SQL = `select n, ? as label from generate_series(1, ?::int) n where n > ?`;

test('each run is one statement with the plain statement\'s rows, logged as an execute of its name and text', async () => {
  const em = server.db.orm.em.fork();
  const plain = await em.execute(SQL, ['a\'b', 5, 2]);
  for (let i = 0; i < 5; i++) {
    statements.length = 0;
    expect(await executePrepared(em, SQL, ['a\'b', 5, 2], read)).toEqual(plain);
    expect(await executePrepared(em, SQL, ['x', 3, 0], read)).toEqual([1, 2, 3].map((n) => ({ n, label: 'x' })));
    expect(statements).toHaveLength(2);
    statements.forEach((s) => expect(s).toMatch(/^execute idg_[0-9a-f]{24}: select n, \$1 as label from generate_series\(1, \$2::int\) n where n > \$3$/));
  }
});

test('a page\'s ids are one bound value: hostile ones fail the uuid cast and change nothing, prepared or plain', async () => {
  const [{ n: before }] = await server.sql('select count(*)::int as n from person');
  const valid = '06b10419-284e-773f-90d9-ed66fb52a2a4';
  for (const hostile of [`${valid}'); drop table person; --`, `x'`, `"${valid}`, '{}', 'a,b', '\\']) {
    await expect(runRead(server.db.orm.em.fork(), handlesOfPersonsRead([valid, hostile]))).rejects.toThrow(/uuid|array/i);
    await expect(server.db.orm.em.fork().transactional((tx) => runRead(tx, handlesOfPersonsRead([valid, hostile])))).rejects.toThrow(/uuid|array/i);
  }
  expect(await runRead(server.db.orm.em.fork(), handlesOfPersonsRead([valid]))).toEqual([]);
  expect((await server.sql('select count(*)::int as n from person'))[0].n).toBe(before);
});

test('concurrent first runs on many connections all answer', async () => {
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) =>
    executePrepared(server.db.orm.em.fork(), `${SQL} and ? = ?`, [`p${i}`, 4, 1, i, i], read)));
  results.forEach((rows, i) => expect(rows).toEqual([2, 3, 4].map((n) => ({ n, label: `p${i}` }))));
});

test('inside a transaction the plain statement runs, on the transaction\'s connection', async () => {
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
