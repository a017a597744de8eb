// SlashID organization configuration (GET/PATCH /organizations/config): what is stored, the
// defaults a missing value stands for, and the rules a change must keep. Only the values set by a
// PATCH are stored (organization.config); 0 / "" / a negative sudo duration revert to the default.
// Changing it is `updateOrganizationConfig` in organization.service.ts.
import type { OrganizationConfig, OrganizationConfigInput } from '../schema-types.generated.ts';
import { ValidationFailed, type FieldIssue } from '../errors.ts';

export type { OrganizationConfig };

/** The stored part: a value absent here is the default. */
export type StoredOrganizationConfig = Partial<Omit<OrganizationConfig, '__typename' | 'fromEmail' | 'fromPhoneNumberSms'>>;

export const DEFAULT_TOKEN_DURATION_SECONDS = 86400;
export const DEFAULT_GROUPS_CLAIM = 'groups';
export const DEFAULT_SUDO_MODE_SECONDS = 900;
export const MAX_TOKEN_DURATION_SECONDS = 31_536_000;
export const FACTOR_METHODS = ['webauthn', 'email_link', 'sms_link', 'otp_via_sms', 'otp_via_email', 'totp', 'oidc', 'saml',
  'api', 'direct_id', 'password', 'impersonate', 'anonymous'];

/** Claim names a groups claim may not take: they carry the token's own meaning. */
export const PROTECTED_CLAIMS = new Set(['aud', 'exp', 'jti', 'iat', 'iss', 'nbf', 'sub', 'oid', 'org_id', 'person_id', 'user_id',
  'first_token', 'authenticated_methods', 'region', 'person_type', 'scope', 'client_id', 'azp', 'nonce', 'auth_time', 'sid']);
export const CLAIM_NAME = /^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$/;

/** The configuration in force: what was stored, defaults for the rest. */
export function organizationConfigOf(org: { config?: StoredOrganizationConfig | null }): OrganizationConfig {
  const c = org.config ?? {};
  return {
    fromEmail: '',
    fromPhoneNumberSms: '',
    tokenDuration: c.tokenDuration ?? DEFAULT_TOKEN_DURATION_SECONDS,
    groupsClaimName: c.groupsClaimName ?? DEFAULT_GROUPS_CLAIM,
    requiresManualApproval: c.requiresManualApproval ?? false,
    denySelfRegistration: c.denySelfRegistration ?? false,
    allowedFactorMethods: c.allowedFactorMethods ?? [],
    authnLinkAllowedRedirectUris: c.authnLinkAllowedRedirectUris ?? [],
    newPersonHandlePatterns: c.newPersonHandlePatterns ?? [],
    sudoModeDuration: c.sudoModeDuration ?? DEFAULT_SUDO_MODE_SECONDS,
    authnRedirectPageUiConfig: c.authnRedirectPageUiConfig ?? null,
    canonicalIdentityAiMatchingEnabled: c.canonicalIdentityAiMatchingEnabled ?? true,
  };
}

/** A redirect URI of an e-mail/SMS link: absolute, custom schemes allowed, no IP host, query or fragment. */
function redirectUriIssue(value: string): string | undefined {
  let url: URL;
  try { url = new URL(value); } catch { return 'must be an absolute URI'; }
  if (value.length > 2000) return 'at most 2000 characters';
  if (url.search || url.hash || value.includes('?') || value.includes('#')) return 'must not contain a query or fragment';
  if (['javascript:', 'data:', 'vbscript:', 'file:'].includes(url.protocol)) return 'this scheme is not allowed';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':')) return 'must not be an IP address';
  return undefined;
}

function validate(input: OrganizationConfigInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = (field: string, msg: string, type = 'value_error', index?: number) =>
    issues.push({ loc: index === undefined ? ['body', field] : ['body', field, index], msg, type });
  if (input.tokenDuration != null && (input.tokenDuration < 0 || input.tokenDuration > MAX_TOKEN_DURATION_SECONDS)) {
    at('token_duration', `must be between 0 (the default, 24 h) and ${MAX_TOKEN_DURATION_SECONDS} seconds`, 'value_error.range');
  }
  if (input.sudoModeDuration != null && input.sudoModeDuration > MAX_TOKEN_DURATION_SECONDS) {
    at('sudo_mode_duration', `must be at most ${MAX_TOKEN_DURATION_SECONDS} seconds (negative: the default)`, 'value_error.range');
  }
  const claim = input.groupsClaimName;
  if (claim) {
    if (!CLAIM_NAME.test(claim)) at('groups_claim_name', 'must be 1 to 128 letters, digits, "_", ".", ":", "/" or "-", not starting with a digit or punctuation');
    else if (PROTECTED_CLAIMS.has(claim.toLowerCase())) at('groups_claim_name', 'is a registered or reserved claim name');
  }
  input.allowedFactorMethods?.forEach((m, i) => {
    if (!FACTOR_METHODS.includes(m)) at('allowed_factor_methods', `must be one of ${FACTOR_METHODS.join(', ')}`, 'value_error.enum', i);
  });
  if (input.authnLinkAllowedRedirectUris && input.authnLinkAllowedRedirectUris.length > 8) {
    at('authn_link_allowed_redirect_uris', 'at most 8 URIs', 'value_error.list.max_items');
  }
  input.authnLinkAllowedRedirectUris?.forEach((u, i) => {
    const issue = redirectUriIssue(u);
    if (issue) at('authn_link_allowed_redirect_uris', issue, 'value_error.url', i);
  });
  input.newPersonHandlePatterns?.forEach((p, i) => {
    if (!p || p.length > 320) at('new_person_handle_patterns', 'must be 1 to 320 characters', 'value_error', i);
  });
  if (input.authnRedirectPageUiConfig && JSON.stringify(input.authnRedirectPageUiConfig).length > 65536) {
    at('authn_redirect_page_ui_config', 'at most 64 KiB of JSON');
  }
  return issues;
}

/** The stored configuration after `input`: validated; null / 0 / "" / a negative sudo duration drop a value. */
export function nextStoredConfig(current: StoredOrganizationConfig | null | undefined, input: OrganizationConfigInput): StoredOrganizationConfig {
  const issues = validate(input);
  if (issues.length) throw new ValidationFailed('Invalid organization configuration', issues);
  const next: StoredOrganizationConfig = { ...current };
  const set = <K extends keyof StoredOrganizationConfig>(key: K, value: StoredOrganizationConfig[K] | null | undefined, isDefault = false) => {
    if (value === undefined) return;
    if (value === null || isDefault) delete next[key];
    else next[key] = value;
  };
  set('tokenDuration', input.tokenDuration, input.tokenDuration === 0);
  set('groupsClaimName', input.groupsClaimName, input.groupsClaimName === '');
  set('requiresManualApproval', input.requiresManualApproval);
  set('denySelfRegistration', input.denySelfRegistration);
  set('allowedFactorMethods', input.allowedFactorMethods && [...new Set(input.allowedFactorMethods)]);
  set('authnLinkAllowedRedirectUris', input.authnLinkAllowedRedirectUris && [...new Set(input.authnLinkAllowedRedirectUris)]);
  set('newPersonHandlePatterns', input.newPersonHandlePatterns && [...new Set(input.newPersonHandlePatterns)]);
  set('sudoModeDuration', input.sudoModeDuration, input.sudoModeDuration != null && input.sudoModeDuration < 0);
  set('authnRedirectPageUiConfig', input.authnRedirectPageUiConfig);
  set('canonicalIdentityAiMatchingEnabled', input.canonicalIdentityAiMatchingEnabled);
  return next;
}
