// What a valid handle is, and how it is compared.
import type { HandleInput, HandleType } from '../schema-types.generated.ts';
import { BadRequest, ValidationFailed, type FieldIssue } from '../errors.ts';

/** What each handle type's value must be: the pattern, the length, and how to say it. */
export const HANDLE_RULES: Readonly<Record<HandleType, { pattern: RegExp; max: number; hint: string }>> = {
  email_address: { pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, max: 320, hint: 'an email address like name@example.com' },
  phone_number: { pattern: /^\+[1-9][0-9]{6,14}$/, max: 16, hint: 'a phone number in E.164 form like +13475043201' },
  username: { pattern: /^[A-Za-z0-9_.@-]+$/, max: 128, hint: 'letters, digits, "_", ".", "@" or "-"' },
};

/** Every handle type, in the schema's order (also the `handle.type` column's allowed values). */
export const HANDLE_TYPES = ['email_address', 'phone_number', 'username'] as const satisfies readonly HandleType[];

/**
 * The form a handle is stored and shown in: Unicode NFC, so "é" typed precomposed or as "e" plus a
 * combining accent is one address (RFC 6532 §3.1 asks for NFC in internationalized addresses).
 */
export function canonicalHandleValue(value: string): string {
  return value.normalize('NFC');
}

/** How handles are compared (the `normalized` column): NFC, then lower case; phone numbers as they are. */
export function normalizeHandle(handle: HandleInput): string {
  if (handle.type === 'phone_number') return handle.value;
  return caseFolded(handle.value);
}

/** NFC, lower case, NFC again (lower-casing may leave a string that is not NFC). */
export const caseFolded = (text: string) => text.normalize('NFC').toLowerCase().normalize('NFC');

export function handleIssues(handle: HandleInput, loc: (string | number)[]): FieldIssue[] {
  const rule = HANDLE_RULES[handle.type];
  if (handle.value.length === 0 || handle.value.length > rule.max) {
    return [{ loc: [...loc, 'value'], msg: `a ${handle.type} handle must be 1 to ${rule.max} characters`, type: 'value_error.length' }];
  }
  if (!rule.pattern.test(handle.value)) {
    return [{ loc: [...loc, 'value'], msg: `"${handle.value.slice(0, 64)}" is not ${rule.hint}`, type: 'value_error.format' }];
  }
  // Compatibility characters (fullwidth "ａ", ligatures "ﬁ", "ℌ") are refused rather than folded:
  // they look like another address, and mail servers deliver neither form to the other.
  const compatible = handle.value.normalize('NFKC');
  if (compatible !== handle.value.normalize('NFC')) {
    return [{
      loc: [...loc, 'value'],
      msg: `"${handle.value.slice(0, 64)}" contains compatibility characters (such as fullwidth letters); write it as "${compatible.slice(0, 64)}"`,
      type: 'value_error.compatibility',
    }];
  }
  return [];
}

export function assertValidHandles(handles: HandleInput[], loc: (string | number)[] = ['handles']): void {
  const issues = handles.flatMap((h, i) => handleIssues(h, [...loc, i]));
  if (issues.length) throw new ValidationFailed(issues.map((i) => i.msg).join('; '), issues);
}

/** Parses the SlashID path/query form `type:value` (already URL-decoded). */
export function parseHandleRef(ref: string): HandleInput {
  const colon = ref.indexOf(':');
  const type = ref.slice(0, colon) as HandleType;
  if (colon < 0 || !HANDLE_TYPES.includes(type)) {
    throw new BadRequest(`A handle is written type:value with type one of ${HANDLE_TYPES.join(', ')}, e.g. email_address:user%40example.com`);
  }
  return { type, value: ref.slice(colon + 1) };
}
