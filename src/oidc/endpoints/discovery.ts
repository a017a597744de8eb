// OpenID Provider metadata (OIDC Discovery 1.0 §3, RFC 8414) of the root issuer or of a realm:
// a document of the issuer, built from its endpoints; no operation.
import type { IssuerEndpoints } from '../../domain/oauth/endpoints.ts';
import { GRANT_TYPES } from '../../domain/oauth/grants/index.ts';
import { defineEndpoint } from '../endpoint.ts';

const SCOPES = ['openid', 'profile', 'email', 'phone', 'offline_access'];

export function metadata(e: IssuerEndpoints) {
  return {
    issuer: e.issuer,
    authorization_endpoint: e.authorization,
    token_endpoint: e.token,
    userinfo_endpoint: e.userinfo,
    jwks_uri: e.jwks,
    end_session_endpoint: e.endSession,
    introspection_endpoint: e.introspection,
    revocation_endpoint: e.revocation,
    scopes_supported: SCOPES,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: GRANT_TYPES,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['EdDSA', 'RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    code_challenge_methods_supported: ['S256'],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'sid', 'org_id', 'email', 'email_verified',
      'phone_number', 'phone_number_verified', 'username', 'preferred_username', 'locale', 'updated_at'],
    authorization_response_iss_parameter_supported: true,
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  };
}

export const discovery = defineEndpoint({
  kind: 'document', name: 'discovery', methods: ['GET'], cors: true,
  async serve({ issuer }) {
    return { body: metadata((await issuer())!.endpoints) };
  },
});
