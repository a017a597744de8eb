// What a valid handle is, and how it is compared.
import type { HandleInput, HandleType } from '../../graphql/generated/types.ts';
import { BadRequest, ValidationFailed, type FieldIssue } from '../errors.ts';

/** What each handle type's value must be: the pattern, the length, and how to say it. */
export const HANDLE_RULES: Readonly<Record<HandleType, { pattern: RegExp; max: number; hint: string }>> = {
  email_address: { pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, max: 320, hint: 'an email address like name@example.com' },
  phone_number: { pattern: /^\+[1-9][0-9]{6,14}$/, max: 16, hint: 'a phone number in E.164 form like +13475043201' },
  username: { pattern: /^[A-Za-z0-9_.@-]+$/, max: 128, hint: 'letters, digits, "_", ".", "@" or "-"' },
};

export const HANDLE_TYPES = Object.keys(HANDLE_RULES) as HandleType[];

export function normalizeHandle(handle: HandleInput): string {
  return handle.type === 'phone_number' ? handle.value : handle.value.toLowerCase();
}

export function handleIssues(handle: HandleInput, loc: (string | number)[]): FieldIssue[] {
  const rule = HANDLE_RULES[handle.type];
  if (handle.value.length === 0 || handle.value.length > rule.max) {
    return [{ loc: [...loc, 'value'], msg: `a ${handle.type} handle must be 1 to ${rule.max} characters`, type: 'value_error.length' }];
  }
  if (!rule.pattern.test(handle.value)) {
    return [{ loc: [...loc, 'value'], msg: `"${handle.value.slice(0, 64)}" is not ${rule.hint}`, type: 'value_error.format' }];
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
