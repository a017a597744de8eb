// Every REST declaration the server serves, per dialect.
import type { RouteDeclaration } from '../route.ts';
import * as persons from './slashid/persons.ts';
import * as personHandles from './slashid/persons.handles.ts';
import * as personsBulkImport from './slashid/persons.bulk-import.ts';
import * as groups from './slashid/groups.ts';
import * as rbac from './slashid/rbac.ts';
import * as attributes from './slashid/attributes.ts';
import * as credentials from './slashid/credentials.ts';
import * as tenants from './vault/tenants.ts';
import * as tenantUsers from './vault/tenants.users.ts';
import * as vaultAuth from './vault/auth.ts';
import * as vaultBlocks from './vault/blocks.ts';
import * as vaultApiKeys from './vault/api-keys.ts';
import * as vaultMe from './vault/me.ts';
import * as vaultWebauthn from './vault/webauthn.ts';
import * as oauth2Clients from './slashid/oauth2-clients.ts';
import * as vaultClients from './vault/clients.ts';
import * as userTokens from './slashid/user-tokens.ts';
import * as organizationConfig from './slashid/organization-config.ts';
import * as organizations from './slashid/organizations.ts';
import * as externalCredentials from './slashid/external-credentials.ts';
import * as ssoOidc from './slashid/sso-oidc.ts';
import * as samlProviderCredentials from './slashid/saml-provider-credentials.ts';
import * as organizationAttributes from './slashid/organization-attributes.ts';
import * as allowedDomains from './slashid/allowed-domains.ts';
import * as organizationTemplates from './slashid/organization-templates.ts';
import * as quota from './slashid/quota.ts';
import * as kycConfig from './slashid/kyc-config.ts';
import * as scimDiscovery from './scim/discovery.ts';
import * as scimUsers from './scim/users.ts';
import * as scimGroups from './scim/groups.ts';
import * as webhooks from './slashid/webhooks.ts';
import * as scimBulk from './scim/bulk.ts';
import * as scimSearch from './scim/search.ts';

const declarationsOf = (module: Record<string, unknown>) =>
  Object.values(module).filter((v): v is RouteDeclaration =>
    typeof v === 'object' && v !== null && 'operation' in v && 'dialect' in v);

// /persons/bulk-import is listed before /persons/{person_id}, which would match it too.
export const routes: RouteDeclaration[] = [
  personsBulkImport, persons, personHandles, groups, rbac, attributes, credentials, oauth2Clients, userTokens, organizationConfig, webhooks,
  organizations, externalCredentials, samlProviderCredentials, ssoOidc, organizationAttributes, allowedDomains, organizationTemplates, quota, kycConfig,
  tenants, tenantUsers, vaultAuth, vaultBlocks, vaultApiKeys, vaultMe, vaultClients, vaultWebauthn,
  scimDiscovery, scimUsers, scimGroups, scimBulk, scimSearch,
].flatMap(declarationsOf);
