// Name rules of groups, permissions and roles (the SlashID reference's patterns).
import { ValidationFailed } from '../errors.ts';

const GROUP = /^[A-Za-z0-9][\w.-]*[A-Za-z0-9]$/;
const PERMISSION = /^[A-Za-z0-9][\w./\\:-]*[A-Za-z0-9]$/;
const ROLE = /^[A-Za-z0-9][\w.:-]*[A-Za-z0-9]$/;
const ORG_PREFIX = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/(.*)$/i;

const show = (name: string) => JSON.stringify(name.slice(0, 64));

export function assertGroupName(name: string) {
  if (name.length < 2 || name.length > 100 || !GROUP.test(name)) {
    throw new ValidationFailed(`Group name ${show(name)} must be 2–100 characters of A-Z a-z 0-9 . _ -, alphanumeric at both ends`);
  }
}

export function assertPermissionName(name: string) {
  if (name.length < 2 || name.length > 1024 || !PERMISSION.test(name)) {
    throw new ValidationFailed(`Permission name ${show(name)} must be 2–1024 characters of A-Z a-z 0-9 . _ - : / \\, alphanumeric at both ends`);
  }
}

/** A role name, optionally prefixed with the caller's organization id and a slash. */
export function assertRoleName(name: string, organizationId: string) {
  const prefixed = ORG_PREFIX.exec(name);
  if (prefixed && prefixed[1].toLowerCase() !== organizationId.toLowerCase()) {
    throw new ValidationFailed(`Role name ${show(name)} is prefixed with another organization's id`);
  }
  const local = prefixed ? prefixed[2] : name;
  if (local.length < 2 || local.length > 100 || !ROLE.test(local)) {
    throw new ValidationFailed(`Role name ${show(name)} must be 2–100 characters of A-Z a-z 0-9 . _ - :, alphanumeric at both ends, optionally prefixed "{org_id}/"`);
  }
}
