// The world of the caller matrix: organization A with persons, keys, a client, a group, a role, a
// permission and a child tenant; organization B, a stranger; and the eight kinds of caller, each
// with the credentials it presents on each face.
import crypto from 'node:crypto';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import type { TestOrg, TestServer } from '../helpers/server.ts';
import { SCOPES, type Scope } from '../../src/domain/auth/scopes.ts';
import { timeOrderedUuid } from '../../src/domain/ids.ts';

export const CALLER_KINDS = [
  'no credentials', 'malformed credentials', 'unknown key', 'deactivated key', "another organization's key",
  'user key without scopes', 'user key with the declared scope', 'access token (openid)',
] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];

export type Face = 'slashid' | 'vault' | 'scim' | 'graphql';

export interface Fixture {
  a: TestOrg;
  b: TestOrg;
  /** P holds the per-user keys; Q is another person of A; R holds the access token. */
  persons: { p: string; q: string; r: string };
  tenantId: string;
  childTenantId: string;
  clientId: string;
  group: string;
  role: string;
  permission: string;
  /** A key of P that operations on a key id may change (never a key the matrix presents). */
  victimKeyId: string;
  keys: { none: string; all: string; deactivated: string; byScope: Record<Scope, string> };
  revokedOrgKey: string;
  accessToken: string;
  /**
   * Every id of A a request may carry: a foreign caller aiming at one must be refused. Names of
   * groups, roles and permissions are not among them: each organization has its own.
   */
  aValues: Set<string>;
}

async function ok<T = any>(reply: Promise<{ status: number; body: any; text: string }>, what: string): Promise<T> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`fixture: ${what} → ${r.status} ${r.text.slice(0, 200)}`);
  return r.body;
}

export async function buildFixture(server: TestServer): Promise<Fixture> {
  const a = await server.createOrg('Matrix A');
  const b = await server.createOrg('Matrix B');
  const url = server.url;
  const sid = slashidHeaders(a);
  const person = async (username: string) =>
    (await ok(call(url, 'POST', '/persons', { headers: sid, json: { handles: [{ type: 'username', value: username }, { type: 'email_address', value: `${username}@example.com` }] } }), `person ${username}`)).result.person_id as string;
  const persons = { p: await person('pat'), q: await person('quinn'), r: await person('rita') };
  const childTenantId = 'matrix-child';
  await ok(call(url, 'POST', '/tenants', { headers: vaultHeaders(a), json: { tenant_id: childTenantId } }), 'child tenant');
  const clientId = 'matrix-app';
  await ok(call(url, 'POST', '/clients', { headers: vaultHeaders(a), json: {
    client_id: clientId, name: 'Matrix app', tenant_id: a.id, redirect_uris: ['https://app.example/cb'], allowed_scopes: ['openid'],
  } }), 'client');
  const group = 'matrix-group';
  const role = 'matrix-role';
  const permission = 'matrix.perm';
  await ok(call(url, 'POST', '/groups', { headers: sid, json: { name: group } }), 'group');
  await ok(call(url, 'POST', '/rbac/permissions', { headers: sid, json: { name: permission } }), 'permission');
  await ok(call(url, 'POST', '/rbac/roles', { headers: sid, json: { name: role, permissions: [permission] } }), 'role');
  const key = async (name: string, scopes: readonly string[]) => ok(call(url, 'POST', '/api-keys', {
    headers: vaultHeaders(a), json: { tenant_id: a.id, name, scopes, user_id: persons.p },
  }), `key ${name}`);
  const byScope = {} as Record<Scope, string>;
  for (const scope of SCOPES) byScope[scope] = (await key(`only ${scope}`, [scope])).api_key;
  const victim = await key('victim', SCOPES);
  const deactivated = await key('deactivated', SCOPES);
  await ok(call(url, 'PATCH', `/api-keys/${deactivated.key_id}`, { headers: vaultHeaders(a), json: { is_active: false } }), 'deactivate');
  const revokedOrgKey = crypto.randomBytes(24).toString('base64url');
  await server.sql(`insert into api_key (id, organization_id, key_hash, created_at, revoked_at) values ($1, $2, $3, now(), now())`,
    [timeOrderedUuid(), a.id, crypto.createHash('sha256').update(revokedOrgKey).digest('hex')]);
  const minted = await ok(call(url, 'POST', '/oauth2/tokens/mint', { headers: sid, json: { person_id: persons.r, client_id: clientId, scopes: ['openid'] } }), 'token');
  return {
    a, b, persons, tenantId: a.id, childTenantId, clientId, group, role, permission,
    victimKeyId: victim.key_id,
    keys: { none: (await key('no scopes', [])).api_key, all: (await key('all scopes', SCOPES)).api_key, deactivated: deactivated.api_key, byScope },
    revokedOrgKey,
    accessToken: minted.result.access_token,
    aValues: new Set([a.id, childTenantId, clientId, victim.key_id, ...Object.values(persons)]),
  };
}

