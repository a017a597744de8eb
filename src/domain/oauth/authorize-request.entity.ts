import { defineEntity, p } from '@mikro-orm/core';
import { createdAt } from '../entity-timestamps.ts';
import { Organization } from '../organization/organization.entity.ts';
import { Person } from '../person/person.entity.ts';
import { OAuthClient } from './oauth-client.entity.ts';

export interface AuthorizeParams {
  redirectUri: string;
  scope: string[];
  state?: string;
  nonce?: string;
  codeChallenge: string;
  prompt: string[];
  maxAge?: number;
  loginHint?: string;
}

/**
 * How the person of the request signed in, when the method is recorded (brokered sign-in: `oidc`,
 * `saml`): tokens issued from the request carry it in `authenticated_methods` and `authentications`.
 */
export interface RecordedAuthentication {
  method: string;
  /** The handle the sign-in used. */
  handle?: { type: string; value: string };
  /** The SSO authentication's id (`authentication_id` of /sso/oidc/tokens). */
  id?: string;
  /** The upstream provider (`google`, …, `oidc`, `saml`). */
  provider?: string;
}

/**
 * A pending authorization request (`auth_req_id`). It waits for a sign-in (password here, a
 * zero-knowledge login elsewhere: `completeAuthorizeRequest`), then consent, then carries the
 * single-use authorization code (stored as its SHA-256) until the client redeems it.
 */
export const AuthorizeRequestSchema = defineEntity({
  name: 'AuthorizeRequest',
  properties: {
    /** Opaque random id, usable as `auth_req_id`. */
    id: p.string().length(64).primary(),
    organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
    client: () => p.manyToOne(OAuthClient).ref().deleteRule('cascade'),
    issuer: p.string().length(512),
    params: p.json<AuthorizeParams>(),
    /** SHA-256 of the browser-binding cookie: only the browser that started the request may finish it. */
    browserBinding: p.string().length(64),
    csrfToken: p.string().length(64),
    /** pending → authenticated → code_issued → redeemed | denied */
    status: p.string().length(16).default('pending'),
    person: () => p.manyToOne(Person).ref().nullable().deleteRule('cascade'),
    authTime: p.datetime().nullable(),
    authentication: p.json<RecordedAuthentication>().nullable(),
    sessionId: p.string().length(64).nullable(),
    codeHash: p.string().length(64).nullable().unique(),
    codeExpiresAt: p.datetime().nullable(),
    codeUsedAt: p.datetime().nullable(),
    /** Every token issued from this request carries this grant id (revoked together on code reuse). */
    grantId: p.uuid().nullable(),
    expiresAt: p.datetime(),
    createdAt: createdAt(),
  },
});

export class AuthorizeRequest extends AuthorizeRequestSchema.class {}
AuthorizeRequestSchema.setClass(AuthorizeRequest);
