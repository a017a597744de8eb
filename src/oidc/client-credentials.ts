// How a client presents its credentials on the wire (RFC 6749 §2.3.1): HTTP Basic with the
// form-encoded client_id:client_secret, or client_id and client_secret in the form, or client_id
// alone for a public client. Whether they are good is the domain's call (authenticateClient).
import { InvalidClient, InvalidRequest } from '../domain/oauth/oauth-errors.ts';
import type { PresentedClient } from '../domain/oauth/client-auth.ts';
import type { Params } from './http.ts';
import { unstorableReason } from '../domain/storable.ts';

const NO_CREDENTIALS = 'Client authentication is required: HTTP Basic, client_secret_post, or client_id for public clients';

/** The client's credentials, from an Authorization: Basic header or the form; one method only. */
export function presentedClient(authorization: string | undefined, form: Params): PresentedClient {
  const basic = authorization ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization) : null;
  if (authorization && !basic) throw new InvalidClient('Authenticate the client with HTTP Basic, client_secret_post, or client_id alone for public clients');
  if (basic) {
    if (form.client_secret !== undefined) throw new InvalidRequest('Use one client authentication method, not both Basic and client_secret');
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new InvalidClient('The Basic credentials must be client_id:client_secret');
    let clientId: string, secret: string;
    try {
      clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      throw new InvalidClient('The Basic credentials are not form-encoded');
    }
    // (The form was checked when read; a client_id no table can hold names no client.)
    if (unstorableReason(clientId)) throw new InvalidClient(`The Basic client_id: ${unstorableReason(clientId)}`);
    if (form.client_id !== undefined && form.client_id !== clientId) throw new InvalidRequest('client_id differs from the authenticated client');
    return { clientId, secret };
  }
  if (!form.client_id) throw new InvalidClient(NO_CREDENTIALS);
  return { clientId: form.client_id, secret: form.client_secret ?? null };
}

/** The same, as the GraphQL input `OAuthClientAuthentication`. */
export function clientVariables(authorization: string | undefined, form: Params) {
  const { clientId, secret } = presentedClient(authorization, form);
  return { clientId, clientSecret: secret ?? null };
}
