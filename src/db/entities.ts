import { OrganizationSchema } from '../domain/organization/organization.entity.ts';
import { ApiKeySchema } from '../domain/organization/api-key.entity.ts';
import { PersonSchema } from '../domain/person/person.entity.ts';
import { HandleSchema } from '../domain/person/handle.entity.ts';
import { CredentialSchema } from '../domain/credential/credential.entity.ts';
import { OAuthClientSchema } from '../domain/oauth/oauth-client.entity.ts';
import { SigningKeySchema } from '../domain/oauth/signing-key.entity.ts';
import { AuthorizeRequestSchema } from '../domain/oauth/authorize-request.entity.ts';
import { LoginSessionSchema } from '../domain/oauth/login-session.entity.ts';
import { OAuthTokenSchema } from '../domain/oauth/oauth-token.entity.ts';
import { UserTokenSchema } from '../domain/oauth/user-token.entity.ts';

export const entities = [OrganizationSchema, ApiKeySchema, PersonSchema, HandleSchema, CredentialSchema,
  OAuthClientSchema, SigningKeySchema, AuthorizeRequestSchema, LoginSessionSchema, OAuthTokenSchema, UserTokenSchema];
