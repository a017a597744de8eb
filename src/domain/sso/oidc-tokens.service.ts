// The upstream tokens of SSO sign-ins (endpoint table 1, rows 8–11): stored sealed at the
// callback; read back by the organization (query) or with the token container the sign-in ended
// with (`SlashID-Token`); revoked here and, when the provider has a revocation endpoint, upstream
// too (RFC 7009).
import type { EntityManager } from '@mikro-orm/postgresql';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import type { Sealer } from '../../crypto/sealed.ts';
import { NotFound, Unauthenticated, ValidationFailed } from '../errors.ts';
import { isUuidShaped, timeOrderedUuid } from '../ids.ts';
import type { AppServices } from '../services.ts';
import type { Principal } from '../principal.ts';
import { findPersonViewInPool } from '../person/person.queries.ts';
import { SsoOidcCredential } from './oidc-credential.entity.ts';
import { findOidcCredentialByClientId } from './oidc-credential.queries.ts';
import { findRowOf } from '../organization/organization-rows.queries.ts';
import { OIDC_TOKEN_TYPES, SsoOidcToken, type OidcTokenType } from './oidc-token.entity.ts';
import { deleteSsoOidcTokens, findSsoOidcTokens, findSsoOidcTokensOfCredential } from './oidc-login.queries.ts';
import { digestsEqual, sha256Hex } from '../../crypto/secrets.ts';
import { upstreamConfiguration, oidc } from './upstream-client.ts';
import { assertContainerNotRevoked } from './token-container.ts';

const DEFAULT_ACCESS_SECONDS = 3600;
const DEFAULT_REFRESH_SECONDS = 30 * 86400;

export interface UpstreamTokens {
  organizationId: string;
  personId: string;
  authenticationId: string;
  credential: SsoOidcCredential;
  accessToken: string;
  expiresIn?: number;
  refreshToken?: string;
  idToken?: string;
  idTokenExp?: number;
  extraCallbackValues: Record<string, unknown> | null;
}

export async function storeUpstreamTokens(em: EntityManager, sealer: Sealer, t: UpstreamTokens) {
  const now = Date.now();
  const rows: [OidcTokenType, string | undefined, number][] = [
    ['access', t.accessToken, now + (t.expiresIn ?? DEFAULT_ACCESS_SECONDS) * 1000],
    ['refresh', t.refreshToken, now + DEFAULT_REFRESH_SECONDS * 1000],
    ['id', t.idToken, (t.idTokenExp ?? now / 1000 + DEFAULT_ACCESS_SECONDS) * 1000],
  ];
  for (const [tokenType, token, expiresAt] of rows) {
    if (!token) continue;
    const id = timeOrderedUuid();
    em.create(SsoOidcToken, {
      id, organization: t.organizationId, person: t.personId, authenticationId: t.authenticationId, tokenType,
      sealedToken: sealer.seal(token, id), expiresAt: new Date(expiresAt), provider: t.credential.provider,
      clientId: t.credential.clientId, credentialId: t.credential.id, extraCallbackValues: t.extraCallbackValues,
    } as never);
  }
  await em.flush();
}

/** A stored token as the API answers it (SsoOidcTokenDetail), unsealed. */
export interface SsoOidcTokenDetail {
  token: string; tokenType: OidcTokenType; expiry: Date; provider: string; clientId: string;
  authenticationId: string; personId: string; organizationId: string; extraCallbackValues: Record<string, unknown> | null;
}

const detailOf = (sealer: Sealer, row: SsoOidcToken): SsoOidcTokenDetail => ({
  token: sealer.unseal(row.sealedToken, row.id).toString('utf8'), tokenType: row.tokenType, expiry: row.expiresAt,
  provider: row.provider, clientId: row.clientId, authenticationId: row.authenticationId, personId: row.person.id,
  organizationId: row.organization.id, extraCallbackValues: row.extraCallbackValues ?? null,
});

function assertTypes(types: readonly string[] | null | undefined, field = 'token_types'): OidcTokenType[] {
  const list = types ?? [];
  const bad = list.filter((t) => !(OIDC_TOKEN_TYPES as readonly string[]).includes(t));
  if (bad.length) {
    throw new ValidationFailed(`${field} must hold only ${OIDC_TOKEN_TYPES.join(', ')}`, [{ loc: ['body', field], msg: 'unknown token type', type: 'value_error' }]);
  }
  return list as OidcTokenType[];
}

async function assertPerson(em: EntityManager, principal: Principal, personId: string) {
  const person = isUuidShaped(personId) ? await findPersonViewInPool(em, principal.organizationId, personId) : null;
  if (!person) throw new NotFound(`No person with id "${personId.slice(0, 64)}" in this organization`);
}

/** POST /sso/oidc/tokens/query. */
export async function querySsoOidcTokens(em: EntityManager, sealer: Sealer, principal: Principal,
  personId: string, authenticationIds?: readonly string[] | null, tokenTypes?: readonly string[] | null) {
  await assertPerson(em, principal, personId);
  const ids = (authenticationIds ?? []).filter(isUuidShaped);
  if (authenticationIds?.length && !ids.length) return [];
  const rows = await findSsoOidcTokens(em, { organizationId: principal.organizationId, personId, authenticationIds: ids, tokenTypes: assertTypes(tokenTypes) });
  return rows.map((row) => detailOf(sealer, row));
}

