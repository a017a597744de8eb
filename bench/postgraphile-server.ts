// The PostGraphile 5 peer of the bench: PostGraphile's Amber preset over idgraph's own tables (the
// public schema of the bench database), served by grafserv on node:http at /graphql.
// Usage: node bench/postgraphile-server.ts PORT DATABASE_URL
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';

const [port, connectionString] = process.argv.slice(2);
const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString, schemas: ['public'] })],
  grafserv: { graphqlPath: '/graphql', graphiql: false },
  grafast: { explain: false },
});
const serv = pgl.createServ(grafserv);
const server = createServer();
await serv.addTo(server);
server.listen(Number(port), '127.0.0.1');
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { server.close(); void Promise.resolve(pgl.release()).then(() => process.exit(0)); });
