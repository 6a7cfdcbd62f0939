/* global console -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Where a hub's CPU went: self and inclusive time per function from a V8 .cpuprofile (the hub
 * run with BENCH_HUB_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'), optionally only between
 * two offsets (seconds since the profile started: the measurement, not the setup).
 *
 *   node bench/cpuprofile.mjs /tmp/prof/CPU….cpuprofile            # busy ms per second, totals
 *   node bench/cpuprofile.mjs /tmp/prof/CPU….cpuprofile 28 38      # only 28 s to 38 s
 *
 * The sampler counts time a thread was descheduled inside a system call to that call: on a
 * loaded machine `writev` to PostgreSQL stands for the backends it woke as much as for itself.
 */
import { readFileSync } from 'node:fs';
import process from 'node:process';

const [file, from, to] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/.*\/(dist|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;

const self = new Map();
const inclusive = new Map();
const perSecond = new Map();
let busy = 0;
let idle = 0;
let t = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i];
  const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  const node = byId.get(profile.samples[i]);
  const isIdle = node.callFrame.functionName === '(idle)';
  const second = Math.floor(t / 1e6);
  if (!isIdle) perSecond.set(second, (perSecond.get(second) ?? 0) + ms);
  if (from !== undefined && (t / 1e6 < Number(from) || t / 1e6 > Number(to))) continue;
  if (isIdle) {
    idle += ms;
    continue;
  }
  busy += ms;
  self.set(name(node), (self.get(name(node)) ?? 0) + ms);
  const seen = new Set();
  for (let id = node.id; id !== undefined; id = parent.get(id)) {
    const k = name(byId.get(id));
    if (seen.has(k)) continue; // recursion counts once
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
  }
}
if (from === undefined) {
  console.log(
    'busy ms per second:',
    [...perSecond].map(([s, v]) => `${s}:${v.toFixed(0)}`).join(' '),
  );
}
console.log(`busy ${busy.toFixed(0)} ms, idle ${idle.toFixed(0)} ms`);
const top = (m, k) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(
      ([f, v]) => `${v.toFixed(0).padStart(7)} ${((100 * v) / busy).toFixed(1).padStart(5)}%  ${f}`,
    )
    .join('\n');
console.log(`--- self ---\n${top(self, 40)}`);
console.log(`--- inclusive ---\n${top(inclusive, 60)}`);
