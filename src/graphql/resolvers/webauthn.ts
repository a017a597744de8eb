import type { Resolvers } from '../generated/types.ts';
import { loginTenant } from '../../domain/login/zkp-login.service.ts';
import {
  deletePasskey, listPasskeys, passkeyOwner, passkeyRegistrationOptions, registerPasskey, renamePasskey,
} from '../../domain/webauthn/passkey-registration.service.ts';
import { authenticateWithPasskey, passkeyAuthenticationOptions } from '../../domain/webauthn/passkey-login.service.ts';
import { passkeyView } from '../../domain/webauthn/passkey.ts';
import { getPersonById } from '../../domain/person/person-lookup.ts';

export const webauthnResolvers: Resolvers = {
  Mutation: {
    passkeyRegistrationOptions: async (_, __, { em, principal, services }) => {
      const { org, person } = await passkeyOwner(em, principal);
      return passkeyRegistrationOptions(em, org, person, services.webauthn());
    },
    registerPasskey: async (_, { input }, { em, principal, services }) => {
      const { org, person } = await passkeyOwner(em, principal);
      return passkeyView(await registerPasskey(em, org, person, services.webauthn(), input));
    },
    renameMyPasskey: async (_, { id, name }, { em, principal }) => renamePasskey(em, (await passkeyOwner(em, principal)).person, id, name),
    deleteMyPasskey: async (_, { id }, { em, principal }) => deletePasskey(em, (await passkeyOwner(em, principal)).person, id),
    passkeyAuthenticationOptions: async (_, { tenantId, authReqId, identifier }, { em, services, client }) => {
      const org = await loginTenant(em, tenantId, authReqId);
      return (await passkeyAuthenticationOptions(em, org, services.webauthn(), services.sealer, { identifier, authReqId }, client)).options;
    },
    authenticateWithPasskey: async (_, { tenantId, authReqId, input }, { em, client, services }) =>
      authenticateWithPasskey(em, await loginTenant(em, tenantId, authReqId), services.webauthn(), { ...input, authReqId }, client),
  },
  Person: {
    passkeys: async (person, _, { em }) => listPasskeys(em, await getPersonById(em, person.id)),
  },
};
