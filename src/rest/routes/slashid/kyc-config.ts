// SlashID KYC configuration (endpoint table 1, rows 105–106).
import { defineRoute } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { inputWrite, withoutNulls } from './declaration-pieces.ts';
import type { KycConfigInput } from '../../generated/operations.ts';
import { MAX_URL_LENGTH } from '../../../domain/organization/kyc-config.ts';

const kyc = {
  type: 'object',
  properties: {
    mobile_redirect_base_url: { type: 'string', maxLength: MAX_URL_LENGTH, description: 'An absolute http(s) URL; empty clears it' },
  },
};

export const getKycConfig = defineRoute(slashid, {
  method: 'GET', path: '/organizations/config/kyc', summary: 'Get organization KYC config',
  operation: /* GraphQL */ `query GetKycConfig { organization { kycConfig { mobile_redirect_base_url: mobileRedirectBaseUrl } } }`,
  respond: (data) => ({ body: withoutNulls(data.organization.kycConfig) }),
  responseSchema: kyc,
  errorStatuses: [400, 401, 403],
});

export const patchKycConfig = defineRoute(slashid, {
  method: 'PATCH', path: '/organizations/config/kyc', summary: 'Update KYC organization config',
  ...inputWrite(kyc, (body): KycConfigInput => ({ mobileRedirectBaseUrl: body.mobile_redirect_base_url })),
  operation: /* GraphQL */ `mutation PatchKycConfig($input: KycConfigInput!) { updateKycConfig(input: $input) { id } }`,
  status: 204,
  errorStatuses: [400, 401, 403],
});
