// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): the ID token hint names the client
// and session, post_logout_redirect_uri must be registered for that client, state is carried back.
import type { EntityManager } from '@mikro-orm/postgresql';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import type { KeyStore } from './keys.ts';
import { findClientByClientId } from './clients.queries.ts';
import { endBrowserSession } from '../session/session.service.ts';
import { InvalidRequest } from './oauth-errors.ts';

export interface LogoutParams {
  id_token_hint?: string;
  post_logout_redirect_uri?: string;
  state?: string;
  client_id?: string;
}

/** Claims of an ID token this server signed for `issuer` (expired ones are fine as hints). */
async function verifyHint(keys: KeyStore, issuer: string | undefined, hint: string) {
  try {
    const { kid, alg } = decodeProtectedHeader(hint);
    const jwk = kid ? await keys.publicJwk(kid) : undefined;
    if (!jwk || !alg || jwk.alg !== alg) throw new Error('unknown key');
    const { payload } = await compactVerify(hint, await importJWK(jwk, alg));
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    if (issuer && claims.iss !== issuer) throw new Error('other issuer');
    return claims;
  } catch {
    throw new InvalidRequest('id_token_hint is not an ID token issued here');
  }
}

/** Ends the browser's session; answers where to send it (or nothing: show the signed-out page). */
export async function logout(
  em: EntityManager, keys: KeyStore, issuer: string | undefined, params: LogoutParams, sessionSecret: string | undefined,
): Promise<{ redirect?: string }> {
  const claims = params.id_token_hint ? await verifyHint(keys, issuer, params.id_token_hint) : undefined;
  const aud = claims ? (Array.isArray(claims.aud) ? claims.aud[0] : claims.aud) as string : undefined;
  if (params.client_id && aud && params.client_id !== aud) throw new InvalidRequest('client_id differs from the audience of id_token_hint');
  const clientId = params.client_id ?? aud;
  let redirect: string | undefined;
  if (params.post_logout_redirect_uri) {
    const client = clientId ? await findClientByClientId(em, clientId) : null;
    if (!client || !client.postLogoutRedirectUris.includes(params.post_logout_redirect_uri)) {
      throw new InvalidRequest('post_logout_redirect_uri is not registered for this client');
    }
    const url = new URL(params.post_logout_redirect_uri);
    if (params.state !== undefined) url.searchParams.set('state', params.state);
    redirect = url.toString();
  }
  await endBrowserSession(em, sessionSecret, typeof claims?.sid === 'string' ? claims.sid : undefined);
  return { redirect };
}
