// POST /test-events: sample events (flagged `is_test_event`) written to the outbox like real ones,
// so they reach the organization's webhooks through the same sender.
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationFailed } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { emitEvent, eventMetadata, EVENT_NAMES } from './events.ts';
import { EVENT_NAME } from './webhook-rules.ts';

export interface TestEventSpec { eventName: string; count?: number | null; duplicates?: boolean | null; analyticsCorrelationId?: string | null }

export const MAX_TEST_EVENTS = 50;

function sampleFields(name: string): Record<string, unknown> {
  const personId = crypto.randomUUID();
  if (name.startsWith('Person')) return { person_id: personId, region: 'europe-belgium' };
  if (name.startsWith('Authentication')) return { person_id: personId, authentication_method: 'password', handle: { type: 'email_address', value: 'test@example.com' } };
  if (name === 'TokenMinted_v1') return { person_id: personId, token_id: crypto.randomBytes(16).toString('hex') };
  return { person_id: personId };
}

/** Emits the described events; a `duplicates` spec repeats one event id `count` times. Returns their contents. */
export async function createTestEvents(em: EntityManager, principal: Principal, specs: TestEventSpec[]) {
  const total = specs.reduce((sum, s) => sum + (s.count ?? 1), 0);
  if (!specs.length || total > MAX_TEST_EVENTS) throw new ValidationFailed(`Between 1 and ${MAX_TEST_EVENTS} test events per request`);
  const emitted: Record<string, unknown>[] = [];
  for (const [index, spec] of specs.entries()) {
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) {
      throw new ValidationFailed('count must be at least 1', [{ loc: ['body', index, 'count'], msg: 'at least 1', type: 'value_error' }]);
    }
    if (!EVENT_NAME.test(spec.eventName)) {
      throw new ValidationFailed(`event_name must be an event name such as ${EVENT_NAMES[0]}`,
        [{ loc: ['body', index, 'event_name'], msg: 'not an event name', type: 'value_error' }]);
    }
    const fields = { ...sampleFields(spec.eventName), is_test_event: true,
      analytics_metadata: { analytics_correlation_id: spec.analyticsCorrelationId ?? '' } };
    const shared = eventMetadata(principal.organizationId, spec.eventName).event_id;
    for (let i = 0; i < count; i++) {
      // A duplicate keeps the event id in its metadata; each row still gets an outbox id of its own.
      const extra = spec.duplicates ? { event_id: shared } : {};
      // The reference answers each event flat: its metadata's ids and time beside the event's fields.
      const { event_metadata: metadata, ...rest } = await emitEvent(em, principal.organizationId, spec.eventName, fields, extra);
      const { event_id, event_name, timestamp, organization_id } = metadata as Record<string, unknown>;
      emitted.push({ event_id, event_name, timestamp, organization_id, ...rest });
    }
  }
  return emitted;
}
