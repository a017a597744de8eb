import { OrganizationSchema } from '../domain/organization/organization.entity.ts';
import { ApiKeySchema } from '../domain/organization/api-key.entity.ts';
import { PersonSchema } from '../domain/person/person.entity.ts';
import { HandleSchema } from '../domain/person/handle.entity.ts';
import { CredentialSchema } from '../domain/credential/credential.entity.ts';

export const entities = [OrganizationSchema, ApiKeySchema, PersonSchema, HandleSchema, CredentialSchema];
