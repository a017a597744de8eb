// Events delivered per second to a local receiver: POST /test-events writes them (50 per request,
// 4 requests at a time), the server's sender signs each as an ES256 JWT and posts it to an HTTP
// receiver on loopback that answers 200. The figure is events / (last receipt − first request).
// Usage: node bench/events.ts [events=2000]
// Uses DATABASE_URL when set, else a throw-away embedded PostgreSQL.
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startServer } from '../src/server.ts';
import { createRootOrganization } from '../src/domain/organization/organization.service.ts';

const total = Number(process.argv[2] ?? 2000);
const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'idgraph-bench-'));
await fs.chmod(scratch, 0o755);
const config = {
  ...loadConfig(), port: 0, host: '127.0.0.1', logLevel: 'silent' as const, outboxPollMs: 0,
  webhookAllowHttpLoopback: true, webhookPollMs: 1000,
  dataDir: scratch, embeddedPgPort: 55000 + Math.floor(Math.random() * 1000),
};
const server = await startServer(config, createLogger('silent'));

const seen = new Set<string>();
let receipts = 0;
let lastAt = 0;
let done: () => void;
const finished = new Promise<void>((resolve) => { done = resolve; });
const receiver = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (c: Buffer) => chunks.push(c));
  request.on('end', () => {
    const payload = JSON.parse(Buffer.from(Buffer.concat(chunks).toString().split('.')[1]!, 'base64url').toString());
    receipts++;
    seen.add(payload.jti);
    lastAt = performance.now();
    response.end();
    if (seen.size === total) done();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

try {
  const { organization, apiKey } = await createRootOrganization(server.db.orm.em.fork(), 'Bench');
  const headers = { 'content-type': 'application/json', 'SlashID-OrgID': organization.id, 'SlashID-API-Key': apiKey };
  const post = async (url: string, json: unknown) => {
    const r = await fetch(server.url + url, { method: 'POST', headers, body: JSON.stringify(json) });
    if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`);
    return r.json() as Promise<any>;
  };
  const { result: hook } = await post('/organizations/webhooks', {
    name: 'bench', target_url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`,
  });
  await post(`/organizations/webhooks/${hook.id}/triggers`, { trigger_type: 'event', trigger_name: 'PersonCreated_v1' });

  const started = performance.now();
  const batches = Array.from({ length: Math.ceil(total / 50) }, (_, i) => Math.min(50, total - i * 50));
  for (let i = 0; i < batches.length; i += 4) {
    await Promise.all(batches.slice(i, i + 4).map((count) => post('/test-events', [{ event_name: 'PersonCreated_v1', count }])));
  }
  const written = performance.now();
  await Promise.race([finished, new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${seen.size} of ${total} delivered in 120 s`)), 120_000))]);
  const seconds = (lastAt - started) / 1000;
  console.log(`events: ${total} written in ${((written - started) / 1000).toFixed(2)} s; `
    + `${seen.size} delivered (${receipts} receipts) in ${seconds.toFixed(2)} s → ${Math.round(total / seconds)} events/s`);
} finally {
  receiver.close();
  await server.close();
  await fs.rm(scratch, { recursive: true, force: true });
}
