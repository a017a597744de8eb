// Scale-out rows of the bench: the same requests served by one idgraph process, then by two
// processes on one database (the second started as README says: same DATABASE_URL and
// IDGRAPH_MASTER_KEY), with wrk against each at half the connections, at the same time, summed.
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
