import { OrganizationSchema } from '../domain/organization/organization.entity.ts';
import { ApiKeySchema } from '../domain/organization/api-key.entity.ts';
import { HandleSchema, PersonSchema } from '../domain/person/person.entity.ts';
import { PersonCountSchema } from '../domain/person/person-count.entity.ts';
import { CredentialSchema } from '../domain/credential/credential.entity.ts';
import { PasswordResetSchema } from '../domain/credential/password-reset.entity.ts';
import { GroupMemberSchema, GroupSchema } from '../domain/access/group.entity.ts';
import {
  PermissionSchema, PersonPermissionSchema, PersonRoleSchema, RolePermissionSchema, RoleSchema,
} from '../domain/access/rbac.entity.ts';
import { AttributeSchema } from '../domain/attribute/attribute.entity.ts';
import { ConsentSchema } from '../domain/consent/consent.entity.ts';

import { ZkpChallengeSchema } from '../domain/login/zkp-challenge.entity.ts';
import { WebauthnChallengeSchema } from '../domain/webauthn/webauthn-challenge.entity.ts';
import { LoginTicketSchema } from '../domain/login/login-ticket.entity.ts';
import { LoginThrottleSchema } from '../domain/login/login-throttle.entity.ts';
import { PasswordResetCodeSchema } from '../domain/login/password-reset-code.entity.ts';
import { OutboxMessageSchema } from '../domain/outbox/outbox-message.entity.ts';
import { SessionSchema } from '../domain/session/session.entity.ts';
import { UserApiKeySchema } from '../domain/api-key/user-api-key.entity.ts';

import { OAuthClientSchema } from '../domain/oauth/oauth-client.entity.ts';
import { SigningKeySchema } from '../domain/oauth/signing-key.entity.ts';
import { AuthorizeRequestSchema } from '../domain/oauth/authorize-request.entity.ts';
import { OAuthTokenSchema } from '../domain/oauth/oauth-token.entity.ts';
import { UserTokenSchema } from '../domain/oauth/user-token.entity.ts';
import { AuditEventSchema } from '../domain/audit/audit-event.entity.ts';
import {
  WebhookSchema, WebhookTriggerSchema, WebhookEventSchema, WebhookDeliverySchema, WebhookSigningKeySchema,
} from '../domain/webhook/webhook.entity.ts';
import { ExternalCredentialSchema } from '../domain/external-credential/external-credential.entity.ts';
import { OrganizationAttributeSchema } from '../domain/attribute/organization-attribute.entity.ts';
import { UpstreamIdentitySchema } from '../domain/sso/upstream-identity.entity.ts';
import { SsoOidcCredentialSchema } from '../domain/sso/oidc-credential.entity.ts';
import { SsoOidcLoginSchema } from '../domain/sso/oidc-login.entity.ts';
import { SsoOidcTokenSchema } from '../domain/sso/oidc-token.entity.ts';
import { SamlProviderSchema } from '../domain/sso/saml/saml-provider.entity.ts';
import { SamlAssertionUseSchema, SamlRequestSchema } from '../domain/sso/saml/saml-request.entity.ts';

export const entities = [
  OrganizationSchema, ApiKeySchema, PersonSchema, PersonCountSchema, HandleSchema, CredentialSchema, PasswordResetSchema,
  GroupSchema, GroupMemberSchema, PermissionSchema, RoleSchema, RolePermissionSchema, PersonRoleSchema,
  PersonPermissionSchema, AttributeSchema, ConsentSchema,
  ZkpChallengeSchema, LoginTicketSchema, LoginThrottleSchema, PasswordResetCodeSchema, OutboxMessageSchema,
  SessionSchema, UserApiKeySchema,
  OAuthClientSchema, SigningKeySchema, AuthorizeRequestSchema, OAuthTokenSchema, UserTokenSchema,
  AuditEventSchema,
  WebauthnChallengeSchema,
  WebhookSchema, WebhookTriggerSchema, WebhookEventSchema, WebhookDeliverySchema, WebhookSigningKeySchema,
  ExternalCredentialSchema, OrganizationAttributeSchema,
  UpstreamIdentitySchema, SsoOidcCredentialSchema, SsoOidcLoginSchema, SsoOidcTokenSchema,
  SamlProviderSchema, SamlRequestSchema, SamlAssertionUseSchema,
];
