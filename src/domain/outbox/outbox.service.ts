// The outbox: messages are written with the change that needs them, then a dispatcher (one per
// process; rows are claimed with SKIP LOCKED, so N processes never send one twice) hands them to
// a sink and clears their payload. The dev sink logs the mail, link included.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { OutboxMessage } from './outbox-message.entity.ts';
import { claimPendingMail, countFailedAttempt, markMailSent } from './outbox.queries.ts';
import type { Organization } from '../organization/organization.entity.ts';
import type { Logger } from '../../log.ts';

export interface Mail {
  template: string;
  recipient: string;
  payload: Record<string, unknown>;
}

export type MailSink = (mail: Mail) => Promise<void>;

export function enqueueMail(em: EntityManager, org: Organization | null, mail: Mail): OutboxMessage {
  return em.create(OutboxMessage, {
    organization: org, channel: 'mail', template: mail.template, recipient: mail.recipient, payload: mail.payload,
  } as never);
}

/** The link a password-reset mail carries: the login page's reset address with the code. */
export function passwordResetLink(baseUrl: string, payload: Record<string, unknown>): string {
  const url = new URL(baseUrl);
  for (const name of ['code', 'username', 'tenant_id', 'client_id']) {
    if (typeof payload[name] === 'string') url.searchParams.set(name, payload[name] as string);
  }
  return url.toString();
}

/** A development sink: writes the mail and its link to the log instead of sending it. */
export const logMailSink = (log: Logger, passwordResetUrl: string): MailSink => async (mail) => {
  const link = typeof mail.payload.link === 'string' ? mail.payload.link
    : mail.template === 'password_reset' ? passwordResetLink(passwordResetUrl, mail.payload) : undefined;
  const subject = (mail.payload.message as { subject?: unknown } | undefined)?.subject;
  log.info('dev_mail', { template: mail.template, to: mail.recipient, subject, link });
};

const MAX_ATTEMPTS = 5;

/** Sends up to `batch` pending messages; returns how many were delivered. */
export async function drainOutbox(em: EntityManager, sink: MailSink, batch = 20): Promise<number> {
  let sent = 0;
  await em.transactional(async (tx) => {
    for (const row of await claimPendingMail(tx, MAX_ATTEMPTS, batch)) {
      try {
        await sink({ template: row.template, recipient: row.recipient, payload: row.payload ?? {} });
        await markMailSent(tx, row.id);
        sent++;
      } catch {
        await countFailedAttempt(tx, row.id);
      }
    }
  });
  return sent;
}

/** Polls the outbox every `intervalMs`; returns a stop function. */
export function startOutboxDispatcher(orm: MikroORM, sink: MailSink, intervalMs: number, log: Logger): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => drainOutbox(orm.em.fork(), sink)).catch((error) => {
      log.error('outbox_dispatch_failed', { message: (error as Error).message });
    });
  }, intervalMs);
  timer.unref();
  return async () => { clearInterval(timer); await running; };
}
