import { clientInfoReader, normalizeIp } from '../../src/http/client-info.ts';
import { loadConfig } from '../../src/config.ts';

const ctx = (remote: string, headers: Record<string, string> = {}) =>
  ({ headers, req: { socket: { remoteAddress: remote } } }) as never;

describe('client info', () => {
  test('ignores X-Forwarded-For unless TRUST_PROXY is set', () => {
    const read = clientInfoReader({ trustProxyHops: 0, countryHeader: undefined });
    expect(read(ctx('::ffff:127.0.0.1', { 'x-forwarded-for': '1.2.3.4' }))).toEqual({ ip: '127.0.0.1', country: null, userAgent: null });
  });

  test('takes the address the trusted proxies saw, counted from the right', () => {
    const one = clientInfoReader({ trustProxyHops: 1, countryHeader: 'cf-ipcountry' });
    expect(one(ctx('10.0.0.1', { 'x-forwarded-for': '6.6.6.6, 1.2.3.4', 'cf-ipcountry': 'de', 'user-agent': 'ua' })))
      .toEqual({ ip: '1.2.3.4', country: 'DE', userAgent: 'ua' });
    const two = clientInfoReader({ trustProxyHops: 2, countryHeader: undefined });
    expect(two(ctx('10.0.0.1', { 'x-forwarded-for': '6.6.6.6, 1.2.3.4' })).ip).toBe('6.6.6.6');
    expect(one(ctx('10.0.0.1', { 'x-forwarded-for': 'garbage' })).ip).toBe('10.0.0.1');
    expect(one(ctx('10.0.0.1', { 'cf-ipcountry': 'XXX' })).country).toBeNull();
  });

  test('normalizes addresses and parses TRUST_PROXY', () => {
    expect(normalizeIp('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeIp('2001:db8::1')).toBe('2001:db8::1');
    expect(normalizeIp('nope')).toBeNull();
    expect(loadConfig({}).trustProxyHops).toBe(0);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxyHops).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxyHops).toBe(2);
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  });
});
