import { logMailSink, passwordResetLink } from '../../src/domain/outbox/outbox.service.ts';
import type { Logger } from '../../src/log.ts';

describe('dev mail sink', () => {
  test('logs the password-reset link built from PASSWORD_RESET_URL, and nothing else of the payload', async () => {
    const lines: [string, Record<string, unknown> | undefined][] = [];
    const log: Logger = { info: (e, f) => lines.push([e, f]), warn: () => {}, error: () => {}, debug: () => {} };
    await logMailSink(log, 'https://login.example.com/reset?lang=en')({
      template: 'password_reset', recipient: 'a@example.com',
      payload: { code: 'c0de', username: 'ada', tenant_id: 't 1', client_id: null, secret: 'never' },
    });
    expect(lines).toEqual([['dev_mail', {
      template: 'password_reset', to: 'a@example.com',
      link: 'https://login.example.com/reset?lang=en&code=c0de&username=ada&tenant_id=t+1',
    }]]);
    expect(JSON.stringify(lines)).not.toContain('never');
    expect(passwordResetLink('http://x/r', { code: 'a&b' })).toBe('http://x/r?code=a%26b');
  });
});
