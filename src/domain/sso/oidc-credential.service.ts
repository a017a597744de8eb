// SlashID "OIDC provider credentials for SSO" (endpoint table 1, rows 82–86): an organization's
// clients at upstream OpenID providers, addressed by client_id. The client secret is sealed under
// the master key with the row id as associated data and never leaves the server. A change of the
// credentials clears the cached discovery metadata (src/domain/sso/provider-metadata.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import { assertRoomForOneMore } from '../organization/organization-limit.ts';
import { NotFound, ValidationFailed } from '../errors.ts';
import { timeOrderedUuid } from '../ids.ts';
import { flushOrConflict } from '../unique-flush.ts';
import type { Sealer } from '../../crypto/sealed.ts';
import type { SsoSettings } from '../services.ts';
import type { SsoOidcCredentialChange, SsoOidcCredentialInput } from '../schema-types.generated.ts';
import { OIDC_PROVIDERS, SsoOidcCredential, type OidcProviderName } from './oidc-credential.entity.ts';
import {
  findOidcCredentialByClientId, findOidcCredentialsOf,
} from './oidc-credential.queries.ts';
import { brokeringRefusal, optionsFor } from './oidc-providers.ts';
import { assertOAuth2Options } from './oauth2-providers.ts';
import { discoveryUrlOf } from './provider-metadata.ts';

export { OIDC_PROVIDERS };
export const MAX_OIDC_CREDENTIALS = 100;
export const MAX_CLIENT_ID = 255;
export const MAX_CLIENT_SECRET = 4096;
export const MAX_LABEL = 255;
export const MAX_OPTIONS_BYTES = 16 * 1024;

export type OidcCredentialInput = SsoOidcCredentialInput;
export type OidcCredentialChange = SsoOidcCredentialChange;

const issue = (field: string, msg: string) => new ValidationFailed(`${field} ${msg}`, [{ loc: ['body', field], msg, type: 'value_error' }]);
const notFound = (clientId: string) => new NotFound(`No OIDC provider credentials with client_id "${clientId.slice(0, 64)}" in this organization`);

function assertText(field: string, value: string | null | undefined, max: number, required = false) {
  if (value == null) { if (required) throw issue(field, 'is required'); return; }
  if ((required && !value) || value.length > max) throw issue(field, `must be 1 to ${max} characters`);
  if (/[\x00-\x1f\x7f]/.test(value)) throw issue(field, 'must not hold control characters');
}

function assertOptions(options: Record<string, unknown> | null | undefined) {
  if (options == null) return;
  if (Buffer.byteLength(JSON.stringify(options), 'utf8') > MAX_OPTIONS_BYTES) throw issue('options', `must be at most ${MAX_OPTIONS_BYTES} bytes as JSON`);
  // Options are stored and answered as they are: no secret may travel in them.
  const apple = options.apple as Record<string, unknown> | undefined;
  if (apple && typeof apple === 'object' && apple.private_key !== undefined) {
    const msg = 'is not accepted: idgraph does not hold Apple signing keys; send the client secret JWT you generated from it as client_secret';
    throw new ValidationFailed(`options.apple.private_key ${msg}`, [{ loc: ['body', 'options', 'apple', 'private_key'], msg, type: 'value_error' }]);
  }
}

function assertProvider(value: string): OidcProviderName {
  if (!(OIDC_PROVIDERS as readonly string[]).includes(value)) throw issue('provider', `must be one of ${OIDC_PROVIDERS.join(', ')}`);
  return value as OidcProviderName;
}

/** Offered for sign-in only when it can be: an OpenID provider whose options name a discovery URL we may call. */
function assertUsable(credential: SsoOidcCredential, settings: SsoSettings) {
  assertOAuth2Options(credential.provider, optionsFor(credential.provider, credential.options), settings);
  if (!credential.enableInAuthzServer) return;
  const refusal = brokeringRefusal(credential.provider);
  if (refusal) throw issue('enable_in_slashid_oidc_authz_server', `is refused: ${refusal}`);
  discoveryUrlOf(credential, settings);
}

export function listOidcCredentials(em: EntityManager, org: Organization, provider?: string | null) {
  return findOidcCredentialsOf(em, org.id, provider ? assertProvider(provider) : undefined);
}

export async function getOidcCredential(em: EntityManager, org: Organization, clientId: string): Promise<SsoOidcCredential> {
  const credential = clientId.length <= MAX_CLIENT_ID ? await findOidcCredentialByClientId(em, org.id, clientId) : null;
  if (!credential) throw notFound(clientId);
  return credential;
}

/** The client secret, unsealed: for calls to the provider only, never for an answer. */
export const clientSecretOf = (sealer: Sealer, credential: SsoOidcCredential) =>
  sealer.unseal(credential.sealedSecret, credential.id).toString('utf8');

export async function createOidcCredential(
  em: EntityManager, org: Organization, input: OidcCredentialInput, sealer: Sealer, settings: SsoSettings,
): Promise<SsoOidcCredential> {
  const provider = assertProvider(input.provider);
  assertText('client_id', input.clientId, MAX_CLIENT_ID, true);
  assertText('client_secret', input.clientSecret, MAX_CLIENT_SECRET, true);
  assertText('label', input.label, MAX_LABEL);
  assertText('external_cred_id', input.externalCredId, 64);
  assertOptions(input.options);
  await assertRoomForOneMore(em, org, { entity: SsoOidcCredential, max: MAX_OIDC_CREDENTIALS, what: 'sets of OIDC provider credentials' });
  const id = timeOrderedUuid();
  const credential = em.create(SsoOidcCredential, {
    id, organization: org, provider, clientId: input.clientId, label: input.label ?? '',
    sealedSecret: sealer.seal(input.clientSecret, id), options: input.options ?? {}, externalCredId: input.externalCredId ?? null,
    enableInAuthzServer: input.enableInAuthzServer ?? false, metadata: null, metadataFetchedAt: null,
  });
  assertUsable(credential, settings);
  await flushOrConflict(em, `OIDC provider credentials with client_id "${input.clientId.slice(0, 64)}" already exist in this organization`);
  return credential;
}

export async function updateOidcCredential(
  em: EntityManager, org: Organization, clientId: string, change: OidcCredentialChange, sealer: Sealer, settings: SsoSettings,
): Promise<SsoOidcCredential> {
  const credential = await getOidcCredential(em, org, clientId);
  assertText('client_secret', change.clientSecret, MAX_CLIENT_SECRET, change.clientSecret != null);
  assertText('label', change.label, MAX_LABEL);
  assertText('external_cred_id', change.externalCredId, 64);
  assertOptions(change.options);
  if (change.clientSecret != null) credential.sealedSecret = sealer.seal(change.clientSecret, credential.id);
  if (change.label != null) credential.label = change.label;
  if (change.options != null) credential.options = change.options;
  if (change.externalCredId != null) credential.externalCredId = change.externalCredId;
  if (change.enableInAuthzServer != null) credential.enableInAuthzServer = change.enableInAuthzServer;
  assertUsable(credential, settings);
  // The provider is discovered again at the next sign-in.
  credential.metadata = null;
  credential.metadataFetchedAt = null;
  await em.flush();
  return credential;
}

export async function deleteOidcCredential(em: EntityManager, org: Organization, clientId: string): Promise<boolean> {
  const credential = await getOidcCredential(em, org, clientId);
  em.remove(credential);
  await em.flush();
  return true;
}
