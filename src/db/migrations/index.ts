// Every migration, in order. `npm run migration:create` writes a new file; add it here.
import { Migration20261122224728 } from './Migration20261122224728.ts';
import { Migration20261122225305 } from './Migration20261122225305.ts';
import { Migration20261122225655 } from './Migration20261122225655.ts';
import { Migration20261122230036 } from './Migration20261122230036.ts';
import { Migration20261122230926 } from './Migration20261122230926.ts';
import { Migration20261122231429 } from './Migration20261122231429.ts';
import { Migration20261122233812 } from './Migration20261122233812.ts';
import { Migration20261122234637 } from './Migration20261122234637.ts';
import { Migration20261202055448 } from './Migration20261202055448.ts';
import { Migration20261202055639 } from './Migration20261202055639.ts';
import { Migration20261202060802 } from './Migration20261202060802.ts';
import { Migration20261202064145 } from './Migration20261202064145.ts';
import { Migration20261202064828 } from './Migration20261202064828.ts';
import { Migration20261202065805 } from './Migration20261202065805.ts';
import { Migration20261202081822 } from './Migration20261202081822.ts';
import { Migration20261202082700 } from './Migration20261202082700.ts';

export const migrationsList = [
  { name: 'Migration20261122224728', class: Migration20261122224728 },
  { name: 'Migration20261122225305', class: Migration20261122225305 },
  { name: 'Migration20261122225655', class: Migration20261122225655 },
  { name: 'Migration20261122230036', class: Migration20261122230036 },
  { name: 'Migration20261122230926', class: Migration20261122230926 },
  { name: 'Migration20261122231429', class: Migration20261122231429 },
  { name: 'Migration20261122233812', class: Migration20261122233812 },
  { name: 'Migration20261122234637', class: Migration20261122234637 },
  { name: 'Migration20261202055448', class: Migration20261202055448 },
  { name: 'Migration20261202055639', class: Migration20261202055639 },
  { name: 'Migration20261202060802', class: Migration20261202060802 },
  { name: 'Migration20261202064145', class: Migration20261202064145 },
  { name: 'Migration20261202064828', class: Migration20261202064828 },
  { name: 'Migration20261202065805', class: Migration20261202065805 },
  { name: 'Migration20261202081822', class: Migration20261202081822 },
  { name: 'Migration20261202082700', class: Migration20261202082700 },
];
