// TOTP against RFC 6238 Appendix B, and the sealing of values at rest.
import crypto from 'node:crypto';
import { Secret } from 'otpauth';
import { totpStep, importTotp } from '../../src/domain/credential/totp.ts';
import { Sealer, seal, unseal } from '../../src/crypto/sealed.ts';

const seeds: Record<string, Secret> = {
  SHA1: Secret.fromLatin1('12345678901234567890'),
  SHA256: Secret.fromLatin1('12345678901234567890123456789012'),
  SHA512: Secret.fromLatin1('1234567890123456789012345678901234567890123456789012345678901234'),
};

// RFC 6238 Appendix B: time (s), algorithm, 8-digit code.
const vectors: [number, string, string][] = [
  [59, 'SHA1', '94287082'], [59, 'SHA256', '46119246'], [59, 'SHA512', '90693936'],
  [1111111109, 'SHA1', '07081804'], [1111111109, 'SHA256', '68084774'], [1111111109, 'SHA512', '25091201'],
  [1111111111, 'SHA1', '14050471'], [1111111111, 'SHA256', '67062674'], [1111111111, 'SHA512', '99943326'],
  [1234567890, 'SHA1', '89005924'], [1234567890, 'SHA256', '91819424'], [1234567890, 'SHA512', '93441116'],
  [2000000000, 'SHA1', '69279037'], [2000000000, 'SHA256', '90698825'], [2000000000, 'SHA512', '38618901'],
  [20000000000, 'SHA1', '65353130'], [20000000000, 'SHA256', '77737706'], [20000000000, 'SHA512', '47863826'],
];

test.each(vectors)('RFC 6238 at T=%i with %s: %s', (time, algorithm, code) => {
  const settings = { algorithm, digits: 8, period: 30 };
  expect(totpStep(seeds[algorithm], settings, code, time * 1000)).toBe(Math.floor(time / 30));
  // One step of drift either way is accepted, two are not; a wrong digit never is.
  expect(totpStep(seeds[algorithm], settings, code, (time + 30) * 1000)).toBe(Math.floor(time / 30));
  expect(totpStep(seeds[algorithm], settings, code, (time + 61) * 1000)).toBeNull();
  const wrong = code.slice(0, 7) + ((Number(code[7]) + 1) % 10);
  expect(totpStep(seeds[algorithm], settings, wrong, time * 1000)).toBeNull();
  expect(totpStep(seeds[algorithm], { ...settings, digits: 6 }, code, time * 1000)).toBeNull();
});

test('values sealed under the master key open only with the same key and associated data', () => {
  const key = crypto.randomBytes(32);
  const sealed = seal(key, 'seed', 'row-1');
  expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
  expect(sealed).not.toContain('seed');
  expect(unseal(key, sealed, 'row-1').toString()).toBe('seed');
  expect(() => unseal(key, sealed, 'row-2')).toThrow(/does not decrypt/);
  expect(() => unseal(crypto.randomBytes(32), sealed, 'row-1')).toThrow(/does not decrypt/);
  expect(seal(key, 'seed', 'row-1')).not.toBe(sealed); // a fresh IV each time
});

test('an imported key URI keeps public facts in params and the seed sealed', () => {
  const sealer = new Sealer(crypto.randomBytes(32));
  const uri = 'otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60';
  const { secret, params } = importTotp(sealer, 'cred-1', { key_uri: uri, recovery_codes_total: 3, unused_recovery_codes: ['a1b2'] });
  expect(params).toEqual({ issuer: 'ACME Co', account_name: 'john.doe@email.com', algorithm: 'SHA256', digits: 8, period: 60, recovery_codes_total: 3 });
  expect(secret).not.toContain('HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ');
  expect(JSON.parse(sealer.unseal(secret, 'cred-1').toString()).seed).toBe('HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ');
});
