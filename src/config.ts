// Typed environment: every variable the server reads is listed here (and in README.md).
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; unset means an embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  maxBodyBytes: number;
  /** Request-body limit of streamed uploads (multipart routes such as the persons bulk import). */
  maxImportBytes: number;
  defaultRegion: string;
  logLevel: 'silent' | 'info' | 'debug';
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['silent', 'info', 'debug'].includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be silent, info or debug, got "${logLevel}"`);
  }
  return {
    port: intFrom(env, 'PORT', 4000),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    embeddedPgPort: intFrom(env, 'EMBEDDED_PG_PORT', 54329),
    maxBodyBytes: intFrom(env, 'MAX_BODY_BYTES', 1024 * 1024),
    maxImportBytes: intFrom(env, 'MAX_IMPORT_BYTES', 50 * 1024 * 1024),
    defaultRegion: env.DEFAULT_REGION || 'us-iowa',
    logLevel: logLevel as Config['logLevel'],
  };
}
