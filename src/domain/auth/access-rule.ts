// Who may call an operation: the rule each operation declares (schema `@auth`, read by
// src/graphql/auth-gate.ts) and the one decision every face goes through. A caller that matches no
// kind of the rule is refused: UNAUTHENTICATED without credentials, FORBIDDEN otherwise.
import { Forbidden, Unauthenticated } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { isScope, type Scope } from './scopes.ts';

export const CALLER_KINDS = ['ORGANIZATION', 'USER', 'SELF', 'PUBLIC'] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];

export interface AccessRule {
  allow: CallerKind[];
  /** What a USER or SELF caller must hold; an organization key holds every scope. */
  scope?: Scope;
  /** For SELF: a dotted path into the arguments naming the person acted on (null: the caller). */
  self?: string;
}

/** What the gate answers when it refuses (tests tell a refusal by the gate from a domain answer). */
export const REFUSALS = {
  anonymous: 'This operation needs credentials: an API key (X-API-Key, SlashID-API-Key) or an access token',
  personOnly: "This operation acts as one user: use that user's API key or access token, not an organization key",
  organizationOnly: "This operation needs the organization's API key, not a user's credentials",
  otherPerson: "A user's credentials reach only that user's own account",
  scope: (scope: string) => `These credentials lack the "${scope}" scope; use a key or token that has it`,
} as const;

/** The principal of a request that sent no credentials at all. */
export const ANONYMOUS: Principal = Object.freeze({ organizationId: '', method: 'anonymous' }) as Principal;

export const isAnonymous = (principal: Principal) => principal.method === 'anonymous';
export const actsAsPerson = (principal: Principal) => principal.personId !== undefined;

/** Checks a rule's own consistency once, at start-up; throws naming what is wrong. */
export function assertRuleWellFormed(where: string, rule: AccessRule): void {
  if (!rule.allow.length) throw new Error(`${where}: @auth(allow: []) admits nobody; name at least one caller kind`);
  for (const kind of rule.allow) {
    if (!(CALLER_KINDS as readonly string[]).includes(kind)) throw new Error(`${where}: unknown caller kind ${kind}`);
  }
  if (rule.scope !== undefined && !isScope(rule.scope)) throw new Error(`${where}: unknown scope "${rule.scope}"`);
  if (rule.self !== undefined && !rule.allow.includes('SELF')) throw new Error(`${where}: "self" needs SELF in allow`);
}

/**
 * Whether the principal may call at all, before any argument is known (REST checks this before it
 * reads a body). A SELF caller passes here; `decideAccess` then checks whom it acts on.
 */
export function admitsCaller(rule: AccessRule, principal: Principal): void {
  if (rule.allow.includes('PUBLIC')) return;
  if (isAnonymous(principal)) {
    throw new Unauthenticated(REFUSALS.anonymous);
  }
  if (!actsAsPerson(principal)) {
    if (rule.allow.includes('ORGANIZATION')) return;
    throw new Forbidden(REFUSALS.personOnly);
  }
  const personKinds = rule.allow.filter((k) => k === 'USER' || k === 'SELF');
  if (!personKinds.length) throw new Forbidden(REFUSALS.organizationOnly);
  if (rule.scope && !principal.scopes?.includes(rule.scope)) {
    throw new Forbidden(REFUSALS.scope(rule.scope));
  }
}

/**
 * The whole decision: `admitsCaller`, then, for a person admitted only as SELF, that the person
 * acted on (`target`; undefined when the rule names none) is the caller itself.
 */
export function decideAccess(rule: AccessRule, principal: Principal, target: () => string | null | undefined): void {
  admitsCaller(rule, principal);
  if (!actsAsPerson(principal) || rule.allow.includes('PUBLIC') || rule.allow.includes('USER')) return;
  const person = target();
  if (person != null && person !== principal.personId) {
    throw new Forbidden(REFUSALS.otherPerson);
  }
}
