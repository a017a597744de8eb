// Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. BENCH_PROFILE=1 npm run bench): the top
// functions by self time, and self time per package / source area. Usage:
//   node bench/profile-top.ts bench/.prof/CPU.*.cpuprofile [top=25]
import fs from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const [file, topArg] = process.argv.slice(2);
if (!file) { console.error('usage: node bench/profile-top.ts FILE.cpuprofile [top]'); process.exit(2); }
const top = Number(topArg ?? 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;

// Self time per node from the samples and the time to the next sample.
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta);
}
const sampled = [...selfUs.values()].reduce((a, b) => a + b, 0);
// Percentages are of the busy time: the profile also spans start-up waits and the peer's turn.
const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
const total = sampled - [...idleIds].reduce((a, id) => a + (selfUs.get(id) ?? 0), 0);
const parent = new Map<number, Node>();
const nodeById = new Map(profile.nodes.map((n) => [n.id, n]));
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
/** Native frames (no url) are charged to the nearest JS caller, which says which of our paths paid for them. */
function jsCaller(node: Node): string {
  let n: Node | undefined = node;
  while (n && !n.callFrame.url) n = parent.get(n.id);
  if (!n) return '(no JS caller)';
  return `${n.callFrame.functionName || '(anonymous)'}  ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench|test)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
}

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native/builtin)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const src = /\/(src\/[^/]+(?:\/[^/]+)?)\//.exec(url) ?? /\/(src\/[^/]+)/.exec(url);
  if (src) return src[1];
  if (url.startsWith('node:')) return url;
  return url.replace(/^.*\//, '');
}

const byFunction = new Map<string, number>();
const byArea = new Map<string, number>();
const nativeByCaller = new Map<string, number>();
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (!us || idleIds.has(node.id)) continue;
  if (!node.callFrame.url && !node.callFrame.functionName.startsWith('(')) {
    const caller = `${node.callFrame.functionName} <- ${jsCaller(node)}`;
    nativeByCaller.set(caller, (nativeByCaller.get(caller) ?? 0) + us);
  }
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench|test)\//, '$1/');
  const key = `${functionName || '(anonymous)'}  ${short}${url ? `:${lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const a = area(url, functionName);
  byArea.set(a, (byArea.get(a) ?? 0) + us);
}
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(sampled / 1e6).toFixed(1)} s sampled, ${(total / 1e6).toFixed(1)} s busy (percentages are of the busy time)`);
console.log(`\ntop ${top} functions by self time`);
for (const [k, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
console.log('\nself time by package / source area');
for (const [k, us] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
console.log('\nnative self time by nearest JS caller');
for (const [k, us] of [...nativeByCaller].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(us)}  ${k}`);