/**
 * GET /sso/oidc/tokens: the tokens of the SSO authentications the token container names (a token
 * this server signed at the end of a brokered sign-in: the ID token or access token, whose
 * `authentications` list the SSO authentication ids), unless it was revoked (token-container.ts).
 */
export async function ssoOidcTokensOfContainer(em: EntityManager, services: AppServices, principal: Principal, container: string) {
  const claims = await verifiedOwnToken(services, container);
  if (claims.org_id !== principal.organizationId && claims.oid !== principal.organizationId) {
    throw new Unauthenticated('The SlashID-Token was not issued for this organization');
  }
  const ids = (Array.isArray(claims.authentications) ? claims.authentications : [])
    .map((a: { id?: unknown }) => a?.id).filter((id: unknown): id is string => typeof id === 'string' && isUuidShaped(id));
  if (!ids.length || typeof claims.sub !== 'string' || !isUuidShaped(claims.sub)) throw new NotFound('The SlashID-Token names no SSO authentication');
  await assertContainerNotRevoked(em, container, claims, claims.sub, ids);
  const rows = await findSsoOidcTokens(em, { organizationId: principal.organizationId, personId: claims.sub, authenticationIds: ids });
  return rows.map((row) => detailOf(services.sealer, row));
}

async function verifiedOwnToken(services: AppServices, token: string): Promise<Record<string, any>> {
  try {
    if (token.length > 16384) throw new Error('too long');
    const { kid, alg } = decodeProtectedHeader(token);
    const jwk = kid ? await services.keys.publicJwk(kid) : undefined;
    if (!jwk || !alg || jwk.alg !== alg) throw new Error('not ours');
    const { payload } = await compactVerify(token, await importJWK(jwk, alg));
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, any>;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) throw new Error('expired');
    if (typeof claims.iss !== 'string' || !claims.iss.startsWith(services.publicUrl())) throw new Error('issuer');
    return claims;
  } catch {
    throw new Unauthenticated('The SlashID-Token is not a valid, unexpired token of this server');
  }
}

/** Sends the revocation upstream (RFC 7009) when the provider has the endpoint; failures do not undo ours. */
async function revokeUpstream(em: EntityManager, services: AppServices, rows: readonly SsoOidcToken[]) {
  for (const row of rows) {
    if (row.tokenType === 'id' || !row.credentialId) continue;
    try {
      const credential = await findRowOf(em, SsoOidcCredential, row.organization.id, row.credentialId);
      if (!credential) continue;
      const config = await upstreamConfiguration(em, credential, services.sealer, services.sso);
      if (!config.serverMetadata().revocation_endpoint) continue;
      await oidc.tokenRevocation(config, services.sealer.unseal(row.sealedToken, row.id).toString('utf8'),
        { token_type_hint: row.tokenType === 'access' ? 'access_token' : 'refresh_token' });
    } catch { /* best effort: the token is gone here either way */ }
  }
}

/** POST /sso/oidc/tokens/revoke/v2: how many tokens were revoked; NOT_FOUND when none matched. */
export async function revokeSsoOidcTokens(em: EntityManager, services: AppServices, principal: Principal,
  personId: string, authenticationId: string, tokenTypes?: readonly string[] | null): Promise<number> {
  await assertPerson(em, principal, personId);
  const types = assertTypes(tokenTypes);
  const rows = isUuidShaped(authenticationId)
    ? await findSsoOidcTokens(em, { organizationId: principal.organizationId, personId, authenticationIds: [authenticationId], tokenTypes: types })
    : [];
  if (!rows.length) throw new NotFound('No OIDC tokens of this SSO authentication for this person');
  await revokeUpstream(em, services, rows);
  return deleteSsoOidcTokens(em, rows.map((r) => r.id));
}

/**
 * POST /sso/oidc/tokens/revoke (deprecated): a token by value, for the organization's credentials
 * `clientId`: revoked upstream, and forgotten here when stored.
 */
export async function revokeSsoOidcTokenByValue(em: EntityManager, services: AppServices, principal: Principal,
  clientId: string, token: string, tokenType: string): Promise<boolean> {
  if (tokenType !== 'access_token' && tokenType !== 'refresh_token') {
    throw new ValidationFailed('token_type must be access_token or refresh_token', [{ loc: ['body', 'token_type'], msg: 'unknown token type', type: 'value_error' }]);
  }
  const credential = clientId.length <= 255 ? await findOidcCredentialByClientId(em, principal.organizationId, clientId) : null;
  if (!credential) throw new NotFound(`No OIDC provider credentials with client_id "${clientId.slice(0, 64)}" in this organization`);
  try {
    const config = await upstreamConfiguration(em, credential, services.sealer, services.sso);
    if (config.serverMetadata().revocation_endpoint) await oidc.tokenRevocation(config, token, { token_type_hint: tokenType });
  } catch { /* best effort, as RFC 7009 clients do (and OAuth-only providers have no metadata) */ }
  const stored = await findSsoOidcTokensOfCredential(em, principal.organizationId, credential.id, tokenType === 'access_token' ? 'access' : 'refresh');
  const presented = sha256Hex(token);
  const matching = stored.filter((row) => digestsEqual(sha256Hex(services.sealer.unseal(row.sealedToken, row.id).toString('utf8')), presented));
  await deleteSsoOidcTokens(em, matching.map((r) => r.id));
  return true;
}
