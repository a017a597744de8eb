// Prints the REST routes (one table per dialect, with who may call each) and the scope vocabulary as
// Markdown, from the same declarations and `@auth` rules the server serves. README.md holds them
// between the `routes:begin`/`routes:end` and `scopes:begin`/`scopes:end` markers; a test fails when
// they are stale. Usage: node scripts/routes-table.ts [--write]
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type GraphQLObjectType } from 'graphql';
import { routes } from '../src/rest/routes/index.ts';
import { buildSchema } from '../src/graphql/schema.ts';
import { accessRulesOf, documentRulesOf } from '../src/graphql/auth-gate.ts';
import type { AccessRule } from '../src/domain/auth/access-rule.ts';
import { SCOPE_DESCRIPTIONS, SCOPES } from '../src/domain/auth/scopes.ts';
import { MOUNTS } from '../src/oidc/issuers.ts';
import { OIDC_TAG, oidcPaths } from '../src/oidc/openapi-paths.ts';

const schema = buildSchema();
const credentials = { slashid_org_key: 'org key', slashid_api_key: 'org key', vault_api_key: 'key or token', none: '' } as const;

/** Who may call, from every rule a document's fields declare: all must admit the caller. */
export function whoMayCall(rules: AccessRule[], presented: string): string {
  if (rules.every((r) => r.allow.includes('PUBLIC'))) return 'public';
  const every = (kind: string) => rules.every((r) => r.allow.includes(kind as never) || r.allow.includes('PUBLIC'));
  const scopes = [...new Set(rules.map((r) => r.scope).filter(Boolean))].map((s) => `\`${s}\``).join(' + ');
  const person = every('USER') ? 'user' : rules.every((r) => r.allow.some((k) => k === 'USER' || k === 'SELF' || k === 'PUBLIC')) ? 'self' : '';
  const parts = [every('ORGANIZATION') ? 'org key' : '', person && presented !== 'org key' ? `${person}${scopes ? ` with ${scopes}` : ''}` : ''];
  return parts.filter(Boolean).join('; ') || 'nobody';
}

export function routesTable(): string {
  const sections = routes.reduce<Record<string, string[]>>((acc, r) => {
    const statuses = [r.status, ...(r.otherStatuses ?? [])].join(' / ');
    const who = whoMayCall(documentRulesOf(schema, parse(r.operation)), credentials[r.auth]);
    (acc[r.dialect.tag] ??= []).push(`| ${r.method} | \`${r.path}\` | ${r.summary} | ${who} | ${statuses} |`);
    return acc;
  }, {});
  // The OpenID provider's mounts, as /openapi.json lists them (credentials are the protocol's).
  for (const [path, methods] of Object.entries(oidcPaths(MOUNTS))) {
    for (const [method, op] of Object.entries(methods) as [string, { summary: string; security: unknown[]; responses: object; requestBody?: unknown }][]) {
      const client = JSON.stringify(op.requestBody ?? {}).includes('"client_secret"');
      const who = op.security.length ? 'access token' : client ? 'client (Basic or form)' : 'public';
      const statuses = Object.keys(op.responses).filter((s) => s.startsWith('2') || s.startsWith('3')).join(' / ');
      (sections[OIDC_TAG] ??= []).push(`| ${method.toUpperCase()} | \`${path}\` | ${op.summary} | ${who} | ${statuses} |`);
    }
  }
  return Object.entries(sections).map(([tag, rows]) =>
    `**${tag}** (${rows.length} operations)\n\n| method | path | what | who may call | success |\n|---|---|---|---|---|\n${rows.join('\n')}`).join('\n\n');
}

/** Each scope, what it allows, and the operations (GraphQL fields) that name it. */
export function scopesTable(): string {
  const rules = accessRulesOf(schema);
  const rows = SCOPES.map((scope) => {
    const fields = [...rules].filter(([, r]) => r.scope === scope).map(([field]) => `\`${field}\``).join(', ');
    return `| \`${scope}\` | ${SCOPE_DESCRIPTIONS[scope]} | ${fields} |`;
  });
  const roots = (['Query', 'Mutation'] as const).map((t) => Object.keys((schema.getType(t) as GraphQLObjectType).getFields()).length);
  return `${roots[0] + roots[1]} root fields, each with its rule.\n\n| scope | allows | fields that need it |\n|---|---|---|\n${rows.join('\n')}`;
}

export function readmeWith(readme: string): string {
  let next = readme;
  for (const [marker, table] of [['routes', routesTable()], ['scopes', scopesTable()]] as const) {
    if (!next.includes(`<!-- ${marker}:begin -->`)) throw new Error(`README.md has no ${marker} markers`);
    next = next.replace(new RegExp(`(<!-- ${marker}:begin -->\\n)[\\s\\S]*?(<!-- ${marker}:end -->)`), (_, begin, end) => `${begin}${table}\n${end}`);
  }
  return next;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--write')) fs.writeFileSync('README.md', readmeWith(fs.readFileSync('README.md', 'utf8')));
  else console.log(`${routesTable()}\n\n${scopesTable()}`);
}
