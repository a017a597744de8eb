/** Who is calling: every query and change is scoped to this organization (and what it manages). */
export interface Principal {
  organizationId: string;
  /** How the caller proved itself; never the secret itself. */
  method: 'org_api_key' | 'bearer' | 'user_api_key' | 'access_token' | 'anonymous';
  /**
   * Set when the caller acts as one person (a per-user API key, or an access token our OIDC provider issued to a person):
   * it then reaches its own organization only, and only within `scopes`.
   */
  personId?: string;
  /** What the caller may do; undefined means everything its organization may (an organization key). */
  scopes?: string[];
  /** The API key that authenticated the call (an organization's or a per-user key). */
  keyId?: string;
  /** The OAuth client an access token was issued to, when the caller used one. */
  clientId?: string;
  /** The session an access token was issued under (its `sid`), when the caller used one. */
  sessionId?: string;
}

/** The request's other end, as far as the server can tell (src/http/client-info.ts). */
export interface ClientInfo {
  ip: string | null;
  country: string | null;
  userAgent: string | null;
}

export const UNKNOWN_CLIENT: ClientInfo = { ip: null, country: null, userAgent: null };
