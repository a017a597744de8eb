// Calls to the SCIM face as provisioning clients make them: Bearer credentials, application/scim+json.
import { call, type Reply } from '../helpers/http.ts';
import type { TestOrg, TestServer } from '../helpers/server.ts';

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface Scim {
  (method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<Reply>;
  base: string;
}

/** A client of tenant `tenant` holding `key` (an organization key or a per-user key). */
export function scimClient(server: TestServer, tenant: string, key: string): Scim {
  const base = `/scim/v2/${tenant}`;
  const send = (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) => call(server.url, method, base + path, {
    headers: { authorization: `Bearer ${key}`, ...headers },
    ...(json !== undefined ? { raw: JSON.stringify(json), contentType: 'application/scim+json' } : {}),
  });
  return Object.assign(send, { base });
}

/** Creates a tenant below `org` and answers its id. */
export async function createTenant(server: TestServer, org: TestOrg, tenantId: string): Promise<string> {
  const r = await call(server.url, 'POST', '/tenants', { headers: { 'X-API-Key': org.apiKey }, json: { tenant_id: tenantId } });
  if (r.status !== 201 && r.status !== 200) throw new Error(`tenant: ${r.status} ${r.text}`);
  return tenantId;
}

export const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });

export function expectScimError(r: Reply, status: number, scimType?: string) {
  expect({ status: r.status, body: r.body }).toEqual({
    status,
    body: { schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail: expect.any(String) },
  });
  expect(r.headers.get('content-type')).toMatch(/^application\/scim\+json/);
}
