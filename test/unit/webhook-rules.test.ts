// The rules of webhooks that need no server: Go durations, target URLs, the backoff, and the
// addresses the transport refuses to connect to.
import { assertTargetUrl, formatTimeout, parseTimeout } from '../../src/domain/webhook/webhook-rules.ts';
import { retryDelayMs } from '../../src/domain/webhook/sender.ts';
import { isInwardAddress } from '../../src/domain/webhook/transport.ts';

test.each([['0s', 0], ['0', 0], ['2s', 2000], ['1500ms', 1500], ['1.5s', 1500], ['1s500ms', 1500], ['20s', 20_000], ['250000us', 250]])(
  'timeout %s is %d ms', (text, ms) => expect(parseTimeout(text)).toBe(ms));
test.each(['20.001s', '1m', '-1s', '1 s', 's', '', '1d'])('timeout %j is refused', (text) => expect(() => parseTimeout(text)).toThrow(/timeout/));
test('timeouts are written as Go does', () => {
  expect([0, 500, 2000, 1500, 20_000].map(formatTimeout)).toEqual(['0s', '500ms', '2s', '1.5s', '20s']);
});

test('loopback targets only with the development setting', () => {
  expect(() => assertTargetUrl('http://127.0.0.1:8080/hook', false)).toThrow(/https/);
  expect(assertTargetUrl('http://127.0.0.1:8080/hook', true)).toBe('http://127.0.0.1:8080/hook');
  expect(assertTargetUrl('https://127.0.0.1:8443/hook', true)).toBe('https://127.0.0.1:8443/hook');
  expect(() => assertTargetUrl('http://10.0.0.1/hook', true)).toThrow(/https/);
  expect(() => assertTargetUrl('https://127.0.0.1/hook?x=1', true)).toThrow(/query/);
  expect(assertTargetUrl('https://Hooks.Example.com/a/b', false)).toBe('https://hooks.example.com/a/b');
});

test('backoff doubles per attempt within ±20 %, capped at an hour', () => {
  expect(retryDelayMs(1, 1000, 0.5)).toBe(1000);
  expect(retryDelayMs(3, 1000, 0.5)).toBe(4000);
  expect(retryDelayMs(1, 1000, 0)).toBe(800);
  expect(retryDelayMs(1, 1000, 1)).toBe(1200);
  expect(retryDelayMs(30, 5000, 0.5)).toBe(3_600_000);
});

test.each([
  ['127.0.0.1', true], ['10.1.2.3', true], ['172.16.0.1', true], ['172.32.0.1', false], ['192.168.1.1', true], ['169.254.169.254', true],
  ['100.64.0.1', true], ['0.0.0.0', true], ['8.8.8.8', false], ['::1', true], ['fe80::1', true], ['fd00::1', true],
  ['::ffff:10.0.0.1', true], ['2606:4700::1111', false],
])('%s is inward: %s', (address, inward) => expect(isInwardAddress(address)).toBe(inward));
