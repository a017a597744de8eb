import { defineEntity, p } from '@mikro-orm/core';
import { ofOrganization, singleUse } from '../entity-properties.ts';

/**
 * A brokered sign-in under way at an upstream OpenID provider: addressed by the SHA-256 of its
 * `state`, bound to the browser's pending authorize request, spent by the first callback. The PKCE
 * verifier is sealed; the nonce is not secret (it travels through the browser).
 */
export const SsoOidcLoginSchema = defineEntity({
  name: 'SsoOidcLogin',
  properties: {
    stateHash: p.string().length(64).primary(),
    ...ofOrganization(),
    authReqId: p.string().length(64),
    credentialId: p.uuid(),
    sealedVerifier: p.text(),
    nonce: p.string().length(64),
    redirectUri: p.string().length(600),
    ...singleUse(),
  },
});

export class SsoOidcLogin extends SsoOidcLoginSchema.class {}
SsoOidcLoginSchema.setClass(SsoOidcLogin);
