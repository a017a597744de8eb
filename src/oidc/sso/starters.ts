// The starters of brokered sign-in, one per kind of upstream (OIDC here; SAML adds its entry), and
// the dispatch of the login step's `sso=<kind>:<id>` field to them.
import type { AuthorizeRequest } from '../../domain/oauth/authorize-request.entity.ts';
import type { UpstreamKind } from '../../domain/sso/upstream-identity.entity.ts';
import type { EndpointRequest } from '../endpoint.ts';
import { errorPage } from '../pages.ts';
import type { BrokeredStarter } from './brokered-sign-in.ts';
import { startOidcSignIn } from './oidc-sign-in.ts';
import { startSamlSignIn } from './saml-sign-in.ts';

export const BROKERED_STARTERS: Partial<Record<UpstreamKind, BrokeredStarter>> = { oidc: startOidcSignIn, saml: startSamlSignIn };

export async function startBrokeredSignIn(request: EndpointRequest, authorize: AuthorizeRequest, value: string) {
  const m = /^([a-z]{1,16}):([A-Za-z0-9_-]{1,128})$/.exec(value);
  const starter = m ? BROKERED_STARTERS[m[1] as UpstreamKind] : undefined;
  if (!m || !starter) return errorPage(request.ctx, 400, 'invalid_request', 'Unknown sign-in provider');
  return starter(request, authorize, m[2]);
}
