// SlashID person credentials (endpoint table 1, rows 14–20). The export holds a password's hash, as
// the reference requires; no seed or recovery code is ever selected.
import { defineRoute, type ParameterDeclaration } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { CREDENTIAL_TYPES, PHC, credentialReq, personHandle, personIdPath } from '../../schemas/slashid.ts';
import { MAX_LABEL } from '../../../domain/credential/credential.service.ts';
import { omitNulls } from '../../wire-mapping.ts';
import type { CredentialRetFragment } from '../../generated/operations.ts';

const CREDENTIAL = /* GraphQL */ `
  fragment CredentialRet on Credential { id type label last_used: lastUsed params password_hash: passwordHash }`;
// The reference's ExportedCredential: a password's params hold its hash; no field is null.
const exported = {
  type: 'object',
  required: ['id', 'type', 'params'],
  properties: {
    id: { type: 'string' }, type: { type: 'string', enum: CREDENTIAL_TYPES }, label: { type: 'string' },
    last_used: { type: 'string', format: 'date-time' },
    params: {
      type: 'object',
      description: 'By type: password: {password_hash}; public-key: {webauthn_credential_id, public_key, attestation_type?, '
        + 'authenticator?}; totp: {recovery_codes_total, recovery_codes_unused, issuer, account_name, algorithm, digits, period}',
    },
  },
};

function exportedCredential({ password_hash, params, ...credential }: CredentialRetFragment) {
  return {
    ...omitNulls(credential, 'label', 'last_used'),
    params: credential.type === 'password' ? { password_hash } : params,
  };
}
const credentialIdPath: ParameterDeclaration = {
  name: 'credential_id', in: 'path', required: true, schema: { type: 'string', maxLength: 128 }, description: 'The credential ID',
};

export const listCredentials = defineRoute(slashid, {
  method: 'GET', path: '/persons/{person_id}/credentials', summary: "Retrieve a person's credentials",
  parameters: [personIdPath],
  operation: /* GraphQL */ `query GetCredentials($id: ID!) { person(id: $id) { credentials { ...CredentialRet } } } ${CREDENTIAL}`,
  variables: ({ path }) => ({ id: path.person_id }),
  respond: (data) => ({
    // Credentials of other faces (a zero-knowledge commitment) are not SlashID's to export.
    body: data.person.credentials.filter((c) => CREDENTIAL_TYPES.includes(c.type)).map(exportedCredential),
    headers: { 'Cache-Control': 'no-store' },
  }),
  responseSchema: { type: 'array', items: exported },
  errorStatuses: [401, 404],
});

export const createCredential = defineRoute(slashid, {
  method: 'POST', path: '/persons/{person_id}/credentials', summary: 'Create a new credential',
  parameters: [personIdPath],
  body: { schema: credentialReq },
  operation: /* GraphQL */ `
    mutation PostCredential($id: ID!, $type: String!, $label: String, $params: JSON) {
      createCredential(personId: $id, type: $type, label: $label, params: $params) { ...CredentialRet }
    } ${CREDENTIAL}`,
  variables: ({ path, body }) => ({ id: path.person_id, type: body.type, label: body.label, params: body.params }),
  respond: (data) => ({ body: exportedCredential(data.createCredential), headers: { 'Cache-Control': 'no-store' } }),
  responseSchema: exported,
  errorStatuses: [400, 401, 404, 409],
});

export const deleteAllCredentials = defineRoute(slashid, {
  method: 'DELETE', path: '/persons/{person_id}/credentials', summary: 'Delete all credentials',
  parameters: [personIdPath],
  operation: /* GraphQL */ `mutation DeleteCredentials($id: ID!) { deleteCredentials(personId: $id) }`,
  variables: ({ path }) => ({ id: path.person_id }),
});

export const deleteOneCredential = defineRoute(slashid, {
  method: 'DELETE', path: '/persons/{person_id}/credentials/{credential_id}', summary: 'Delete a credential object',
  parameters: [personIdPath, credentialIdPath],
  operation: /* GraphQL */ `mutation DeleteCredential($id: ID!, $credential: ID!) { deleteCredential(personId: $id, id: $credential) }`,
  variables: ({ path }) => ({ id: path.person_id, credential: path.credential_id }),
});

export const putPassword = defineRoute(slashid, {
  method: 'PUT', path: '/persons/{person_id}/credentials/password', summary: 'Create or overwrite a password credential.',
  parameters: [personIdPath],
  body: {
    schema: {
      type: 'object', required: ['type', 'params'],
      properties: {
        type: { type: 'string', enum: ['password'] },
        label: { type: 'string', maxLength: MAX_LABEL },
        params: {
          type: 'object', required: ['password_hash'],
          properties: { password_hash: { type: 'string', maxLength: 1024, description: PHC } },
        },
      },
    },
  },
  operation: /* GraphQL */ `
    mutation PutPassword($id: ID!, $hash: String!, $label: String) {
      setPasswordHash(personId: $id, passwordHash: $hash, label: $label) { created }
    }`,
  variables: ({ path, body }) => ({ id: path.person_id, hash: body.params.password_hash, label: body.label }),
  respond: (data) => ({ status: data.setPasswordHash.created ? 201 : 200 }),
  status: 201,
  otherStatuses: [200],
});

export const passwordReset = defineRoute(slashid, {
  method: 'POST', path: '/persons/{person_id}/credentials/password-reset', summary: 'Trigger a password reset flow',
  parameters: [personIdPath],
  body: {
    required: false,
    schema: {
      type: 'object',
      properties: { force_change: { type: 'boolean' }, reset_handle: { ...personHandle, description: 'One of the person\'s handles' } },
    },
  },
  operation: /* GraphQL */ `
    mutation PasswordReset($id: ID!, $force: Boolean, $handle: HandleInput) {
      requestPasswordReset(personId: $id, forceChange: $force, resetHandle: $handle)
    }`,
  variables: ({ path, body }) => ({ id: path.person_id, force: body?.force_change ?? false, handle: body?.reset_handle }),
  status: 202,
});

export const passwordRotate = defineRoute(slashid, {
  method: 'POST', path: '/persons/{person_id}/credentials/password-rotate', summary: "Rotate a person's password",
  parameters: [personIdPath],
  operation: /* GraphQL */ `mutation RotatePassword($id: ID!) { rotatePassword(personId: $id) { new_password: newPassword } }`,
  variables: ({ path }) => ({ id: path.person_id }),
  respond: (data) => ({ body: data.rotatePassword, headers: { 'Cache-Control': 'no-store' } }),
  status: 200,
  responseSchema: { type: 'object', properties: { new_password: { type: 'string' } } },
});
