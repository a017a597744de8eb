// Synchronous hooks: `token_minted` is called before a user token is signed, with the draft claims
// and `request_metadata`; the JSON object each hook answers within its timeout is merged into the
// token as custom claims. A hook that fails, is late, answers no object or a reserved claim name
// follows WEBHOOK_SYNC_FAILURE: `issue` (default) signs the token without that hook's claims,
// `fail` refuses to issue it (503).
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ServiceUnavailable } from '../errors.ts';
import { findSyncHookWebhooks } from './webhook.queries.ts';
import { openHeaders, type WebhookRuntime } from './runtime.ts';
import { describeFailure } from './transport.ts';
import { effectiveTimeoutMs } from './webhook-rules.ts';

export interface RequestMetadata { client_ip_address?: string | null; origin?: string | null; user_agent?: string | null }

export interface HookOutcome { claims: Record<string, unknown>; failures: string[] }

async function callHook(runtime: WebhookRuntime, webhook: { id: string; targetUrl: string; timeoutMs: number; customHeadersSealed?: string | null },
  organizationId: string, content: Record<string, unknown>, isReserved: (name: string) => boolean): Promise<Record<string, unknown>> {
  const jwt = await runtime.signer.sign({
    aud: organizationId, iss: runtime.issuer(), jti: crypto.randomUUID(), sub: content.sub, target_url: webhook.targetUrl,
    webhook_id: webhook.id, trigger_type: 'sync_hook', trigger_name: 'token_minted', trigger_content: content,
  });
  const answer = await runtime.transport.post(webhook.targetUrl, jwt, openHeaders(runtime, webhook.id, webhook.customHeadersSealed ?? null),
    effectiveTimeoutMs(webhook.timeoutMs, 'sync_hook'));
  if (answer.status < 200 || answer.status >= 300) throw new Error(`HTTP ${answer.status}`);
  if (!answer.body.trim()) return {};
  let claims: unknown;
  try { claims = JSON.parse(answer.body); } catch { throw new Error('the answer is not JSON'); }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new Error('the answer is not a JSON object');
  const reserved = Object.keys(claims).filter(isReserved);
  if (reserved.length) throw new Error(`the answer sets reserved claims: ${reserved.slice(0, 5).join(', ')}`);
  return claims as Record<string, unknown>;
}

/** Runs the organization's `token_minted` hooks, oldest webhook first; later answers win a shared name. */
export async function runTokenMintedHooks(em: EntityManager, runtime: WebhookRuntime, organizationId: string,
  draft: Record<string, unknown>, requestMetadata: RequestMetadata, isReserved: (name: string) => boolean): Promise<HookOutcome> {
  const webhooks = await findSyncHookWebhooks(em, organizationId, 'token_minted');
  const outcome: HookOutcome = { claims: {}, failures: [] };
  for (const webhook of webhooks) {
    try {
      Object.assign(outcome.claims, await callHook(runtime, webhook, organizationId, { ...draft, request_metadata: requestMetadata }, isReserved));
    } catch (error) {
      const reason = describeFailure(error);
      if (runtime.syncFailure === 'fail') {
        throw new ServiceUnavailable(`The token_minted webhook ${webhook.id} failed (${reason}); no token was issued`, 1);
      }
      outcome.failures.push(`${webhook.id}: ${reason}`);
    }
  }
  return outcome;
}
