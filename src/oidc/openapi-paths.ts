// The OpenID provider's paths in /openapi.json: every mount of the issuer table (src/oidc/issuers.ts)
// with its methods, so the document lists everything the server answers. The shapes are the
// protocol's (RFC 6749 forms and raw JSON, OIDC Discovery, RFC 7517), not a REST dialect's; the
// operation ids follow SlashID's naming (method + path words), so the root issuer's ids are the
// reference's (`PostOauth2Tokens`, `GetWellKnownJwksJson`, …).
import type { Endpoint, EndpointMethod } from './endpoint.ts';
import type { Mount } from './issuers.ts';

export const OIDC_TAG = 'OpenID Connect';

const oauthError = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
};
const vaultError = { type: 'object', required: ['detail'], properties: { detail: { type: 'string' } } };

/** What each endpoint is, in a line, and the form fields of its POST (all strings). */
const DESCRIBED: Record<string, { summary: string; form?: string[]; required?: string[] }> = {
  discovery: { summary: 'Retrieve OpenID configuration values' },
  jwks: { summary: 'Retrieve public key JWKS for token validation' },
  authorization: { summary: 'Request an authorization code (hosted login page)' },
  authorizeContinue: { summary: 'Continue an authorization request after a sign-in step' },
  login: { summary: 'Submit the hosted login form', form: ['auth_req_id', 'csrf_token', 'handle', 'password', 'step', 'sso'], required: ['auth_req_id', 'csrf_token'] },
  consent: { summary: 'Submit the hosted consent form', form: ['auth_req_id', 'csrf_token', 'decision'], required: ['auth_req_id', 'csrf_token'] },
  token: {
    summary: 'Obtain an access token',
    form: ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope', 'client_id', 'client_secret', 'tenant_id'],
    required: ['grant_type'],
  },
  introspection: { summary: 'Introspect a token', form: ['token', 'token_type_hint', 'scope', 'client_id', 'client_secret'], required: ['token'] },
  revocation: { summary: 'Revoke a token', form: ['token', 'token_type_hint', 'client_id', 'client_secret'], required: ['token'] },
  userinfo: { summary: 'Retrieve a person\'s profile', form: ['access_token'] },
  endSession: { summary: 'End the session (RP-initiated logout)', form: ['id_token_hint', 'post_logout_redirect_uri', 'state', 'client_id'] },
  currentUser: { summary: 'The person of the Bearer access token' },
  loginTicket: { summary: 'A sign-in ticket for the hosted login page\'s script' },
  loginScript: { summary: 'The hosted login page\'s script' },
  ssoOidcCallback: { summary: 'The return from an upstream OpenID provider (brokered sign-in): code and state' },
  samlMetadata: { summary: 'The SAML service provider\'s metadata (its entityID)' },
  samlAcs: { summary: 'SAML assertion consumer service (HTTP-POST binding)', form: ['SAMLResponse', 'RelayState'], required: ['SAMLResponse'] },
};

/** `POST /realms/{tenant_id}/token` → `PostRealmsTenantIdToken`. */
export function operationIdOf(method: EndpointMethod, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase());
  return method[0] + method.slice(1).toLowerCase() + words.join('');
}

function responsesOf(endpoint: Endpoint) {
  if (endpoint.kind === 'view') {
    const html = endpoint.name === 'loginScript' ? 'text/javascript' : endpoint.name === 'samlMetadata' ? 'application/samlmetadata+xml' : 'text/html';
    return {
      200: { description: 'OK', content: { [html]: { schema: { type: 'string' } } } },
      302: { description: 'Redirect to the next step or back to the client' },
      303: { description: 'Redirect after a form post' },
      400: { description: 'Bad Request', content: { 'text/html': { schema: { type: 'string' } } } },
    };
  }
  const error = endpoint.kind === 'protocol' && endpoint.dialect ? vaultError : oauthError;
  const success = endpoint.kind === 'document' && endpoint.name === 'jwks'
    ? { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: { type: 'object' } } } }
    : { type: 'object' };
  return {
    200: { description: 'OK', content: { 'application/json': { schema: success } } },
    ...(endpoint.kind === 'protocol' ? {
      400: { description: 'Bad Request', content: { 'application/json': { schema: error } } },
      401: { description: 'Unauthorized', content: { 'application/json': { schema: error } } },
    } : {}),
    404: { description: 'Not Found (an unknown realm)', content: { 'application/json': { schema: error } } },
  };
}

function operationOf(mount: Mount, method: EndpointMethod) {
  const { endpoint } = mount;
  const described = DESCRIBED[endpoint.name] ?? { summary: endpoint.name };
  const pathParameters = [...mount.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name, in: 'path', required: true, schema: { type: 'string' },
  }));
  const form = method === 'POST' && described.form ? {
    requestBody: {
      required: true,
      content: {
        'application/x-www-form-urlencoded': {
          schema: {
            type: 'object',
            properties: Object.fromEntries(described.form.map((f) => [f, { type: 'string' }])),
            ...(described.required ? { required: described.required } : {}),
          },
        },
      },
    },
  } : {};
  // userinfo reads the access token itself (an argument of its operation), from the header or the form.
  const bearer = endpoint.kind === 'protocol' && (endpoint.credentials === 'access_token' || endpoint.name === 'userinfo');
  return {
    operationId: operationIdOf(method, mount.path),
    summary: described.summary,
    tags: [OIDC_TAG],
    security: bearer ? [{ HTTPBearer: [] }] : [],
    parameters: pathParameters,
    ...form,
    responses: responsesOf(endpoint),
  };
}

/** The path items of every mount, to merge into the document the REST declarations build. */
export function oidcPaths(mounts: readonly Mount[]): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const mount of mounts) {
    for (const method of mount.endpoint.methods) (paths[mount.path] ??= {})[method.toLowerCase()] = operationOf(mount, method);
  }
  return paths;
}

/** How many operations the mounts serve (README's count comes from here too). */
export const oidcOperationCount = (mounts: readonly Mount[]) => mounts.reduce((n, m) => n + m.endpoint.methods.length, 0);
