// ZKP login helpers for tests: register and log in through the real REST routes with the
// shipped client module (src/zkp/client.ts).
import { authenticateBody, challengeBody, deriveZkpKeys, registrationBody, type ZkpKeys } from '../../src/zkp/client.ts';
import { call, vaultHeaders, type Reply } from './http.ts';
import type { TestOrg } from './server.ts';

export async function enableRegistration(baseUrl: string, org: TestOrg, tenantId: string, extra: Record<string, unknown> = {}) {
  const r = await call(baseUrl, 'PUT', `/tenants/${tenantId}`, {
    headers: vaultHeaders(org), json: { display_name: 'Login tenant', register_enable: true, ...extra },
  });
  if (r.status !== 200) throw new Error(`enableRegistration: ${r.status} ${r.text}`);
}

export async function registerUser(baseUrl: string, tenantId: string, username: string, secret: string,
  email = `${username}@example.com`): Promise<ZkpKeys> {
  const keys = await deriveZkpKeys(secret, { tenantId, username });
  const r = await call(baseUrl, 'POST', `/auth/register?tenant_id=${tenantId}`, { json: await registrationBody(keys, email) });
  if (r.status !== 201) throw new Error(`registerUser: ${r.status} ${r.text}`);
  return keys;
}

export const fromIp = (ip: string, more: Record<string, string> = {}) => ({ 'X-Forwarded-For': ip, ...more });

export async function challengeFor(baseUrl: string, tenantId: string, keys: ZkpKeys, headers: Record<string, string> = {}) {
  return call(baseUrl, 'POST', `/auth/challenge?tenant_id=${tenantId}`, { headers, json: challengeBody(keys) });
}

/** challenge + authenticate with `keys` (which may be wrong ones, for failures). */
export async function login(baseUrl: string, tenantId: string, keys: ZkpKeys, headers: Record<string, string> = {},
  query = ''): Promise<Reply> {
  const challenge = await challengeFor(baseUrl, tenantId, keys, headers);
  if (challenge.status !== 200) return challenge;
  return call(baseUrl, 'POST', `/auth/authenticate?tenant_id=${tenantId}${query}`, {
    headers, json: authenticateBody(keys, challenge.body),
  });
}
