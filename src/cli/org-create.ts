// `npm run org:create -- --name Acme`: creates a root organization and its API key, printed once
// as one JSON line. Works whether or not the server is running (same data dir or DATABASE_URL).
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { openDatabase } from '../db/database.ts';
import { createRootOrganization } from '../domain/organization/organization.service.ts';
import { DomainError } from '../domain/errors.ts';

const { values } = parseArgs({ options: { name: { type: 'string' } } });
if (!values.name) {
  process.stderr.write('Usage: npm run org:create -- --name "Acme"\n');
  process.exit(2);
}

const config = loadConfig();
// Progress goes to stderr so stdout holds exactly the one JSON line.
const db = await openDatabase(config, { ...createLogger('silent') });
try {
  const { organization, apiKey } = await createRootOrganization(db.orm.em.fork(), values.name);
  process.stdout.write(JSON.stringify({ organization_id: organization.id, api_key: apiKey, name: organization.name }) + '\n');
} catch (error) {
  process.stderr.write(`${error instanceof DomainError ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
