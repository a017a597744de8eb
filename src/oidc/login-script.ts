// The hosted login page's script (src/zkp/login-page.ts with src/zkp/client.ts and @noble/curves),
// bundled once per process with esbuild's JS API and kept in memory. Served from our origin at
// LOGIN_SCRIPT_PATH; the page links it with the bundle's hash in the query, so browsers may keep
// it for a year (a request naming another hash still gets this process's build, without the
// long-lived cache header: a stale entry is harmless, it is a build of the code in this process).
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const LOGIN_SCRIPT_PATH = '/login/zkp.js';

export interface LoginScript {
  code: Buffer;
  /** First 22 characters of the SHA-256 of the bundle, base64url: the `v` of the script URL. */
  hash: string;
  etag: string;
  /** LOGIN_SCRIPT_PATH?v=hash */
  url: string;
}

let pending: Promise<LoginScript> | undefined;

/** The bundle: built on the first call (the OIDC router calls it at start-up), then cached. */
export function loginScript(): Promise<LoginScript> {
  pending ??= bundle().catch((error: unknown) => {
    pending = undefined; // a later call tries again
    throw error;
  });
  return pending;
}

async function bundle(): Promise<LoginScript> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../zkp/login-page.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
  });
  const code = Buffer.from(result.outputFiles[0].contents);
  const digest = crypto.createHash('sha256').update(code).digest('base64url');
  const hash = digest.slice(0, 22);
  return { code, hash, etag: `"${digest}"`, url: `${LOGIN_SCRIPT_PATH}?v=${hash}` };
}
