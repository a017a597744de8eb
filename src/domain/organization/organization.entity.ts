import { defineEntity, p } from '@mikro-orm/core';
import type { TenantSettings } from './tenant-settings.ts';
import type { StoredOrganizationConfig } from './organization-config.ts';

const OrganizationSchema = defineEntity({
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
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class Organization extends OrganizationSchema.class {}
OrganizationSchema.setClass(Organization);
export { OrganizationSchema };
