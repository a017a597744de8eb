// What every grant of the token endpoint is (node-oidc-provider's layout): its `grantType` (the
// wire value of grant_type), the `parameters` of the token request it reads, and its `handler`.
// The token request hands a grant only the parameters it declares.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeyStore } from '../keys.ts';
import type { OAuthClient } from '../oauth-client.entity.ts';
import type { ClientInfo } from '../../principal.ts';
import type { IssuedTokens } from '../tokens.service.ts';
import { recordTokenIssue } from '../../session/session.service.ts';
import { InvalidGrant } from '../oauth-errors.ts';

/** The parameters of a token request (RFC 6749 §4, RFC 7636 §4.5), in the graph's names. */
export interface TokenRequestParameters {
  code?: string | null;
  redirectUri?: string | null;
  codeVerifier?: string | null;
  refreshToken?: string | null;
  scope?: string | null;
}

export type TokenParameter = keyof TokenRequestParameters;

/** What a grant works with: the authenticated client at its issuer, and who asked. */
export interface GrantContext {
  em: EntityManager;
  keys: KeyStore;
  client: OAuthClient;
  issuer: string;
  /** IP, country and user agent of the request (recorded on the session). */
  requester: ClientInfo;
}

export interface Grant<P extends TokenParameter = TokenParameter> {
  grantType: string;
  parameters: readonly P[];
  handler(context: GrantContext, parameters: Pick<TokenRequestParameters, P>): Promise<IssuedTokens>;
}

/** Records the token issue on the session the tokens belong to; refuses when it has ended. */
export async function issueUnderSession(context: GrantContext, sid: string | null, onEnded: () => Promise<unknown>) {
  if (!sid) return;
  if (!(await recordTokenIssue(context.em, sid, context.requester))) {
    await onEnded();
    throw new InvalidGrant('The sign-in session of this grant has ended');
  }
}
