import { defineEntity, p } from '@mikro-orm/core';
import { timestamps } from '../entity-timestamps.ts';
import type { TenantSettings } from './tenant-settings.ts';
import type { StoredOrganizationConfig } from './organization-config.ts';

export const OrganizationSchema = defineEntity({
  name: 'Organization',
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(255),
    parent: () => p.manyToOne(Organization).nullable().ref().deleteRule('cascade'),
    /** The Secrets Vault face's `tenant_id`: chosen at `POST /tenants`, else the organization id. */
    tenantId: p.string().length(128).unique(),
    tenantSettings: p.json<TenantSettings>(),
    /** SlashID organization config: only the values a PATCH set (see organization-config.ts). */
    config: p.json<StoredOrganizationConfig>().nullable(),
    /**
     * The organization whose person pool this one uses (SlashID `persons_org_id`), always a pool's
     * owner (never itself pointing elsewhere); null: its own pool. An owner stays while an organization outside the deleted subtree uses it (no action: checked at the end of the statement).
     */
    personsPool: () => p.manyToOne(Organization).nullable().ref().deleteRule('no action'),
    /** The same for groups (`groups_org_id`). */
    groupsPool: () => p.manyToOne(Organization).nullable().ref().deleteRule('no action'),
    /** Set at creation, never changed (SlashID `inherit_rbac_pools`). */
    inheritsRbacPools: p.boolean().default(false),
    /**
     * When inheriting: the nearest ancestor that does not inherit, whose roles and permissions this
     * one uses (set at creation with the flag, so never a chain); null: its own. Always an ancestor,
     * so it is deleted only with this organization's subtree.
     */
    rbacPool: () => p.manyToOne(Organization).nullable().ref().deleteRule('no action'),
    /** SlashID allowed origin domains (lower case, `*` wildcards; see allowed-domains.ts); null: none set. */
    allowedDomains: p.json<string[]>().nullable(),
    /** SlashID message templates as set (templates.ts); a template or field absent here is the default. */
    messageTemplates: p.json<Record<string, { senderName: string; subject: string; body: string }>>().nullable(),
    /** SlashID token template (a Mustache template of a JSON object); null: none. */
    tokenTemplate: p.text().nullable(),
    /** SlashID KYC configuration as set (kyc-config.ts); null: nothing set. */
    kycConfig: p.json<{ mobileRedirectBaseUrl?: string }>().nullable(),
    ...timestamps(),
  },
});

export class Organization extends OrganizationSchema.class {}
OrganizationSchema.setClass(Organization);
