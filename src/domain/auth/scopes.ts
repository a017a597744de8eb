// What a per-user API key may do. An organization key (no `scopes`) may do everything its
// organization may; a principal that acts as a person needs the scope each operation names.
import { Forbidden } from '../errors.ts';
import type { Principal } from '../principal.ts';

export const SCOPES = [
  'users:read', 'users:write',
  'tenants:read', 'tenants:write',
  'blocks:read', 'blocks:write',
  'api-keys:read', 'api-keys:write',
  'sessions:read', 'sessions:write',
  'profile:write',
] as const;
export type Scope = (typeof SCOPES)[number];

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes === undefined || principal.scopes.includes(scope);
}

export function requireScope(principal: Principal, scope: Scope): void {
  if (!hasScope(principal, scope)) {
    throw new Forbidden(`These credentials lack the "${scope}" scope; use a key that has it`);
  }
}

/** Operations that act on a whole organization (not as one person) need an organization's key. */
export function requireOrganizationKey(principal: Principal): void {
  if (principal.personId !== undefined) {
    throw new Forbidden("This operation needs the organization's API key, not a user's");
  }
}

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
