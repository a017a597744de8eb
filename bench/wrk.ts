// Drives load with wrk (Debian package `wrk`) as a child process: it costs little CPU, so the
// servers measured get the cores instead of the load generator. One script (bench/wrk/request.lua)
// for every request shape; its done() prints the figures as one JSON line.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'wrk', 'request.lua');
export const WRK = process.env.BENCH_WRK ?? '/usr/bin/wrk';
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
export const THREADS = Number(process.env.BENCH_THREADS ?? 1);
export const loadGenerator = `wrk -t${THREADS} -c${CONNECTIONS} -d${SECONDS}s`;

export interface WrkResult { rps: number; p50: number; p99: number; errors: number; requests: number }

export interface WrkTarget { url: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }

export function wrk(target: WrkTarget, connections = CONNECTIONS, seconds = SECONDS): Promise<WrkResult> {
  const args = [`-t${Math.min(THREADS, connections)}`, `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', script];
  for (const [name, value] of Object.entries(target.headers ?? {})) args.push('-H', `${name}: ${value}`);
  args.push(target.url);
  const child = spawn(WRK, args, {
    env: { ...process.env, WRK_METHOD: target.method ?? 'GET', WRK_BODY: target.body ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  // wrk stops itself after -d; the timer only guards against a hung child.
  const guard = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(guard);
      const line = out.split('\n').find((l) => l.startsWith('WRK_RESULT '));
      if (code !== 0 || !line) return reject(new Error(`wrk exited with ${code}: ${err || out}`));
      const r = JSON.parse(line.slice('WRK_RESULT '.length));
      resolve({
        requests: r.requests, rps: r.requests / (r.duration_us / 1e6), p50: r.p50_us / 1000, p99: r.p99_us / 1000,
        errors: r.connect + r.read + r.write + r.status + r.timeout,
      });
    });
  });
}
