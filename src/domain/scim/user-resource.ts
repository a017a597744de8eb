// A SCIM User (RFC 7643 §4.1 + the Enterprise extension §4.3) is a person: userName is its
// `username` handle, emails and phoneNumbers are its other handles, active/externalId/locale are
// columns, and what no column holds (name, displayName, the type and primary flag of each email or
// phone, addresses, the Enterprise extension) is `person.scim_profile`.
import type { ScimProfile } from '../person/person.entity.ts';
import { HANDLE_RULES, caseFolded } from '../person/handles.ts';
import { scimInvalid } from './scim-errors.ts';
import { URN } from './scim-schemas.ts';

export interface UserState {
  id: string;
  active: boolean;
  externalId: string | null;
  locale: string | null;
  createdAt: Date;
  updatedAt: Date;
  scimProfile: ScimProfile | null;
  handles: { type: string; value: string; normalized: string }[];
  groups: { id: string; name: string }[];
}

export interface MultiValue { value: string; type?: string; primary?: boolean }

/** What a POST or PUT (or a PATCH, once applied) asks a person to be. */
export interface UserWrite {
  userName: string;
  emails: MultiValue[];
  phones: MultiValue[];
  active: boolean;
  externalId: string | null;
  locale: string | null;
  profile: ScimProfile;
}