/**
 * The headers a kind of caller presents on a face. The SlashID face takes organization keys only,
 * so a person's key or token is sent there as a SlashID-API-Key (and must be refused).
 */
export function credentialsOf(f: Fixture, kind: CallerKind, face: Face, userKey: string): Record<string, string> {
  const slashid = face === 'slashid';
  const personKey = (key: string): Record<string, string> =>
    (slashid ? { 'SlashID-OrgID': f.a.id, 'SlashID-API-Key': key } : { 'X-API-Key': key });
  switch (kind) {
    case 'no credentials': return {};
    case 'malformed credentials':
      return slashid ? { 'SlashID-OrgID': 'not-an-id', 'SlashID-API-Key': '%%%' } : { authorization: 'Basic Zm9vOmJhcg==' };
    case 'unknown key': return personKey(crypto.randomBytes(24).toString('base64url'));
    case 'deactivated key': return slashid ? personKey(f.revokedOrgKey) : personKey(f.keys.deactivated);
    case "another organization's key": return slashid ? slashidHeaders(f.b) : vaultHeaders(f.b);
    case 'user key without scopes': return personKey(f.keys.none);
    case 'user key with the declared scope': return personKey(userKey);
    case 'access token (openid)':
      return slashid ? personKey(f.accessToken) : { authorization: `Bearer ${f.accessToken}` };
  }
}

/** The scopes an openid access token maps to (docs/architecture.md, "Access tokens as principals"). */
export const OPENID_SCOPES: readonly Scope[] = ['sessions:read', 'sessions:write', 'api-keys:read'];

/**
 * A digest of every row of A (and the organizations below it) per table, leaving out bookkeeping
 * that authentication itself updates (when a key or a session was last used).
 */
export async function snapshotOf(server: TestServer, organizationId: string): Promise<Record<string, string>> {
  const tables = await server.sql<{ table_name: string; scoped: boolean }>(
    `select table_name, bool_or(column_name = 'organization_id') as scoped from information_schema.columns
     where table_schema = 'public' and table_name not like 'mikro_orm%' group by table_name order by table_name`);
  const volatile = `array['last_use', 'last_used_at', 'last_access', 'last_access_at', 'updated_at']`;
  const subtree = `(with recursive tree(id) as (select $1::uuid union all
    select o.id from organization o join tree on o.parent_id = tree.id) select id from tree)`;
  const parts = tables.map(({ table_name, scoped }) =>
    `select '${table_name}' as t, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as d
     from (select to_jsonb(r) - ${volatile} as x from "${table_name}" r
           ${scoped ? `where r.organization_id in ${subtree}` : table_name === 'organization' ? `where r.id in ${subtree}` : ''}) s`);
  const rows = await server.sql<{ t: string; d: string }>(parts.join(' union all '), [organizationId]);
  return Object.fromEntries(rows.map((r) => [r.t, r.d]));
}
