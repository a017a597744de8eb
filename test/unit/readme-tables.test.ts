// README's route and scope tables are generated from the declarations and the schema's @auth
// rules; this keeps them true (regenerate with `node scripts/routes-table.ts --write`).
import fs from 'node:fs';
import { readmeWith } from '../../scripts/routes-table.ts';

test('README.md shows the current routes, who may call them, and the scope vocabulary', () => {
  const readme = fs.readFileSync('README.md', 'utf8');
  expect(readmeWith(readme)).toBe(readme);
});