const TEXT_ATTRIBUTES = ['displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'timezone'] as const;
const NAME_PARTS = ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'] as const;
const ADDRESS_PARTS = ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type'] as const;
const ENTERPRISE_TEXT = ['employeeNumber', 'costCenter', 'organization', 'division', 'department'] as const;
const MAX_TEXT = 1024;
const MAX_VALUES = 20;

/** The version of a user (`meta.version`, the ETag): changes with every write of the person. */
export const userVersion = (updatedAt: Date) => `W/"${updatedAt.getTime().toString(36)}"`;

export function userResource(user: UserState, base: string): Record<string, unknown> {
  const profile = (user.scimProfile ?? {}) as Record<string, any>;
  const of = (type: string) => user.handles.filter((h) => h.type === type);
  const withMeta = (handles: UserState['handles'], types: Record<string, string> | undefined, primary: string | undefined) =>
    handles.map((h, i) => ({
      value: h.value, type: types?.[h.normalized] ?? 'work', primary: primary === undefined ? i === 0 : h.normalized === primary,
    }));
  const resource: Record<string, unknown> = {
    schemas: profile.enterprise ? [URN.user, URN.enterprise] : [URN.user],
    id: user.id,
    ...(user.externalId != null ? { externalId: user.externalId } : {}),
    userName: of('username')[0]?.value ?? user.id,
    ...(profile.name ? { name: profile.name } : {}),
    ...Object.fromEntries(TEXT_ATTRIBUTES.filter((k) => profile[k] != null).map((k) => [k, profile[k]])),
    ...(user.locale != null ? { locale: user.locale } : {}),
    active: user.active,
    emails: withMeta(of('email_address'), profile.emailTypes, profile.primaryEmail),
    phoneNumbers: [...withMeta(of('phone_number'), profile.phoneTypes, profile.primaryPhone), ...(profile.otherPhones ?? [])],
    ...(profile.addresses ? { addresses: profile.addresses } : {}),
    groups: user.groups.map((g) => ({ value: g.id, display: g.name, $ref: `${base}/Groups/${g.id}` })),
    ...(profile.enterprise ? { [URN.enterprise]: profile.enterprise } : {}),
    meta: {
      resourceType: 'User', created: user.createdAt.toISOString(), lastModified: user.updatedAt.toISOString(),
      location: `${base}/Users/${user.id}`, version: userVersion(user.updatedAt),
    },
  };
  return resource;
}

// ---- reading what a client sends -------------------------------------------------------------

/** Attribute names are case-insensitive (RFC 7643 §2.1): read `doc`'s keys by their lower case. */
export function caseInsensitive(doc: Record<string, unknown>): Map<string, unknown> {
  return new Map(Object.entries(doc).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Entra ID sends booleans as "True"/"False". */
export function booleanOf(value: unknown, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw scimInvalid('invalidValue', `${where} must be true or false`, ['body', where]);
}

function textOf(value: unknown, where: string, max = MAX_TEXT): string | null {
  if (value == null) return null;
  if (typeof value !== 'string') throw scimInvalid('invalidValue', `${where} must be a string`, ['body', where]);
  if (value.length > max) throw scimInvalid('invalidValue', `${where} must be at most ${max} characters`, ['body', where]);
  return value;
}

function complexOf(value: unknown, parts: readonly string[], where: string): Record<string, string> | undefined {
  if (value == null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw scimInvalid('invalidValue', `${where} must be an object`, ['body', where]);
  const read = caseInsensitive(value as Record<string, unknown>);
  const out: Record<string, string> = {};
  for (const part of parts) {
    const text = textOf(read.get(part.toLowerCase()), `${where}.${part}`);
    if (text != null) out[part] = text;
  }
  return Object.keys(out).length ? out : undefined;
}

function multiValuesOf(value: unknown, where: string): MultiValue[] {
  if (value == null) return [];
  if (!Array.isArray(value)) throw scimInvalid('invalidValue', `${where} must be an array`, ['body', where]);
  if (value.length > MAX_VALUES) throw scimInvalid('invalidValue', `${where} takes at most ${MAX_VALUES} values`, ['body', where]);
  return value.map((item, i) => {
    const at = `${where}[${i}]`;
    if (typeof item !== 'object' || item === null) throw scimInvalid('invalidValue', `${at} must be an object`, ['body', where, i]);
    const read = caseInsensitive(item as Record<string, unknown>);
    const v = textOf(read.get('value'), `${at}.value`, 320);
    if (!v) throw scimInvalid('invalidValue', `${at}.value is required`, ['body', where, i]);
    const type = textOf(read.get('type'), `${at}.type`, 64) ?? undefined;
    const primary = read.get('primary') == null ? undefined : booleanOf(read.get('primary'), `${at}.primary`);
    return { value: v, ...(type ? { type } : {}), ...(primary !== undefined ? { primary } : {}) };
  });
}

/** E.164 once the usual separators are gone ("+1 (555) 010-2030" → "+15550102030"), else null. */
/** What a phone number may carry besides its digits and leading +. */
export const PHONE_SEPARATORS = /[\s().-]/g;

export function e164Of(phone: string): string | null {
  const compact = phone.replace(PHONE_SEPARATORS, '');
  return HANDLE_RULES.phone_number.pattern.test(compact) ? compact : null;
}

/** Reads a whole User as sent by POST or PUT (or built by a PATCH); read-only attributes are ignored. */
export function userWriteOf(doc: unknown): UserWrite {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw scimInvalid('invalidSyntax', 'The body must be a SCIM User object');
  const read = caseInsensitive(doc as Record<string, unknown>);
  const userName = textOf(read.get('username'), 'userName', HANDLE_RULES.username.max);
  if (!userName) throw scimInvalid('invalidValue', 'userName is required', ['body', 'userName']);
  if (!HANDLE_RULES.username.pattern.test(userName)) {
    throw scimInvalid('invalidValue', `userName "${userName.slice(0, 64)}" must be ${HANDLE_RULES.username.hint}`, ['body', 'userName']);
  }
  const emails = multiValuesOf(read.get('emails'), 'emails');
  for (const e of emails) {
    if (!HANDLE_RULES.email_address.pattern.test(e.value)) {
      throw scimInvalid('invalidValue', `emails: "${e.value.slice(0, 64)}" is not ${HANDLE_RULES.email_address.hint}`, ['body', 'emails']);
    }
  }
  const phones = multiValuesOf(read.get('phonenumbers'), 'phoneNumbers');
  const profile: Record<string, unknown> = {};
  const name = complexOf(read.get('name'), NAME_PARTS, 'name');
  if (name) profile.name = name;
  for (const key of TEXT_ATTRIBUTES) {
    const text = textOf(read.get(key.toLowerCase()), key);
    if (text != null) profile[key] = text;
  }
  const addresses = read.get('addresses');
  if (addresses != null) {
    if (!Array.isArray(addresses) || addresses.length > MAX_VALUES) {
      throw scimInvalid('invalidValue', `addresses must be an array of at most ${MAX_VALUES}`, ['body', 'addresses']);
    }
    profile.addresses = addresses.map((a, i) => complexOf(a, ADDRESS_PARTS, `addresses[${i}]`) ?? {});
  }
  const enterprise = read.get(URN.enterprise.toLowerCase());
  if (enterprise != null) {
    const ext = complexOf(enterprise, ENTERPRISE_TEXT, 'enterprise') ?? {};
    const manager = caseInsensitive(enterprise as Record<string, unknown>).get('manager');
    const managerId = typeof manager === 'string' ? manager : complexOf(manager, ['value'], 'manager')?.value;
    profile.enterprise = { ...ext, ...(managerId ? { manager: { value: managerId } } : {}) };
  }
  const typed = (values: MultiValue[], fold: (v: string) => string) => ({
    types: Object.fromEntries(values.filter((v) => v.type).map((v) => [fold(v.value), v.type!])),
    primary: values.find((v) => v.primary) ? fold(values.find((v) => v.primary)!.value) : undefined,
  });
  const emailMeta = typed(emails, caseFolded);
  if (Object.keys(emailMeta.types).length) profile.emailTypes = emailMeta.types;
  if (emailMeta.primary) profile.primaryEmail = emailMeta.primary;
  const handlePhones = phones.filter((p) => e164Of(p.value)).map((p) => ({ ...p, value: e164Of(p.value)! }));
  const otherPhones = phones.filter((p) => !e164Of(p.value));
  const phoneMeta = typed(handlePhones, (v) => v);
  if (Object.keys(phoneMeta.types).length) profile.phoneTypes = phoneMeta.types;
  if (phoneMeta.primary) profile.primaryPhone = phoneMeta.primary;
  // A number that is not E.164 cannot be a handle (nobody can sign in with it); it is kept as sent.
  if (otherPhones.length) profile.otherPhones = otherPhones;
  const active = read.get('active');
  return {
    userName, emails, phones: handlePhones,
    active: active == null ? true : booleanOf(active, 'active'),
    externalId: textOf(read.get('externalid'), 'externalId', 255),
    locale: textOf(read.get('locale'), 'locale', 35),
    profile,
  };
}
