// The hosted sign-in page asks for an identifier first, then offers only the methods that person
// has and the tenant allows: a passkey (passkey_enabled), a PIN or pattern (zkpLoginMethods; the
// zero-knowledge proof is bound to the username, so only when a username was typed) and the
// password. An identifier that names nobody (or an inactive person, or a person with none of the
// allowed methods) gets every method the tenant allows: the page a person holding all of them
// sees, after the same statements, so the step does not tell whether the identifier exists.
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

export async function signInMethodsFor(em: EntityManager, org: Organization, raw: string): Promise<SignInMethods> {
  const identifier = raw.trim().slice(0, MAX_IDENTIFIER);
  const allowed = allowedSignInMethods(org, identifier);
  const person = await findPersonByIdentifier(em, org, identifier);
  if (!person || !person.active) {
    await noCredentialTypes(em);
    return allowed;
  }
  const held = await credentialTypesOf(em, person.id);
  const methods = {
    passkey: allowed.passkey && held.has('public-key'),
    zkp: held.has('zkp') ? allowed.zkp : [],
    password: held.has('password'),
  };
  return methods.passkey || methods.zkp.length || methods.password ? methods : allowed;
}
