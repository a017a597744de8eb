// Secrets Vault /tenants (endpoint table 2, rows 35, 36, 39, 40). A tenant is an organization.
import { defineRoute } from '../../route.ts';
import { vault } from '../../dialects/vault.ts';
import { tenant, tenantIdPath, tenantOf, tenantSettingsFields, tenantUpdate } from '../../schemas/vault.ts';
import { toGraphInput } from '../../wire-mapping.ts';
import type { TenantFragment } from '../../generated/operations.ts';

/** The wire names of tenantSettingsFields (schemas/vault.ts), which turn request bodies into input. */
export const TENANT_SETTINGS = /* GraphQL */ `
  fragment TenantSettings on TenantSettings {
    register_enable: registerEnable is_2fa: is2fa use_pin: usePin pin_size: pinSize use_pattern: usePattern
    patter_size: patternSize use_face_recognition: useFaceRecognition use_liveness: useLiveness
    display_name: displayName show_pin_when_typing: showPinWhenTyping
    block_config: blockConfig {
      ip_attempts_limit: ipAttemptsLimit ip_attempts_reset_minutes: ipAttemptsResetMinutes
      user_attempts_limit: userAttemptsLimit user_timeframe_seconds: userTimeframeSeconds
      initial_block_seconds: initialBlockSeconds max_block_time_minutes: maxBlockTimeMinutes
    }
    login_order: loginOrder passkey_enabled: passkeyEnabled has_username_and_email: hasUsernameAndEmail
    liveness_config: livenessConfig {
      number_steps_min: numberStepsMin number_steps_max: numberStepsMax duration_in_seconds: durationInSeconds
      number_of_allowed_failures: numberOfAllowedFailures gesture_set: gestureSet
      number_blinks_max: numberBlinksMax number_blinks_min: numberBlinksMin
    }
  }`;

const TENANT = /* GraphQL */ `
  fragment Tenant on Organization { tenant_id: tenantId tenantSettings { ...TenantSettings } } ${TENANT_SETTINGS}`;

const toTenant = ({ tenant_id, tenantSettings }: TenantFragment) => ({ tenant_id, ...tenantSettings });

export const listTenants = defineRoute(vault, {
  method: 'GET', path: '/tenants', operationId: 'list_tenants', summary: 'List the tenants you manage',
  operation: /* GraphQL */ `query ListTenants { organizations { ...Tenant } } ${TENANT}`,
  respond: (data) => ({ body: { tenants: data.organizations.map(toTenant) } }),
  responseSchema: { type: 'object', properties: { tenants: { type: 'array', items: tenant } } },
  errorStatuses: [401],
});

export const createTenant = defineRoute(vault, {
  method: 'POST', path: '/tenants', operationId: 'create_tenant', summary: 'Create Tenant',
  body: { schema: tenant },
  operation: /* GraphQL */ `
    mutation CreateTenant($input: CreateTenantInput!) { createTenant(input: $input) { id } }`,
  variables: ({ body }) => ({
    input: { tenantId: body.tenant_id, settings: toGraphInput(tenantSettingsFields, body) },
  }),
  errorStatuses: [401, 409, 422],
});

/** The path of one tenant, read and updated, with its parameter. */
const oneTenant = { path: '/tenants/{tenant_id}', parameters: [tenantIdPath] };

export const readTenant = defineRoute(vault, {
  method: 'GET', ...oneTenant, operationId: 'read_tenant', summary: 'Read Tenant',
  operation: /* GraphQL */ `
    query ReadTenant($tenantId: String!) { organization(select: { tenantId: $tenantId }) { ...Tenant } } ${TENANT}`,
  variables: tenantOf,
  respond: (data) => ({ body: toTenant(data.organization) }),
  responseSchema: tenant,
});

export const updateTenant = defineRoute(vault, {
  method: 'PUT', ...oneTenant, operationId: 'update_tenant', summary: 'Update Tenant',
  body: { schema: tenantUpdate },
  operation: /* GraphQL */ `
    mutation UpdateTenant($tenantId: String!, $settings: TenantSettingsInput!) {
      updateTenantSettings(select: { tenantId: $tenantId }, settings: $settings) { id }
    }`,
  variables: (input) => ({ ...tenantOf(input), settings: toGraphInput(tenantSettingsFields, input.body) }),
});
