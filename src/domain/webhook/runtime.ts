// What webhook work needs beyond the database, shared by the services (CRUD, sync hooks) and the
// sender of each process: the signing key, the transport and the settings.
import type { Sealer } from '../../crypto/sealed.ts';
import type { WebhookSigner } from './webhook-signer.ts';
import type { WebhookTransport } from './transport.ts';

export interface WebhookRuntime {
  signer: WebhookSigner;
  transport: WebhookTransport;
  sealer: Sealer;
  /** The `iss` of webhook JWTs: PUBLIC_URL or the listening address. */
  issuer: () => string;
  /** WEBHOOK_SYNC_FAILURE: a sync hook that fails or is late — `issue` the token without its claims, or `fail`. */
  syncFailure: 'issue' | 'fail';
}

/** Custom headers as stored: sealed JSON, the webhook id as associated data. */
export function sealHeaders(runtime: Pick<WebhookRuntime, 'sealer'>, webhookId: string, headers: Record<string, string[]>): string | null {
  return Object.keys(headers).length ? runtime.sealer.seal(JSON.stringify(headers), `webhook:${webhookId}`) : null;
}

export function openHeaders(runtime: Pick<WebhookRuntime, 'sealer'>, webhookId: string, sealed: string | null): Record<string, string[]> {
  return sealed ? JSON.parse(runtime.sealer.unseal(sealed, `webhook:${webhookId}`).toString('utf8')) : {};
}
