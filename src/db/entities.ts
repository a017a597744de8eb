import { OrganizationSchema } from '../domain/organization/organization.entity.ts';
import { ApiKeySchema } from '../domain/organization/api-key.entity.ts';
import { PersonSchema } from '../domain/person/person.entity.ts';
import { HandleSchema } from '../domain/person/handle.entity.ts';
import { CredentialSchema } from '../domain/credential/credential.entity.ts';
import { PasswordResetSchema } from '../domain/credential/password-reset.entity.ts';
import { GroupMemberSchema, GroupSchema } from '../domain/access/group.entity.ts';
import {
  PermissionSchema, PersonPermissionSchema, PersonRoleSchema, RolePermissionSchema, RoleSchema,
} from '../domain/access/rbac.entity.ts';
import { AttributeSchema } from '../domain/attribute/attribute.entity.ts';
import { ConsentSchema } from '../domain/consent/consent.entity.ts';

export const entities = [
  OrganizationSchema, ApiKeySchema, PersonSchema, HandleSchema, CredentialSchema, PasswordResetSchema,
  GroupSchema, GroupMemberSchema, PermissionSchema, RoleSchema, RolePermissionSchema, PersonRoleSchema,
  PersonPermissionSchema, AttributeSchema, ConsentSchema,
];
