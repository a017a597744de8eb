// SlashID organization webhooks (endpoint table 1, rows 107–115) and POST /test-events. A webhook
// belongs to the organization of the key; another organization's id answers 404.
import { defineRoute, type JsonSchema, type RouteInput, type RouteSpec } from '../../route.ts';
import { pathParameter } from '../../parameters.ts';
import { slashid } from '../../dialects/slashid.ts';
import { consistencyHeaders } from '../../schemas/slashid.ts';
import { GO_DURATION, MAX_TIMEOUT_MS, SYNC_HOOK_NAMES } from '../../../domain/webhook/webhook-rules.ts';
import { TRIGGER_TYPES } from '../../../domain/webhook/webhook.entity.ts';
import { MAX_TEST_EVENTS } from '../../../domain/webhook/test-events.ts';
import { inputWrite, pathTarget, withoutNulls, type Typed } from './declaration-pieces.ts';
import type { WebhookInput } from '../../generated/operations.ts';

const webhookIdPath = pathParameter('webhook_id', { type: 'string', minLength: 1, maxLength: 64 }, 'The webhook ID');
const webhook = pathTarget(webhookIdPath, 'id');
const webhookWrite = pathTarget(webhookIdPath, 'id', ...consistencyHeaders);

const customHeaders = {
  type: 'object', maxProperties: 32,
  additionalProperties: { type: 'array', maxItems: 16, items: { type: 'string', maxLength: 4096 } },
  description: 'Header name → values; Host, Content-Type, Content-Length and hop-by-hop headers cannot be set. Sealed at rest',
};
const configuration = {
  name: { type: 'string', minLength: 1, maxLength: 255, description: 'Not blank' },
  description: { type: 'string', maxLength: 4096 },
  target_url: {
    type: 'string', minLength: 1, maxLength: 2000,
    description: 'https, naming a host (no IP address, no localhost), without query, fragment or credentials; unique per organization',
  },
  custom_headers: customHeaders,
  timeout: {
    type: 'string', maxLength: 32, pattern: GO_DURATION.source,
    description: `A Go duration (e.g. 5s, 1500ms), at most ${MAX_TIMEOUT_MS / 1000}s; 0s means the defaults (2s for sync hooks, 10s for events)`,
  },
};
const webhookSchema: JsonSchema = {
  type: 'object', required: ['id', 'name', 'target_url'],
  properties: { id: { type: 'string' }, ...configuration },
};
const triggerType = { type: 'string', enum: [...TRIGGER_TYPES] };
const triggerSchema: JsonSchema = {
  type: 'object', required: ['trigger_type', 'trigger_name'],
  properties: {
    trigger_type: triggerType,
    trigger_name: {
      type: 'string', minLength: 1, maxLength: 128,
      description: `An event name (e.g. PersonCreated_v1) for \`event\`; ${SYNC_HOOK_NAMES.join(', ')} for \`sync_hook\``,
    },
  },
};

const WEBHOOK = /* GraphQL */ `
  fragment WebhookWire on Webhook {
    id name description target_url: targetUrl custom_headers: customHeaders timeout
  }`;

const inputOf = (body: Record<string, any>): WebhookInput => ({
  name: body.name, description: body.description, targetUrl: body.target_url, customHeaders: body.custom_headers, timeout: body.timeout,
});

export const listWebhooks = defineRoute(slashid, {
  method: 'GET', path: '/organizations/webhooks', summary: 'List all webhooks',
  operation: /* GraphQL */ `query GetOrganizationsWebhooks { webhooks { ...WebhookWire } } ${WEBHOOK}`,
  respond: (data) => ({ body: data.webhooks.map(withoutNulls) }),
  responseSchema: { type: 'array', items: webhookSchema },
  errorStatuses: [400, 401, 404],
});

export const createWebhook = defineRoute(slashid, {
  method: 'POST', path: '/organizations/webhooks', summary: 'Create a new webhook',
  ...inputWrite({ type: 'object', required: ['name', 'target_url'], properties: configuration }, inputOf),
  operation: /* GraphQL */ `
    mutation PostOrganizationsWebhooks($input: WebhookInput!) { createWebhook(input: $input) { ...WebhookWire } } ${WEBHOOK}`,
  respond: (data) => ({ body: withoutNulls(data.createWebhook) }),
  responseSchema: webhookSchema,
  errorStatuses: [400, 401, 404, 409],
});

export const verificationJwks = defineRoute(slashid, {
  auth: 'none',
  method: 'GET', path: '/organizations/webhooks/verification-jwks', summary: 'Retrieve verification JWKS for webhooks',
  parameters: [{
    name: 'SlashID-OrgID', in: 'header', required: true, schema: { type: 'string', minLength: 1, maxLength: 64 },
    description: 'The organization ID (the rate limit of 30 requests a minute, bursts of 60, counts per organization)',
  }],
  operation: /* GraphQL */ `
    query GetWebhookJwks($organizationId: String!) { webhookVerificationJwks(organizationId: $organizationId) }`,
  variables: ({ headers }) => ({ organizationId: headers['slashid-orgid'] ?? '' }),
  respond: (data) => ({ raw: JSON.stringify(data.webhookVerificationJwks), contentType: 'application/json' }),
  responseContentType: 'application/json',
  responseSchema: { type: 'object', additionalProperties: true, properties: { keys: { type: 'array', items: { type: 'object' } } } },
  errorStatuses: [400, 429],
});

