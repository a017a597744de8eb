import { defineEntity, p } from '@mikro-orm/core';
import type { TenantSettings } from './tenant-settings.ts';

const OrganizationSchema = defineEntity({
  name: 'Organization',
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(255),
    parent: () => p.manyToOne(Organization).nullable().ref().deleteRule('cascade'),
    /** The Secrets Vault face's `tenant_id`: chosen at `POST /tenants`, else the organization id. */
    tenantId: p.string().length(128).unique(),
    tenantSettings: p.json<TenantSettings>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class Organization extends OrganizationSchema.class {}
OrganizationSchema.setClass(Organization);
export { OrganizationSchema };
