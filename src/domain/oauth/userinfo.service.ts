// The userinfo endpoint (OIDC Core §5.3): the claims a person's access token may read, by its
// scopes. The access token is the endpoint's credential, checked here (RFC 6750 errors).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '../services.ts';
import { findActivePerson } from './oauth.queries.ts';
import { findTokenByHash } from './token-write-behind.ts';
import { findHandlesOfPersons } from '../person/person.queries.ts';
import { resolveIssuer } from './issuer.ts';
import { isActiveToken, MAX_TOKEN_LENGTH } from './token-introspection.service.ts';
import { InsufficientScope, InvalidToken } from './oauth-errors.ts';
import { sha256Hex } from '../../crypto/secrets.ts';

/** The claims of userinfo in the graph's names (`OAuthUserinfo`); absent ones are not released. */
export interface UserinfoClaims {
  subject: string;
  issuer: string;
  audience: string;
  organizationId: string;
  email?: string;
  emailVerified?: boolean;
  phoneNumber?: string;
  phoneNumberVerified?: boolean;
  username?: string;
  locale?: string;
  updatedAt?: Date;
}

/** The access token behind a Bearer header, active, for a person, issued by `issuer`. */
async function personAccessToken(em: EntityManager, token: string | null | undefined, issuer: string) {
  if (!token || token.length > MAX_TOKEN_LENGTH) throw new InvalidToken('Send the access token in Authorization: Bearer');
  const row = await findTokenByHash(em, sha256Hex(token));
  if (!isActiveToken(row) || row.kind !== 'access' || row.issuer !== issuer) {
    throw new InvalidToken('The access token is invalid, expired or revoked');
  }
  if (!row.person_id) throw new InsufficientScope('This access token was issued to a client, not to a person');
  const person = await findActivePerson(em, row.person_id);
  if (!person) throw new InvalidToken('The person is no longer active');
  return { row, person };
}

export async function userinfo(
  em: EntityManager, services: AppServices, query: { tenantId?: string | null; accessToken?: string | null },
): Promise<UserinfoClaims> {
  const issuer = await resolveIssuer(em, services.publicUrl(), query.tenantId);
  const { row, person } = await personAccessToken(em, query.accessToken, issuer.endpoints.issuer);
  const scope = row.scope.split(' ');
  if (!scope.includes('openid')) throw new InsufficientScope('userinfo needs the openid scope');
  const handles = await findHandlesOfPersons(em, [person.id]);
  const first = (type: string) => handles.find((h) => h.type === type)?.value;
  const claims: UserinfoClaims = { subject: person.id, issuer: row.issuer, audience: row.wire_client_id, organizationId: row.organization_id };
  if (scope.includes('email') && first('email_address')) {
    claims.email = first('email_address');
    claims.emailVerified = person.isVerified;
  }
  if (scope.includes('phone') && first('phone_number')) {
    claims.phoneNumber = first('phone_number');
    claims.phoneNumberVerified = person.isVerified;
  }
  if (scope.includes('profile')) {
    claims.username = first('username');
    if (person.locale) claims.locale = person.locale;
    claims.updatedAt = person.updatedAt;
  }
  return claims;
}
