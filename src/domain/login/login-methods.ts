// Which zero-knowledge methods the hosted login page offers for a tenant (docs/zkp.md, "The hosted
// login page"): those its `login_order` lists whose switch is on (`use_pin` for PIN, `use_pattern`
// for PATTERN), in that order. None while `is_2fa` is set: the page cannot ask for the second
// factor, and the ticket of such a login is refused.
import type { TenantSettings } from '../organization/tenant-settings.ts';

export type ZkpMethod =
  /** `pin_size` digits; `show_pin_when_typing` makes the field a text field instead of a password field. */
  | { kind: 'PIN'; size: number; visible: boolean }
  /** A `patter_size` × `patter_size` grid of dots. */
  | { kind: 'PATTERN'; size: number };

export function zkpLoginMethods(settings: TenantSettings): ZkpMethod[] {
  if (settings.is2fa) return [];
  const methods: ZkpMethod[] = [];
  for (const kind of new Set(settings.loginOrder ?? [])) {
    if (kind === 'PIN' && settings.usePin) methods.push({ kind, size: settings.pinSize, visible: settings.showPinWhenTyping });
    if (kind === 'PATTERN' && settings.usePattern) methods.push({ kind, size: settings.patternSize });
  }
  return methods;
}
