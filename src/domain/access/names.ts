// Name rules of groups, permissions and roles (the SlashID reference's patterns). Each rule is one
// pattern with its lengths built in, so the wire schemas document the very rule checked here.
import { ValidationFailed } from '../errors.ts';

const ORG_ID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const ROLE_LOCAL = '[A-Za-z0-9][\\w.:-]{0,98}[A-Za-z0-9]';

/** The name rules as pattern sources (ECMA-262, as JSON Schema and OpenAPI take them). */
export const NAME_PATTERNS = {
  /** 2–100 characters of A-Z a-z 0-9 . _ -, alphanumeric at both ends. */
  group: '^[A-Za-z0-9][\\w.-]{0,98}[A-Za-z0-9]$',
  /** 2–1024 characters of A-Z a-z 0-9 . _ - : / \, alphanumeric at both ends. */
  permission: '^[A-Za-z0-9][\\w./\\\\:-]{0,1022}[A-Za-z0-9]$',
  /** 2–100 characters of A-Z a-z 0-9 . _ - :, alphanumeric at both ends, optionally prefixed "{org_id}/". */
  role: `^(?:${ORG_ID}/)?${ROLE_LOCAL}$`,
} as const;
export const MAX_ROLE_NAME = 36 + 1 + 100;

const GROUP = new RegExp(NAME_PATTERNS.group);
const PERMISSION = new RegExp(NAME_PATTERNS.permission);
const ROLE = new RegExp(`^${ROLE_LOCAL}$`);
const ORG_PREFIX = new RegExp(`^(${ORG_ID})/(.*)$`);

const show = (name: string) => JSON.stringify(name.slice(0, 64));

export function assertGroupName(name: string) {
  if (!GROUP.test(name)) {
    throw new ValidationFailed(`Group name ${show(name)} must be 2–100 characters of A-Z a-z 0-9 . _ -, alphanumeric at both ends`);
  }
}

export function assertPermissionName(name: string) {
  if (!PERMISSION.test(name)) {
    throw new ValidationFailed(`Permission name ${show(name)} must be 2–1024 characters of A-Z a-z 0-9 . _ - : / \\, alphanumeric at both ends`);
  }
}

/** A role name, optionally prefixed with the id of one of `organizationIds` (the caller's, its RBAC pool's owner) and a slash. */
export function assertRoleName(name: string, ...organizationIds: string[]) {
  const prefixed = ORG_PREFIX.exec(name);
  if (prefixed && !organizationIds.some((id) => id.toLowerCase() === prefixed[1].toLowerCase())) {
    throw new ValidationFailed(`Role name ${show(name)} is prefixed with another organization's id`);
  }
  const local = prefixed ? prefixed[2] : name;
  if (!ROLE.test(local)) {
    throw new ValidationFailed(`Role name ${show(name)} must be 2–100 characters of A-Z a-z 0-9 . _ - :, alphanumeric at both ends, optionally prefixed "{org_id}/"`);
  }
}