export const getWebhook = defineRoute(slashid, {
  method: 'GET', path: '/organizations/webhooks/{webhook_id}', summary: 'Get a webhook',
  ...webhook,
  operation: /* GraphQL */ `query GetOrganizationsWebhook($id: ID!) { webhook(id: $id) { ...WebhookWire } } ${WEBHOOK}`,
  respond: (data) => ({ body: withoutNulls(data.webhook) }),
  responseSchema: webhookSchema,
});

export const deleteWebhook = defineRoute(slashid, {
  method: 'DELETE', path: '/organizations/webhooks/{webhook_id}', summary: 'Delete a webhook',
  ...webhookWrite,
  operation: /* GraphQL */ `mutation DeleteOrganizationsWebhook($id: ID!) { deleteWebhook(id: $id) }`,
});

export const patchWebhook = defineRoute(slashid, {
  method: 'PATCH', path: '/organizations/webhooks/{webhook_id}', summary: 'Update a webhook',
  ...inputWrite({ type: 'object', properties: configuration }, inputOf, webhookWrite),
  operation: /* GraphQL */ `
    mutation PatchOrganizationsWebhook($id: ID!, $input: WebhookInput!) { updateWebhook(id: $id, input: $input) { ...WebhookWire } } ${WEBHOOK}`,
  respond: (data) => ({ body: withoutNulls(data.updateWebhook) }),
  responseSchema: webhookSchema,
  errorStatuses: [400, 401, 404, 409],
});

export const listWebhookTriggers = defineRoute(slashid, {
  method: 'GET', path: '/organizations/webhooks/{webhook_id}/triggers', summary: 'List webhook triggers',
  ...webhook,
  operation: /* GraphQL */ `
    query GetOrganizationsWebhookTriggers($id: ID!) { webhook(id: $id) { triggers { trigger_type: triggerType trigger_name: triggerName } } }`,
  respond: (data) => ({ body: data.webhook.triggers }),
  responseSchema: { type: 'array', items: triggerSchema },
});

/**
 * Adding (POST) or removing (DELETE) one trigger of the webhook the path names; its type and name
 * come in the body of a POST, in the query of a DELETE.
 */
function triggerWrite<const S extends string>(
  method: 'POST' | 'DELETE', summary: string, operation: Typed<S, unknown, { webhookId: string; type: any; name: string }>,
) {
  const post = method === 'POST';
  const trigger = (input: RouteInput) => (post ? input.body : input.query);
  return defineRoute<S>(slashid, {
    method, path: '/organizations/webhooks/{webhook_id}/triggers', summary,
    parameters: post ? webhookWrite.parameters : [
      ...webhookWrite.parameters,
      { name: 'trigger_type', in: 'query', required: true, schema: triggerType, description: 'The type of webhook trigger' },
      { name: 'trigger_name', in: 'query', required: true, schema: { type: 'string', minLength: 1, maxLength: 128 }, description: 'The trigger name' },
    ],
    ...(post ? { body: { schema: triggerSchema, required: true } } : {}),
    operation,
    variables: (input: RouteInput) => ({ webhookId: input.path.webhook_id, type: trigger(input).trigger_type, name: trigger(input).trigger_name }),
  } as unknown as RouteSpec<S>);
}

export const createWebhookTrigger = triggerWrite('POST', 'Create a webhook trigger', /* GraphQL */ `
    mutation PostOrganizationsWebhookTrigger($webhookId: ID!, $type: WebhookTriggerType!, $name: String!) {
      addWebhookTrigger(webhookId: $webhookId, triggerType: $type, triggerName: $name)
    }`);
export const deleteWebhookTrigger = triggerWrite('DELETE', 'Delete a webhook trigger', /* GraphQL */ `
    mutation DeleteOrganizationsWebhookTrigger($webhookId: ID!, $type: WebhookTriggerType!, $name: String!) {
      removeWebhookTrigger(webhookId: $webhookId, triggerType: $type, triggerName: $name)
    }`);

export const postTestEvents = defineRoute(slashid, {
  method: 'POST', path: '/test-events', summary: 'Generate events for testing',
  body: {
    schema: {
      type: 'array', minItems: 1, maxItems: MAX_TEST_EVENTS,
      items: {
        type: 'object', required: ['event_name'],
        properties: {
          event_name: { type: 'string', minLength: 1, maxLength: 128, description: 'An event name such as PersonCreated_v1' },
          count: { type: 'integer', minimum: 1, maximum: MAX_TEST_EVENTS },
          duplicates: { type: 'boolean' },
          analytics_correlation_id: { type: 'string', maxLength: 128 },
        },
      },
      description: `At most ${MAX_TEST_EVENTS} events per request in all`,
    },
    required: true,
  },
  operation: /* GraphQL */ `mutation PostTestEvents($events: [TestEventInput!]!) { createTestEvents(events: $events) }`,
  variables: ({ body }) => ({
    events: (body as unknown as Record<string, any>[]).map((e) => ({
      eventName: e.event_name, count: e.count, duplicates: e.duplicates, analyticsCorrelationId: e.analytics_correlation_id,
    })),
  }),
  respond: (data) => ({ body: data.createTestEvents }),
  responseSchema: { type: 'array', items: { type: 'object', additionalProperties: true } },
  errorStatuses: [400, 401, 404],
});
