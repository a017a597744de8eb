// `npm run keys:rotate`: new token signing keys for RS256, ES256 and EdDSA and a new webhook
// signing key; the previous ones keep verifying (published in their JWKS) for
// KEY_ROTATION_OVERLAP_SECONDS. Servers pick the new keys up within a minute.
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { openDatabase } from '../db/database.ts';
import { ensureSigningKeys, loadMasterKey, rotateSigningKeys } from '../domain/oauth/keys.ts';
import { rotateWebhookSigningKey } from '../domain/webhook/webhook-signer.ts';
import { Sealer } from '../crypto/sealed.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);
const db = await openDatabase(config, log);
try {
  const masterKey = await loadMasterKey(config.masterKey, config.dataDir, log, db.orm);
  await ensureSigningKeys(db.orm.em.fork(), masterKey);
  const result = await rotateSigningKeys(db.orm.em.fork(), masterKey, config.keyRotationOverlapSeconds);
  const webhook = await rotateWebhookSigningKey(db.orm.em.fork(), new Sealer(masterKey), config.keyRotationOverlapSeconds);
  console.log(JSON.stringify({ ...result, webhook, overlap_seconds: config.keyRotationOverlapSeconds }));
} finally {
  await db.close();
}
