import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import type { Resolvers } from '../generated/types.ts';
import { boundedJson } from '../scalars.ts';
import {
  clientPublicInfo, createClient, deleteClient, detailOf, getManagedClient, listClients, rotateClientSecret,
  setUiConfiguration, updateClient,
} from '../../domain/oauth/clients.service.ts';
import {
  createDirectId, mintOAuthTokens, mintUserToken, revokeUserToken, validateUserToken,
} from '../../domain/oauth/user-tokens.service.ts';

function parseObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GraphQLError('JSONObject must be an object', { extensions: { code: 'VALIDATION_FAILED' } });
  }
  return boundedJson(value as Record<string, unknown>, 'JSONObject');
}

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.OBJECT: return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
    case Kind.LIST: return ast.values.map(literal);
    case Kind.STRING: case Kind.ENUM: return ast.value;
    case Kind.INT: case Kind.FLOAT: return Number(ast.value);
    case Kind.BOOLEAN: return ast.value;
    default: return null;
  }
}

export const JSONObject = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: 'JSONObject',
  serialize: (value) => value as Record<string, unknown>,
  parseValue: parseObject,
  parseLiteral: (ast) => parseObject(literal(ast)),
});

export const oauthResolvers: Resolvers = {
  JSONObject,
  Query: {
    oauthClients: (_, { select, offset, first }, { em, principal }) =>
      listClients(em, principal, select, offset ?? 0, first ?? 1000),
    oauthClient: (_, { clientId }, { em, principal }) => getManagedClient(em, principal, clientId),
    oauthClientPublicInfo: (_, { clientId, tenantId }, { em }) => clientPublicInfo(em, clientId, tenantId),
    userTokenValidation: (_, { token }, { em, services, principal }) => validateUserToken(em, services, principal, token),
  },
  Mutation: {
    createOAuthClient: (_, { select, input }, { em, principal }) => createClient(em, principal, select, input),
    updateOAuthClient: (_, { clientId, input }, { em, principal, services }) => updateClient(em, principal, clientId, input, services.clients),
    deleteOAuthClient: (_, { clientId }, { em, principal, services }) => deleteClient(em, principal, clientId, services.clients),
    rotateOAuthClientSecret: (_, { clientId }, { em, principal, services }) => rotateClientSecret(em, principal, clientId, services.clients),
    setOAuthClientUiConfiguration: (_, { clientId, configuration }, { em, principal }) =>
      setUiConfiguration(em, principal, clientId, configuration),
    mintUserToken: (_, { personId, customClaims }, { em, services, principal, client }) =>
      mintUserToken(em, services, principal, personId, customClaims, client),
    revokeUserToken: (_, { token }, { em, services, principal }) => revokeUserToken(em, services, principal, token),
    mintOAuthTokens: (_, { input }, { em, services, principal }) => mintOAuthTokens(em, services, principal, input),
    createDirectId: (_, { personId, durationSeconds }, { em, services, principal }) =>
      createDirectId(em, services, principal, personId, durationSeconds),
  },
  OAuthClient: {
    organization: async (client, _, { loaders }) => (await loaders.organizationById.load(client.organization.id))!,
    responseTypes: (client) => (client.grantTypes.includes('authorization_code') ? [['code']] : []),
    signAlg: (client) => client.signAlg as 'RS256' | 'EdDSA',
    logoUri: (c) => detailOf(c, 'logoUri') as string | null,
    clientUri: (c) => detailOf(c, 'clientUri') as string | null,
    policyUrl: (c) => detailOf(c, 'policyUrl') as string | null,
    tosUrl: (c) => detailOf(c, 'tosUrl') as string | null,
    userAgreementUrl: (c) => detailOf(c, 'userAgreementUrl') as string | null,
    clientLogoutUri: (c) => detailOf(c, 'clientLogoutUri') as string | null,
    registerEnable: (c) => (detailOf(c, 'registerEnable') as boolean | null) ?? false,
    tenantName: (c) => detailOf(c, 'tenantName') as string | null,
    flow: (c) => detailOf(c, 'flow') as Record<string, unknown> | null,
  },
};
