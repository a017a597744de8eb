// SlashID external credentials (endpoint table 1, rows 69–73): an organization's keys for
// third-party services. The content is sealed under the master key with the row id as associated
// data, so it opens only in its own row; lists never open it, and it never reaches an error or a log.
import type { EntityManager } from '@mikro-orm/postgresql';
import { EXTERNAL_CREDENTIAL_TYPES, EXTERNAL_PROVIDERS, ExternalCredential } from './external-credential.entity.ts';
import type { Organization } from '../organization/organization.entity.ts';
import { assertRoomForOneMore } from '../organization/organization-limit.ts';
import { deleteRowsOf } from '../organization/organization-rows.queries.ts';
import { ownedRows } from '../organization/owned-rows.ts';
import { NotFound, ValidationFailed } from '../errors.ts';
import { timeOrderedUuid } from '../ids.ts';
import type { Sealer } from '../../crypto/sealed.ts';
import type { ExternalCredentialChange, ExternalCredentialInput } from '../schema-types.generated.ts';

export { EXTERNAL_CREDENTIAL_TYPES, EXTERNAL_PROVIDERS };
export const MAX_LABEL_LENGTH = 255;
/** The content as JSON, in bytes: a credential, not a document store. */
export const MAX_CONTENT_BYTES = 16 * 1024;
export const MAX_EXTERNAL_CREDENTIALS = 100;

const notFound = (id: string) => new NotFound(`No external credential with id "${id.slice(0, 64)}" in this organization`);

function sealedContentOf(sealer: Sealer, id: string, content: Record<string, unknown>): string {
  const json = JSON.stringify(content);
  if (Buffer.byteLength(json, 'utf8') > MAX_CONTENT_BYTES) {
    throw new ValidationFailed(`json_blob must be at most ${MAX_CONTENT_BYTES} bytes as JSON`);
  }
  return sealer.seal(json, id);
}

function assertLabel(label: string | null | undefined) {
  if (label != null && label.length > MAX_LABEL_LENGTH) throw new ValidationFailed(`extcred_label must be at most ${MAX_LABEL_LENGTH} characters`);
}

function assertOneOf(name: string, value: string, allowed: readonly string[]) {
  if (!allowed.includes(value)) throw new ValidationFailed(`${name} must be one of ${allowed.join(', ')}`);
}

/** The organization's external credentials: `list`, `get` (NotFound when there is none). */
export const externalCredentials = ownedRows(ExternalCredential, notFound);

/** The content, unsealed (a credential whose seal does not open is a server fault, not the caller's). */
export function contentOf(sealer: Sealer, credential: ExternalCredential): Record<string, unknown> {
  return JSON.parse(sealer.unseal(credential.sealedContent, credential.id).toString('utf8')) as Record<string, unknown>;
}

export async function createExternalCredential(
  em: EntityManager, org: Organization, input: ExternalCredentialInput, sealer: Sealer,
): Promise<ExternalCredential> {
  assertOneOf('extcred_provider', input.provider, EXTERNAL_PROVIDERS);
  assertOneOf('extcred_type', input.type, EXTERNAL_CREDENTIAL_TYPES);
  assertLabel(input.label);
  await assertRoomForOneMore(em, org, { entity: ExternalCredential, max: MAX_EXTERNAL_CREDENTIALS, what: 'external credentials' });
  const id = timeOrderedUuid();
  const credential = em.create(ExternalCredential, {
    id, organization: org, provider: input.provider as ExternalCredential['provider'], type: input.type as ExternalCredential['type'],
    label: input.label ?? '', sealedContent: sealedContentOf(sealer, id, input.content),
  });
  await em.flush();
  return credential;
}

export const updateExternalCredential = (em: EntityManager, org: Organization, id: string, change: ExternalCredentialChange, sealer: Sealer) =>
  externalCredentials.update(em, org, id, (credential) => {
    assertLabel(change.label);
    if (change.label != null) credential.label = change.label;
    if (change.content != null) credential.sealedContent = sealedContentOf(sealer, credential.id, change.content);
  });

/** One credential when `id` is given (an id of no credential here deletes nothing), else all when `all`. */
export async function deleteExternalCredentials(
  em: EntityManager, org: Organization, id: string | null | undefined, all: boolean | null | undefined,
): Promise<number> {
  if (id) return deleteRowsOf(em, ExternalCredential, org.id, id);
  if (all) return deleteRowsOf(em, ExternalCredential, org.id);
  throw new ValidationFailed('Name the credential to delete in credentialId, or send deleteAll=true to delete every one');
}
