// The hosted sign-in page asks for an identifier first, then offers only the methods that person
// has and the tenant allows: a passkey (passkey_enabled), a PIN or pattern (zkpLoginMethods; the
// zero-knowledge proof is bound to the username, so only when a username was typed) and the
// password. An identifier that names nobody (or an inactive person, or a person with none of the
// allowed methods) gets a decoy: a combination of the allowed methods drawn from a keyed hash of
// the identifier (the same one every time), after the same statements. A real person's methods and
// a decoy come from the same combinations, so the step does not tell whether the identifier exists.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import { zkpLoginMethods, type ZkpMethod } from './login-methods.ts';
import { findPersonByIdentifier, handleTypesOf, MAX_IDENTIFIER } from './identifier.ts';
import { credentialTypesOf, noCredentialTypes } from './sign-in.queries.ts';

export interface SignInMethods {
  passkey: boolean;
  /** PIN and pattern, in the tenant's login_order. */
  zkp: ZkpMethod[];
  password: boolean;
}

/** What the tenant allows at all (for an identifier of this shape). */
export function allowedSignInMethods(org: Organization, identifier: string): SignInMethods {
  const usernameShaped = handleTypesOf(identifier)[0] === 'username';
  return { passkey: org.tenantSettings.passkeyEnabled, zkp: usernameShaped ? zkpLoginMethods(org.tenantSettings) : [], password: true };
}

/**
 * The decoy of an identifier: each allowed method kept or not by a bit of `keyedHash` (a MAC under
 * the master key, so nobody can compute it); the password when that keeps none.
 */
function decoyMethods(allowed: SignInMethods, keyedHash: Buffer): SignInMethods {
  const bit = (i: number) => ((keyedHash[0] >> i) & 1) === 1;
  const passkey = allowed.passkey && bit(0);
  const zkp = allowed.zkp.length && bit(1) ? allowed.zkp : [];
  return { passkey, zkp, password: bit(2) || (!passkey && !zkp.length) };
}

export async function signInMethodsFor(
  em: EntityManager, org: Organization, raw: string, keyedHash: (data: string) => Buffer,
): Promise<SignInMethods> {
  const identifier = raw.trim().slice(0, MAX_IDENTIFIER);
  const allowed = allowedSignInMethods(org, identifier);
  const decoy = () => decoyMethods(allowed, keyedHash(`${org.id}\n${identifier.toLowerCase()}`));
  const person = await findPersonByIdentifier(em, org, identifier);
  if (!person || !person.active) {
    await noCredentialTypes(em);
    return decoy();
  }
  const held = await credentialTypesOf(em, person.id);
  const methods = {
    passkey: allowed.passkey && held.has('public-key'),
    zkp: held.has('zkp') ? allowed.zkp : [],
    password: held.has('password'),
  };
  return methods.passkey || methods.zkp.length || methods.password ? methods : decoy();
}
