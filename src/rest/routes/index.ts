// Every REST declaration the server serves, per dialect.
import type { RouteDeclaration } from '../route.ts';
import * as persons from './slashid/persons.ts';
import * as personHandles from './slashid/persons.handles.ts';
import * as tenants from './vault/tenants.ts';
import * as tenantUsers from './vault/tenants.users.ts';
import * as oauth2Clients from './slashid/oauth2-clients.ts';
import * as vaultClients from './vault/clients.ts';
import * as userTokens from './slashid/user-tokens.ts';

const declarationsOf = (module: Record<string, unknown>) =>
  Object.values(module).filter((v): v is RouteDeclaration =>
    typeof v === 'object' && v !== null && 'operation' in v && 'dialect' in v);

export const routes: RouteDeclaration[] = [persons, personHandles, tenants, tenantUsers, oauth2Clients, vaultClients, userTokens].flatMap(declarationsOf);
