// A webhook receiver for tests: HTTPS on 127.0.0.1 with a self-signed certificate made by the
// openssl command line (no package needed), verifying every body as an ES256 JWT against the
// server's verification JWKS with jose. What it answers is up to the test (`respond`).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';

export interface Received { claims: JWTPayload & Record<string, any>; headers: Record<string, string | string[] | undefined>; at: number }
export interface Answer { status?: number; body?: string; delayMs?: number }

export interface Receiver {
  url: string;
  /** The certificate (PEM) the server must trust: WEBHOOK_CA_FILE's content, or `caFile`. */
  ca: string;
  caFile: string;
  received: Received[];
  /** Bodies that did not verify (signature, audience, issuer or expiry). */
  rejected: string[];
  respond: (r: Received) => Answer | Promise<Answer>;
  distinct(field?: string): Set<unknown>;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

let cached: { key: string; cert: string; dir: string } | undefined;

/** One self-signed certificate for 127.0.0.1 per test process. */
function certificate() {
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idgraph-receiver-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  cached = { key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'), dir };
  return cached;
}

export async function startReceiver(options: { jwks: () => Promise<JSONWebKeySet>; audience: string | (() => string); issuer?: string }): Promise<Receiver> {
  const { key, cert, dir } = certificate();
  let keySet: ReturnType<typeof createLocalJWKSet> | undefined;
  const receiver: Receiver = {
    url: '', ca: cert, caFile: path.join(dir, 'cert.pem'), received: [], rejected: [],
    respond: () => ({ status: 200 }),
    distinct: (field = 'jti') => new Set(receiver.received.map((r) => r.claims[field])),
    waitFor: async (predicate, timeoutMs = 15_000) => {
      const until = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > until) throw new Error(`receiver: condition not met within ${timeoutMs} ms (${receiver.received.length} received)`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
  const server = https.createServer({ key, cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const audience = typeof options.audience === 'function' ? options.audience() : options.audience;
        const verify = async () => {
          keySet ??= createLocalJWKSet(await options.jwks());
          return jwtVerify(body, keySet, { audience, issuer: options.issuer, algorithms: ['ES256'] });
        };
        // The keys are cached, as the reference advises; an unknown kid reads them again once.
        const { payload, protectedHeader } = await verify().catch((error) => {
          if ((error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw error;
          keySet = undefined;
          return verify();
        });
        if (protectedHeader.alg !== 'ES256' || !protectedHeader.kid) throw new Error('header');
        const entry: Received = { claims: payload as Received['claims'], headers: request.headers, at: Date.now() };
        receiver.received.push(entry);
        const answer = await receiver.respond(entry);
        if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
        if (!response.destroyed) response.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(answer.body ?? '');
      } catch (error) {
        receiver.rejected.push(`${(error as Error).message}`);
        response.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
