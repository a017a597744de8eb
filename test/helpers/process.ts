// Starts the real server (`node src/main.ts`) as a separate OS process on a given database, for
// tests where several processes must agree through PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  url: string;
  stop(): Promise<void>;
  /** Ends the process at once (SIGKILL: no shutdown, no cleanup) and waits for its exit. */
  kill(): Promise<void>;
  /** Lines the process wrote to stdout (its JSON log). */
  output(): string;
}

/** A second server process on the same database; it needs the same master key to read the signing keys. */
export function startServerProcess(databaseUrl: string, masterKey: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['src/main.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', OUTBOX_POLL_MS: '0', IDGRAPH_MASTER_KEY: masterKey, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(); // already gone (killed too)
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  const kill = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
  let logged = '';
  return new Promise((resolve, reject) => {
    let buffered = '';
    let errors = '';
    const timer = setTimeout(() => { void stop(); reject(new Error(`server process did not start: ${errors}`)); }, 60_000);
    child.stderr!.on('data', (chunk) => { errors += chunk; });
    child.stdout!.on('data', (chunk) => {
      buffered += chunk;
      logged += chunk;
      for (const line of buffered.split('\n')) {
        try {
          const event = JSON.parse(line);
          if (event.event === 'listening') {
            clearTimeout(timer);
            resolve({ url: event.url, stop, kill, output: () => logged });
            return;
          }
        } catch { /* a partial line */ }
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server process exited with ${code}: ${errors}`)); });
  });
}
