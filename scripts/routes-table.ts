// Prints the REST routes as Markdown tables (one per dialect), from the same declarations the
// server serves; README.md holds its output between the `routes:begin`/`routes:end` markers.
// Usage: node scripts/routes-table.ts [--write]
import fs from 'node:fs';
import { routes } from '../src/rest/routes/index.ts';

const auth = { slashid_org_key: 'org key', slashid_api_key: 'API key', vault_api_key: 'API key', none: 'none' } as const;
const sections = routes.reduce<Record<string, string[]>>((acc, r) => {
  const statuses = [r.status, ...(r.otherStatuses ?? [])].join(' / ');
  (acc[r.dialect.tag] ??= []).push(`| ${r.method} | \`${r.path}\` | ${r.summary} | ${auth[r.auth]} | ${statuses} |`);
  return acc;
}, {});
const table = Object.entries(sections).map(([tag, rows]) =>
  `**${tag}** (${rows.length} operations)\n\n| method | path | what | auth | success |\n|---|---|---|---|---|\n${rows.join('\n')}`).join('\n\n');

if (process.argv.includes('--write')) {
  const readme = fs.readFileSync('README.md', 'utf8');
  const next = readme.replace(/(<!-- routes:begin -->\n)[\s\S]*?(<!-- routes:end -->)/, `$1${table}\n$2`);
  if (next === readme && !readme.includes('<!-- routes:begin -->')) throw new Error('README.md has no routes markers');
  fs.writeFileSync('README.md', next);
} else {
  console.log(table);
}
