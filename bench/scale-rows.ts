// The bench's `scale` rows (BENCH_LARGE): the same pages asked of an organization of LARGE persons
// and of the bench's small one, on one idgraph server; 1.0 means the cost does not grow with the
// organization. Also deep pages never asked before, near a visited page and far from any.
import type { WrkTarget } from './wrk.ts';

type Headers = Record<string, string>;
export interface Org { size: number; tenantId: string; orgHeaders: Headers; vaultHeaders: Headers }
export interface ScaleRow { key: 'scale'; title: string; ours: WrkTarget; peerName: string; theirs: WrkTarget }

const PAGE = `query($after: String) { persons(first: 100, after: $after) { totalCount nodes { id handles { type value } } } }`;
const cursorAt = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');

/** The wrk rows: `GET /persons` and the vault users list (first and middle pages), the GraphQL page at the middle's cursor. */
export function scaleRows(idgraph: string, large: Org, small: Org): ScaleRow[] {
  const graphqlPage = (org: Org): WrkTarget => ({
    url: `${idgraph}/graphql`, method: 'POST', headers: { ...org.orgHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({ query: PAGE, variables: { after: cursorAt(org.size / 2) } }),
  });
  const pages: { title: string; on: (org: Org) => WrkTarget }[] = [
    { title: 'GET /persons?limit=100, first page', on: (org) => ({ url: `${idgraph}/persons?limit=100`, headers: org.orgHeaders }) },
    { title: 'GET /persons?limit=100, middle page', on: (org) => ({ url: `${idgraph}/persons?limit=100&offset=${org.size / 2}`, headers: org.orgHeaders }) },
    { title: 'GraphQL persons(first:100, after: the middle\'s cursor)', on: graphqlPage },
    {
      title: 'GET /tenants/{tenant_id}/users?limit=100 (newest first), first page',
      on: (org) => ({ url: `${idgraph}/tenants/${org.tenantId}/users?limit=100`, headers: org.vaultHeaders }),
    },
    {
      title: 'GET /tenants/{tenant_id}/users?limit=100 (newest first), middle page',
      on: (org) => ({ url: `${idgraph}/tenants/${org.tenantId}/users?limit=100&offset=${org.size / 2}`, headers: org.vaultHeaders }),
    },
  ];
  return pages.map(({ title, on }) => ({
    key: 'scale', title: `${title}, ${large.size} persons`, ours: on(large), peerName: `same on ${small.size}`, theirs: on(small),
  }));
}

/** The median time of single requests to `urls`, one after another, and the time of the first. */
async function visitMs(urls: string[], headers: Headers): Promise<{ median: number; first: number }> {
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

/**
 * Deep pages nobody asked before: near a visited page (the middle page's wrk run left its boundary)
 * a page starts from that boundary and skips the difference; far from any (each offset below the
 * ones asked before) it walks to its offset once, leaving markers on the way.
 */
export async function firstVisitRows(idgraph: string, large: Org, small: Org): Promise<Record<string, string>[]> {
  const near = (n: number) => Array.from({ length: 5 }, (_, i) => `${idgraph}/persons?limit=100&offset=${n / 2 + 7 * (i + 1)}`);
  const far = (n: number) => Array.from({ length: 5 }, (_, i) => `${idgraph}/persons?limit=100&offset=${Math.round(n * (0.45 - 0.05 * i)) + 3}`);
  const ms = (t: { median: number; first: number }) => `${t.median.toFixed(1)} ms (the first of the 5: ${t.first.toFixed(1)} ms)`;
  const rows: Record<string, string>[] = [];
  for (const [what, urls] of [['near a visited page', near], ['far from any visited page', far]] as const) {
    const big = await visitMs(urls(large.size), large.orgHeaders);
    const little = await visitMs(urls(small.size), small.orgHeaders);
    rows.push({
      request: `GET /persons?limit=100, a deep page never asked before, ${what} (median of 5 single requests), ${large.size} persons`,
      idgraph: ms(big), peer: `same on ${small.size}: ${ms(little)}`, ratio: `${(little.median / big.median).toFixed(2)}×`,
    });
  }
  return rows;
}
