// SlashID organization configuration (endpoint table 1, rows 99–100).
import { defineRoute, type JsonSchema } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { inputWrite, withoutNulls } from './declaration-pieces.ts';
import type { OrganizationConfigInput } from '../../generated/operations.ts';
import {
  CLAIM_NAME, FACTOR_METHODS, MAX_TOKEN_DURATION_SECONDS, PROTECTED_CLAIMS,
} from '../../../domain/organization/organization-config.ts';

const writable: Record<string, JsonSchema> = {
  token_duration: { type: 'integer', minimum: 0, maximum: MAX_TOKEN_DURATION_SECONDS, description: 'Seconds before a user token expires; 0 means the default (24 h)' },
  groups_claim_name: {
    type: 'string', maxLength: 128, pattern: `^$|${CLAIM_NAME.source}`,
    description: 'The JWT claim listing the person\'s groups; empty means `groups`. Letters, digits, "_", ".", ":", "/" '
      + `or "-", starting with a letter or "_"; not a registered claim (${[...PROTECTED_CLAIMS].join(', ')})`,
  },
  requires_manual_approval: { type: 'boolean' },
  deny_self_registration: { type: 'boolean' },
  allowed_factor_methods: { type: 'array', maxItems: FACTOR_METHODS.length, items: { type: 'string', enum: FACTOR_METHODS } },
  authn_link_allowed_redirect_uris: {
    type: 'array', maxItems: 8, items: { type: 'string', format: 'uri', minLength: 1, maxLength: 2000, pattern: '^[^?#]*$' },
    description: 'Absolute URIs (custom schemes allowed) without a query or fragment, whose host is no IP address; '
      + 'javascript:, data:, vbscript: and file: are refused',
  },
  new_person_handle_patterns: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 320 } },
  sudo_mode_duration: { type: 'integer', minimum: -2147483648, maximum: MAX_TOKEN_DURATION_SECONDS, description: 'Negative values revert to the default (15 minutes)' },
  authn_redirect_page_ui_config: { type: 'object', additionalProperties: true, maxProperties: 200, description: 'At most 64 KiB as JSON' },
  canonical_identity_ai_matching_enabled: { type: 'boolean' },
};

const configSchema: JsonSchema = {
  type: 'object',
  required: ['from_email', 'from_phone_number_sms', 'token_duration', 'groups_claim_name', 'requires_manual_approval',
    'deny_self_registration', 'allowed_factor_methods', 'authn_link_allowed_redirect_uris', 'new_person_handle_patterns', 'sudo_mode_duration'],
  properties: { from_email: { type: 'string' }, from_phone_number_sms: { type: 'string' }, ...writable },
};

/** The wire names of configSchema, as GraphQL aliases. */
const CONFIG = /* GraphQL */ `
  fragment OrganizationConfigWire on OrganizationConfig {
    from_email: fromEmail from_phone_number_sms: fromPhoneNumberSms token_duration: tokenDuration
    groups_claim_name: groupsClaimName requires_manual_approval: requiresManualApproval
    deny_self_registration: denySelfRegistration allowed_factor_methods: allowedFactorMethods
    authn_link_allowed_redirect_uris: authnLinkAllowedRedirectUris new_person_handle_patterns: newPersonHandlePatterns
    sudo_mode_duration: sudoModeDuration authn_redirect_page_ui_config: authnRedirectPageUiConfig
    canonical_identity_ai_matching_enabled: canonicalIdentityAiMatchingEnabled
  }`;

export const getOrganizationConfig = defineRoute(slashid, {
  method: 'GET', path: '/organizations/config', summary: 'Get organization config',
  operation: /* GraphQL */ `query OrganizationConfig { organization { config { ...OrganizationConfigWire } } } ${CONFIG}`,
  respond: (data) => ({ body: withoutNulls(data.organization.config) }),
  responseSchema: configSchema,
  errorStatuses: [400, 401, 404],
});

export const patchOrganizationConfig = defineRoute(slashid, {
  method: 'PATCH', path: '/organizations/config', summary: 'Update organization config',
  ...inputWrite({ type: 'object', properties: writable }, (body): OrganizationConfigInput => ({
    tokenDuration: body.token_duration, groupsClaimName: body.groups_claim_name,
    requiresManualApproval: body.requires_manual_approval, denySelfRegistration: body.deny_self_registration,
    allowedFactorMethods: body.allowed_factor_methods, authnLinkAllowedRedirectUris: body.authn_link_allowed_redirect_uris,
    newPersonHandlePatterns: body.new_person_handle_patterns, sudoModeDuration: body.sudo_mode_duration,
    authnRedirectPageUiConfig: body.authn_redirect_page_ui_config,
    canonicalIdentityAiMatchingEnabled: body.canonical_identity_ai_matching_enabled,
  })),
  operation: /* GraphQL */ `
    mutation UpdateOrganizationConfig($input: OrganizationConfigInput!) { updateOrganizationConfig(input: $input) { id } }`,
  status: 204,
  errorStatuses: [400, 401, 404],
});
