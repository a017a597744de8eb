// Scale-out rows of the bench: the same requests served by one idgraph process, then by two
// processes on one database (the second started as README says: same DATABASE_URL and
// IDGRAPH_MASTER_KEY), with wrk against each at half the connections, at the same time, summed.
// Also the cost of a deep page on its first visit (no page boundary remembered yet).
import { wrk, CONNECTIONS, type WrkResult, type WrkTarget } from './wrk.ts';

export type Row = Record<string, string>;
const fmtRps = (r: WrkResult) => `${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`;

/** `on(base)`: the target for a server at `base`. */
export async function scaleOutRows(first: string, second: string,
  targets: { name: string; on: (base: string) => WrkTarget }[]): Promise<Row[]> {
  const half = Math.max(1, Math.floor(CONNECTIONS / 2));
  const rows: Row[] = [];
  for (const { name, on } of targets) {
    const one = await wrk(on(first));
    const [a, b] = await Promise.all([wrk(on(first), half), wrk(on(second), half)]);
    const sum = a.rps + b.rps;
    rows.push({
      request: `${name}: two processes on one database (-c${half} each, summed) ÷ one process (-c${CONNECTIONS})`,
      idgraph: `${Math.round(sum)} req/s (${Math.round(a.rps)} + ${Math.round(b.rps)}), p99 ${Math.max(a.p99, b.p99).toFixed(1)} ms`,
      peer: `one process: ${fmtRps(one)}`,
      ratio: `${(sum / one.rps).toFixed(2)}×`,
    });
    console.error(`done: scale-out ${name}`);
  }
  return rows;
}

/** Median wall time (ms) of single requests, each to a URL that was never asked before. */
/** The median time of single requests to `urls`, one after another, and the time of the first. */
export async function firstVisitMs(urls: string[], headers: Record<string, string>): Promise<{ median: number; first: number }> {
  const times: number[] = [];
  for (const url of urls) {
    const t0 = performance.now();
    const response = await fetch(url, { headers });
    await response.text();
    if (response.status !== 200) throw new Error(`${url}: status ${response.status}`);
    times.push(performance.now() - t0);
  }
  const first = times[0];
  times.sort((x, y) => x - y);
  return { median: times[Math.floor(times.length / 2)], first };
}
