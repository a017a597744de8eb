// `npm run keys:rotate`: new signing keys for RS256, ES256 and EdDSA; the previous ones keep
// verifying (published in the JWKS) for KEY_ROTATION_OVERLAP_SECONDS. Servers pick the new keys
// up within a minute.
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { openDatabase } from '../db/database.ts';
import { ensureSigningKeys, loadMasterKey, rotateSigningKeys } from '../domain/oauth/keys.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);
const db = await openDatabase(config, log);
try {
  const masterKey = await loadMasterKey(config.masterKey, config.dataDir, log, db.orm);
  await ensureSigningKeys(db.orm.em.fork(), masterKey);
  const result = await rotateSigningKeys(db.orm.em.fork(), masterKey, config.keyRotationOverlapSeconds);
  console.log(JSON.stringify({ ...result, overlap_seconds: config.keyRotationOverlapSeconds }));
} finally {
  await db.close();
}
