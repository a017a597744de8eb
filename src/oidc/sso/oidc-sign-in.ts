// Brokered sign-in with an upstream OpenID provider: the start (redirect upstream with PKCE, state
// and nonce) and the callback (code → tokens, ID token verified, identity linked).
import type { AuthorizeRequest } from '../../domain/oauth/authorize-request.entity.ts';
import type { EndpointRequest } from '../endpoint.ts';
import { errorPage } from '../pages.ts';

export async function startOidcSignIn(request: EndpointRequest, _authorize: AuthorizeRequest, _providerId: string): Promise<void> {
  errorPage(request.ctx, 501, 'temporarily_unavailable', 'OpenID Connect sign-in is not available yet');
}
