// The scopes a principal acting as a person may hold (a per-user API key's `scopes`, or what an
// access token's OAuth scopes map to). An organization key holds every scope. Which operation
// needs which scope is declared in the schema (`@auth`); README's scope table is generated from it.

/** Each scope and what it allows: the vocabulary README shows. */
export const SCOPE_DESCRIPTIONS = {
  'users:read': "read the tenant's users (other persons than the caller)",
  'users:write': "create, change and delete the tenant's users",
  'tenants:read': "read the tenant's settings and the organizations below it",
  'tenants:write': 'create tenants below its own and change tenant settings',
  'blocks:read': 'list active brute-force blocks of the tenant',
  'blocks:write': 'lift brute-force blocks',
  'api-keys:read': "list the caller's own API keys",
  'api-keys:write': "create, regenerate, rename and deactivate the caller's own API keys (never with more scopes than the caller holds)",
  'sessions:read': "list the caller's own sessions",
  'sessions:write': "end the caller's own sessions",
  'profile:write': "change the caller's own secret and email",
  'passkeys:read': "list the caller's own passkeys",
  'passkeys:write': "register, rename and delete the caller's own passkeys",
  'scim:read': "read the tenant's users, groups and SCIM discovery documents through /scim/v2",
  'scim:write': "create, change, deactivate and delete the tenant's users and groups through /scim/v2",
} as const;

export type Scope = keyof typeof SCOPE_DESCRIPTIONS;
export const SCOPES = Object.keys(SCOPE_DESCRIPTIONS) as Scope[];

export const isScope = (value: string): value is Scope => Object.hasOwn(SCOPE_DESCRIPTIONS, value);

/**
 * The vault scopes an OIDC access token carries (docs/architecture.md, "Access tokens as
 * principals"). Signing in (`openid`) lets the person see and end its own sessions and see its own
 * keys. Everything that changes the account (`profile:write`: secret and email change;
 * `api-keys:write`, …) must be asked for by its vault name, which the client's `allowed_scopes`
 * must list (and a third-party client's consent page shows). `profile`, `email` and `phone` are
 * read scopes of the ID token and userinfo only: they grant nothing here.
 */
export const OIDC_SCOPE_GRANTS: Record<string, readonly Scope[]> = {
  openid: ['sessions:read', 'sessions:write', 'api-keys:read'],
};

export function vaultScopesOf(oidcScopes: readonly string[]): Scope[] {
  const granted = new Set<Scope>();
  for (const s of oidcScopes) {
    for (const g of OIDC_SCOPE_GRANTS[s] ?? []) granted.add(g);
    if ((SCOPES as readonly string[]).includes(s)) granted.add(s as Scope);
  }
  return SCOPES.filter((s) => granted.has(s));
}
