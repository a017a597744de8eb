// TOTP credentials (RFC 6238): imported from an `otpauth://totp/…` key URI. The seed and the
// recovery codes' hashes are sealed under the master key (AES-256-GCM, the credential id as
// associated data) in `credential.secret`; `params` keeps only public facts. Codes are verified
// with otpauth (constant-time comparison) and each time step is accepted once: the last one used
// is recorded with a guarded UPDATE, so a replay, even on another process, fails.
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Secret, TOTP, URI } from 'otpauth';
import type { Sealer } from '../../crypto/sealed.ts';
import { sha256Hex } from '../../crypto/secrets.ts';
import { ValidationFailed } from '../errors.ts';
import type { Credential } from './credential.entity.ts';
import { replaceSecretIfUnchanged, useTotpStep } from './credential.queries.ts';

export const TOTP_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'];
const MIN_SEED_BYTES = 10; // 80 bits, what common authenticators issue; RFC 4226 recommends 160
const MAX_RECOVERY_CODES = 100;

interface SealedTotp { seed: string; recovery: string[] }
export interface TotpSettings { algorithm: string; digits: number; period: number }

const invalid = (msg: string, field = 'key_uri') =>
  new ValidationFailed(`Invalid TOTP credential: ${msg}`, [{ loc: ['body', 'params', field], msg, type: 'value_error' }]);

/** Checks an imported TOTP credential and returns what to store: sealed secret and public params. */
export function importTotp(sealer: Sealer, credentialId: string, params: Record<string, unknown>) {
  const { key_uri: keyUri, recovery_codes_total: total, unused_recovery_codes: unused } = params;
  if (typeof keyUri !== 'string' || keyUri.length > 2048) throw invalid('params.key_uri must be an otpauth://totp/ URI of at most 2048 characters');
  let otp;
  try { otp = URI.parse(keyUri); } catch { throw invalid('params.key_uri is not a valid otpauth:// key URI'); }
  if (!(otp instanceof TOTP)) throw invalid('params.key_uri must be a totp key URI, not hotp');
  if (!TOTP_ALGORITHMS.includes(otp.algorithm)) throw invalid('algorithm must be SHA1, SHA256 or SHA512');
  if (![6, 8].includes(otp.digits)) throw invalid('digits must be 6 or 8');
  if (!Number.isInteger(otp.period) || otp.period < 15 || otp.period > 300) throw invalid('period must be 15 to 300 seconds');
  if (otp.secret.bytes.length < MIN_SEED_BYTES || otp.secret.bytes.length > 128) throw invalid(`the secret must be ${MIN_SEED_BYTES} to 128 bytes`);
  if (total !== undefined && (!Number.isInteger(total) || (total as number) < 0 || (total as number) > MAX_RECOVERY_CODES)) {
    throw invalid(`must be an integer from 0 to ${MAX_RECOVERY_CODES}`, 'recovery_codes_total');
  }
  if (unused !== undefined && (!Array.isArray(unused) || unused.length > MAX_RECOVERY_CODES
    || unused.some((c) => typeof c !== 'string' || !c || c.length > 64))) {
    throw invalid(`must be at most ${MAX_RECOVERY_CODES} non-empty strings of at most 64 characters`, 'unused_recovery_codes');
  }
  const codes = [...new Set((unused as string[] | undefined) ?? [])];
  if (total !== undefined && codes.length > (total as number)) throw invalid('more unused codes than recovery_codes_total', 'unused_recovery_codes');
  const sealed: SealedTotp = { seed: otp.secret.base32, recovery: codes.map(recoveryHash) };
  return {
    secret: sealer.seal(JSON.stringify(sealed), credentialId),
    params: {
      issuer: otp.issuer, account_name: otp.label, algorithm: otp.algorithm, digits: otp.digits, period: otp.period,
      recovery_codes_total: (total as number | undefined) ?? codes.length,
    },
  };
}

/** How many of a TOTP credential's recovery codes are still unused (a count, never the codes). */
export function unusedRecoveryCodes(sealer: Sealer, credential: Credential): number {
  if (credential.type !== 'totp' || !credential.secret) return 0;
  return (JSON.parse(sealer.unseal(credential.secret, credential.id).toString('utf8')) as SealedTotp).recovery.length;
}

const recoveryHash = (code: string) => sha256Hex(code.trim().replace(/[\s-]/g, '').toLowerCase());

function settingsOf(credential: Credential): TotpSettings {
  const p = credential.params ?? {};
  return { algorithm: String(p.algorithm ?? 'SHA1'), digits: Number(p.digits ?? 6), period: Number(p.period ?? 30) };
}

/**
 * The time step a code belongs to, if it is right for `seed` within one step of `timestamp`
 * (clock drift), else null. Pure: RFC 6238's test vectors exercise it directly.
 */
export function totpStep(seed: Secret, settings: TotpSettings, code: string, timestamp = Date.now()): number | null {
  if (!/^\d{6,8}$/.test(code) || code.length !== settings.digits) return null;
  const delta = TOTP.validate({ token: code, secret: seed, ...settings, timestamp, window: 1 });
  return delta === null ? null : TOTP.counter({ period: settings.period, timestamp }) + delta;
}

/**
 * Verifies a code for a person's TOTP credential and uses it up: true once per time step (a second
 * use of the same code, or of an older one, is refused). Recovery codes are accepted once each.
 */
export async function verifyTotpCode(
  em: EntityManager, sealer: Sealer, credential: Credential, code: string, timestamp = Date.now(),
): Promise<boolean> {
  if (credential.type !== 'totp' || !credential.secret || code.length > 64) return false;
  const sealed = JSON.parse(sealer.unseal(credential.secret, credential.id).toString('utf8')) as SealedTotp;
  const step = totpStep(Secret.fromBase32(sealed.seed), settingsOf(credential), code.trim(), timestamp);
  if (step !== null) {
    return useTotpStep(em, credential.id, step);
  }
  // A recovery code: compared by hash in constant time, removed in a guarded UPDATE (single use).
  const presented = Buffer.from(recoveryHash(code), 'hex');
  const match = sealed.recovery.find((h) => crypto.timingSafeEqual(Buffer.from(h, 'hex'), presented));
  if (!match) return false;
  const next = sealer.seal(JSON.stringify({ ...sealed, recovery: sealed.recovery.filter((h) => h !== match) }), credential.id);
  return replaceSecretIfUnchanged(em, credential.id, credential.secret, next);
}
