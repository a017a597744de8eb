import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.ts';
import { Person } from '../person/person.entity.ts';
import { OAuthClient } from './oauth-client.entity.ts';
import type { RecordedAuthentication } from './authorize-request.entity.ts';

/**
 * An issued access or refresh token, found by the SHA-256 of the whole token string (so a tampered
 * token matches nothing). Tokens of one grant share `grantId`: a replayed refresh token or a
 * reused code revokes the family.
 */
export const OAuthTokenSchema = defineEntity({
  name: 'OAuthToken',
  tableName: 'oauth_token',
  properties: {
    tokenHash: p.string().length(64).primary(),
    /** access | refresh */
    kind: p.string().length(16),
    grantId: p.uuid(),
    organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
    client: () => p.manyToOne(OAuthClient).ref().deleteRule('cascade'),
    person: () => p.manyToOne(Person).ref().nullable().deleteRule('cascade'),
    issuer: p.string().length(512),
    // Space-separated; bounded by the client's scopes (64 of up to 128 characters), not by a column size.
    scope: p.text(),
    authTime: p.datetime().nullable(),
    sid: p.uuid().nullable(),
    issuedAt: p.datetime(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    /** How the person signed in (brokered sign-in): a refresh issues tokens that still say so. */
    authentication: p.json<RecordedAuthentication>().nullable(),
  },
  // person: deactivating or deleting a person revokes (or cascades to) its tokens without a scan.
  indexes: [{ properties: ['grantId'] }, { properties: ['expiresAt'] }, { properties: ['sid'] }, { properties: ['person'] }],
});

export class OAuthToken extends OAuthTokenSchema.class {}
OAuthTokenSchema.setClass(OAuthToken);
