// Zero-knowledge login round trips per second on loopback: each round trip is POST /auth/challenge
// then POST /auth/authenticate (proof made by the shipped client, verified by the server).
// Usage: node bench/zkp-login.ts [seconds=10] [concurrency=1,4,16]
// Uses DATABASE_URL when set, else a throw-away embedded PostgreSQL.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startServer } from '../src/server.ts';
import { createRootOrganization } from '../src/domain/organization/organization.service.ts';
import { Organization } from '../src/domain/organization/organization.entity.ts';
import { authenticateBody, challengeBody, deriveZkpKeys, registrationBody, type ZkpKeys } from '../src/zkp/client.ts';

const seconds = Number(process.argv[2] ?? 10);
const levels = (process.argv[3] ?? '1,4,16').split(',').map(Number);

const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'idgraph-bench-'));
await fs.chmod(scratch, 0o755);
const config = {
  ...loadConfig(), port: 0, host: '127.0.0.1', logLevel: 'silent' as const, outboxPollMs: 0,
  dataDir: scratch, embeddedPgPort: 55000 + Math.floor(Math.random() * 1000),
};
const server = await startServer(config, createLogger('silent'));

async function post(url: string, json: unknown): Promise<any> {
  const r = await fetch(server.url + url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
  const body = await r.json();
  if (!r.ok) throw new Error(`${url}: ${r.status} ${JSON.stringify(body)}`);
  return body;
}

try {
  const { organization } = await createRootOrganization(server.db.orm.em.fork(), 'Bench');
  await server.db.orm.em.fork().nativeUpdate(Organization, { id: organization.id },
    { tenantSettings: { ...organization.tenantSettings, registerEnable: true } });
  const tenant = organization.tenantId;
  const users: ZkpKeys[] = [];
  for (let i = 0; i < Math.max(...levels); i++) {
    const keys = await deriveZkpKeys(`bench secret ${i}`, { tenantId: tenant, username: `bench${i}` });
    await post(`/auth/register?tenant_id=${tenant}`, await registrationBody(keys, `bench${i}@example.com`));
    users.push(keys);
  }
  const roundTrip = async (keys: ZkpKeys) => {
    const challenge = await post(`/auth/challenge?tenant_id=${tenant}`, challengeBody(keys));
    const result = await post(`/auth/authenticate?tenant_id=${tenant}`, authenticateBody(keys, challenge));
    if (!result.nonce) throw new Error('no ticket');
  };
  for (let i = 0; i < 20; i++) await roundTrip(users[0]); // warm-up (JIT, curve tables, pool)

  console.log(`zkp login round trips (challenge + authenticate) on loopback, ${seconds}s per level, node ${process.version}, ${os.cpus().length} cpus, load average ${os.loadavg()[0].toFixed(2)}`);
  for (const concurrency of levels) {
    const latencies: number[] = [];
    const end = performance.now() + seconds * 1000;
    await Promise.all(users.slice(0, concurrency).map(async (keys) => {
      while (performance.now() < end) {
        const t = performance.now();
        await roundTrip(keys);
        latencies.push(performance.now() - t);
      }
    }));
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
    console.log(`concurrency ${String(concurrency).padStart(2)}: ${(latencies.length / seconds).toFixed(0).padStart(5)} round trips/s  p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  (${latencies.length} in ${seconds}s)`);
  }

  // Failures must not tell an unknown user from a wrong secret: compare their latencies.
  await server.db.orm.em.fork().nativeUpdate(Organization, { id: organization.id }, {
    tenantSettings: {
      ...organization.tenantSettings, registerEnable: true,
      blockConfig: { ...organization.tenantSettings.blockConfig, ipAttemptsLimit: 1_000_000, userAttemptsLimit: 1_000_000 },
    },
  });
  const failures = {
    'unknown user': await deriveZkpKeys('x', { tenantId: tenant, username: 'nobody' }),
    'wrong secret': await deriveZkpKeys('wrong', { tenantId: tenant, username: 'bench0' }),
  };
  const failOnce = async (keys: ZkpKeys) => {
    const challenge = await post(`/auth/challenge?tenant_id=${tenant}`, challengeBody(keys));
    const t = performance.now();
    const r = await fetch(`${server.url}/auth/authenticate?tenant_id=${tenant}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(authenticateBody(keys, challenge)),
    });
    await r.text();
    if (r.status !== 401) throw new Error(`expected 401, got ${r.status}`);
    return performance.now() - t;
  };
  const samples: Record<string, number[]> = { 'unknown user': [], 'wrong secret': [] };
  for (let i = 0; i < 200; i++) {
    for (const [name, keys] of Object.entries(failures)) samples[name].push(await failOnce(keys));
  }
  for (const [name, list] of Object.entries(samples)) {
    list.sort((a, b) => a - b);
    console.log(`failed authenticate, ${name.padEnd(12)}: p25 ${list[50].toFixed(2)} ms  p50 ${list[100].toFixed(2)} ms  p75 ${list[150].toFixed(2)} ms`);
  }
} finally {
  await server.close();
  await fs.rm(scratch, { recursive: true, force: true });
}
