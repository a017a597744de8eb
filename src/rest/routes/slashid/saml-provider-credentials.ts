// SlashID SAML provider credentials for SSO (endpoint table 1, rows 3–7). The metadata URL is
// fetched and checked on create and on a patch that names it; a bad one is a 400 that says why.
import { defineRoute, type JsonSchema } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { consistencyHeaders } from '../../schemas/slashid.ts';
import { stringPath } from '../../parameters.ts';
import { MAX_METADATA_URL_LENGTH } from '../../../domain/sso/saml/idp-metadata.ts';
import { MAX_CLAIM_LENGTH, MAX_EMAIL_CLAIMS, MAX_LABEL_LENGTH } from '../../../domain/sso/saml/saml-provider.service.ts';
import { inputWrite, pathTarget } from './declaration-pieces.ts';

const PATH = '/organizations/sso/saml/provider-credentials';
const idPath = stringPath('saml_provider_credentials_id', 64, 'The SAML provider credentials ID');
const provider = pathTarget(idPath, 'id');
const providerWrite = pathTarget(idPath, 'id', ...consistencyHeaders);
const fields: Record<string, JsonSchema> = {
  label: { type: 'string', maxLength: MAX_LABEL_LENGTH, description: 'A friendly free-form label' },
  idp_metadata_url: {
    type: 'string', maxLength: MAX_METADATA_URL_LENGTH,
    description: 'The IdP\'s metadata URL (https, a host name): fetched now; it must name an entityID, an HTTP-Redirect SingleSignOnService and a signing certificate',
  },
  email_claims: {
    type: 'array', maxItems: MAX_EMAIL_CLAIMS, items: { type: 'string', minLength: 1, maxLength: MAX_CLAIM_LENGTH },
    description: 'Attributes holding the person\'s email address, first match wins (NameID of format emailAddress otherwise)',
  },
  enable_in_slashid_oidc_authz_server: { type: 'boolean', description: 'Offered on the hosted login page of the OIDC authorization server' },
};
const described: JsonSchema = {
  type: 'object', required: ['id', 'idp_metadata_url'],
  properties: { id: { type: 'string' }, ...fields },
};
const SAML_PROVIDER = /* GraphQL */ `
  fragment SamlProviderFields on SamlProvider {
    id label idp_metadata_url: idpMetadataUrl email_claims: emailClaims enable_in_slashid_oidc_authz_server: enableInOidcAuthzServer
  }`;
const changeOf = (body: any) => ({
  idpMetadataUrl: body.idp_metadata_url, label: body.label, emailClaims: body.email_claims,
  enableInOidcAuthzServer: body.enable_in_slashid_oidc_authz_server,
});

export const listSamlProviderCredentials = defineRoute(slashid, {
  method: 'GET', path: PATH, operationId: 'GetOrganizationsSamlProviderCredentials', summary: 'List SAML credentials for SSO',
  operation: /* GraphQL */ `
    query ListSamlProviders { organization { samlProviders { ...SamlProviderFields } } } ${SAML_PROVIDER}`,
  respond: (data) => ({ body: data.organization.samlProviders }),
  responseSchema: { type: 'array', items: described },
});

export const createSamlProviderCredentials = defineRoute(slashid, {
  method: 'POST', path: PATH, operationId: 'PostOrganizationsSamlProviderCredentials', summary: 'Create a new set of SAML provider credentials for SSO',
  ...inputWrite({ type: 'object', required: ['idp_metadata_url'], properties: fields }, changeOf),
  operation: /* GraphQL */ `
    mutation CreateSamlProvider($input: SamlProviderInput!) { createSamlProvider(input: $input) { ...SamlProviderFields } } ${SAML_PROVIDER}`,
  respond: (data) => ({ body: data.createSamlProvider }),
  responseSchema: described,
  errorStatuses: [400, 401, 402],
});

export const getSamlProviderCredentials = defineRoute(slashid, {
  method: 'GET', path: `${PATH}/{saml_provider_credentials_id}`,
  summary: 'Get an existing set of SAML provider credentials for SSO',
  ...provider,
  operation: /* GraphQL */ `
    query GetSamlProvider($id: ID!) { organization { samlProvider(id: $id) { ...SamlProviderFields } } } ${SAML_PROVIDER}`,
  respond: (data) => ({ body: data.organization.samlProvider }),
  responseSchema: described,
});

export const deleteSamlProviderCredentials = defineRoute(slashid, {
  method: 'DELETE', path: `${PATH}/{saml_provider_credentials_id}`,
  summary: 'Delete an existing set of SAML provider credentials for SSO',
  ...providerWrite,
  operation: /* GraphQL */ `mutation DeleteSamlProvider($id: ID!) { deleteSamlProvider(id: $id) }`,
});

export const updateSamlProviderCredentials = defineRoute(slashid, {
  method: 'PATCH', path: `${PATH}/{saml_provider_credentials_id}`,
  summary: 'Modify an existing set of SAML provider credentials for SSO',
  ...providerWrite,
  variables: (input) => ({ ...providerWrite.variables(input), change: changeOf(input.body) }),
  body: { schema: { type: 'object', properties: fields }, required: true },
  operation: /* GraphQL */ `
    mutation UpdateSamlProvider($id: ID!, $change: SamlProviderChange!) { updateSamlProvider(id: $id, change: $change) { id } }`,
  status: 204,
});
