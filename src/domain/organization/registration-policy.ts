// What an organization's configuration (seed 001) says about persons who register themselves:
// `deny_self_registration` (only the organization's administrator creates persons),
// `new_person_handle_patterns` (a new person needs a handle matching one of them) and
// `requires_manual_approval` (a new person stays inactive until the administrator sets `active`).
// Persons the administrator creates through the API are not self-registrations.
import { Forbidden } from '../errors.ts';
import { matchesGlob } from '../glob.ts';
import { organizationConfigOf, type StoredOrganizationConfig } from './organization-config.ts';

/** Refuses a self-registration the configuration forbids; says whether the new person starts active. */
export function selfRegistrationPolicy(org: { config?: StoredOrganizationConfig | null },
  handles: readonly { type: string; value: string }[]): { active: boolean } {
  const config = organizationConfigOf(org);
  if (config.denySelfRegistration) {
    throw new Forbidden('This organization does not allow self-registration (deny_self_registration): ask its administrator for an account');
  }
  const patterns = config.newPersonHandlePatterns;
  if (patterns.length && !handles.some((h) => matchesGlob(patterns, h.value))) {
    throw new Forbidden(`None of the handles matches the organization's new_person_handle_patterns (${patterns.slice(0, 8).join(', ')}); register with a handle that does`);
  }
  return { active: !config.requiresManualApproval };
}
