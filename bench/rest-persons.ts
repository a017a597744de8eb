// Request rates and latencies of the tracer routes, side by side in one run: the SlashID list,
// the same page over GraphQL, one person, and the vault's user list. Loopback only; bounded.
// Usage: npm run bench [-- --persons 1000 --seconds 5 --connections 10]
import { parseArgs } from 'node:util';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startServer } from '../src/server.ts';
import { createRootOrganization } from '../src/domain/organization/organization.service.ts';
import { createPerson } from '../src/domain/person/person.service.ts';

const { values } = parseArgs({
  options: { persons: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '10' } },
});
const persons = Number(values.persons);
const duration = Number(values.seconds);
const connections = Number(values.connections);

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'idgraph-bench-'));
await fs.chmod(dataDir, 0o755);
const config = { ...loadConfig(), port: 0, dataDir, embeddedPgPort: 55000 + Math.floor(Math.random() * 1000), logLevel: 'silent' as const };
const server = await startServer(config, createLogger('silent'));

try {
  const em = server.db.orm.em.fork();
  const { organization, apiKey } = await createRootOrganization(em, 'Bench');
  for (let i = 0; i < persons; i++) {
    await createPerson(em, organization, { handles: [{ type: 'username', value: `user${i}` }, { type: 'email_address', value: `user${i}@bench.test` }] });
    if (i % 200 === 199) em.clear();
  }
  const anyId = (await server.db.orm.em.fork().execute<{ id: string }[]>('select id from person limit 1'))[0].id;
  const slashid = { 'SlashID-OrgID': organization.id, 'SlashID-API-Key': apiKey };
  const graphqlBody = JSON.stringify({ query: '{ persons(first: 100) { totalCount nodes { id active region handles { type value } } } }' });

  const scenarios = [
    { name: 'REST GET /persons?limit=100', path: '/persons?limit=100', headers: slashid },
    { name: 'GraphQL persons(first: 100)', path: '/graphql', method: 'POST' as const, body: graphqlBody, headers: { ...slashid, 'content-type': 'application/json' } },
    { name: 'REST GET /persons/{id}', path: `/persons/${anyId}`, headers: slashid },
    { name: 'Vault GET /tenants/{id}/users', path: `/tenants/${organization.id}/users?limit=100`, headers: { 'X-API-Key': apiKey } },
  ];

  console.log(`idgraph bench: ${persons} persons, ${connections} connections, ${duration}s each, node ${process.version}, ${os.cpus().length} cores`);
  console.log('scenario'.padEnd(34), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(7));
  for (const s of scenarios) {
    const result = await autocannon({
      url: server.url + s.path, method: s.method ?? 'GET', headers: s.headers, body: s.body, connections, duration,
    });
    const non2xx = result.non2xx + result.errors;
    console.log(s.name.padEnd(34), result.requests.average.toFixed(0).padStart(9),
      String(result.latency.p50).padStart(8), String(result.latency.p99).padStart(8), String(non2xx).padStart(7));
  }
} finally {
  await server.close();
  await fs.rm(dataDir, { recursive: true, force: true });
}
