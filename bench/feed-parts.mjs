/* global console -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Feed parts: what segmenting by address (ADR 0013) costs in lines and balance, against the
 * whole feed, on a synthetic blocklist shaped like a DoS campaign's: scattered single addresses
 * plus blocks of several sizes, some of them containing listed addresses. Pure functions of the
 * compiled hub (`dist/`), no server.
 *
 *   npm run build && node bench/feed-parts.mjs
 *
 * Environment (optional): BENCH_ADDRESSES (100000), BENCH_SEED (1).
 *
 * Printed per part count n, with and without aggregate=true: the lines of the whole feed and of
 * the n parts together, the largest and smallest part, and the mean time to render one part (the
 * whole feed's render time beside its lines).
 * Also, for comparison, how many addresses the previous per-entry hash put in two parts at once.
 */
import { createRequire } from 'node:module';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { table } from './lib/hub.mjs';

const require = createRequire(import.meta.url);
const { shapeFeed, fnv1a } = require('../dist/libs/indicators/src/feeds/feed-render.js');
const { AllowList } = require('../dist/libs/indicators/src/feeds/allow-list.js');
const {
  countAddresses,
  parseV4Span,
} = require('../dist/libs/indicators/src/feeds/cidr-aggregate.js');

const ADDRESSES = Number(process.env.BENCH_ADDRESSES ?? 100000);
let seed = Number(process.env.BENCH_SEED ?? 1);
const random = () => {
  // mulberry32: a reproducible list for a given seed.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const dotted = (n) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const publicAddress = () => {
  for (;;) {
    const top = 1 + Math.floor(random() * 222);
    if (![10, 100, 127, 169, 172, 192, 198, 203].includes(top)) {
      return ((top << 24) >>> 0) + Math.floor(random() * 2 ** 24);
    }
  }
};
const block = (len) => {
  const size = 2 ** (32 - len);
  const start = Math.floor(publicAddress() / size) * size;
  return `${dotted(start)}/${len}`;
};

const values = [];
for (let i = 0; i < ADDRESSES; i++) values.push(dotted(publicAddress()));
for (const [len, count] of [
  [24, ADDRESSES / 50],
  [20, ADDRESSES / 500],
  [16, ADDRESSES / 5000],
]) {
  for (let i = 0; i < count; i++) {
    const b = block(len);
    values.push(b);
    // A few listed addresses inside the block, as two sources reporting the same network do.
    const { first } = parseV4Span(b);
    for (let k = 0; k < 3; k++) values.push(dotted(first + Math.floor(random() * 2 ** (32 - len))));
  }
}
const T = new Date('2026-12-01T00:00:00Z');
const rows = values.map((value) => ({
  value,
  type: value.includes('/') ? 'ipv4-cidr' : 'ipv4',
  confidence: 50,
  firstSeen: T,
  lastSeen: T,
  validUntil: T,
  tags: [],
  tlp: 'GREEN',
}));
const allow = new AllowList();

const out = [];
for (const aggregate of [false, true]) {
  const wholeStarted = performance.now();
  const whole = shapeFeed(rows, allow, { aggregate }).entries.map((e) => e.value);
  const wholeMs = performance.now() - wholeStarted;
  for (const n of [2, 3, 4, 10, 16]) {
    const started = performance.now();
    const parts = [];
    for (let k = 1; k <= n; k++) {
      parts.push(
        shapeFeed(rows, allow, { aggregate, parts: n, part: k }).entries.map((e) => e.value),
      );
    }
    const ms = performance.now() - started;
    const sizes = parts.map((p) => p.length);
    const lines = sizes.reduce((a, b) => a + b, 0);
    const covered = parts.reduce((a, p) => a + countAddresses(p), 0n);
    out.push([
      aggregate ? 'yes' : 'no',
      String(n),
      `${whole.length} (${wholeMs.toFixed(0)} ms)`,
      `${lines} (${(((lines - whole.length) / whole.length) * 100).toFixed(2)} %)`,
      `${Math.max(...sizes)} / ${Math.min(...sizes)}`,
      covered === countAddresses(whole) ? 'yes' : 'NO',
      `${(ms / n).toFixed(0)} ms`,
    ]);
  }
}
console.log(
  `${values.length} entries (${ADDRESSES} addresses, blocks /24 /20 /16 with addresses inside)`,
);
console.log(
  table(
    [
      'aggregate',
      'parts',
      'whole lines',
      'parts lines',
      'largest / smallest',
      'disjoint',
      'render one part (mean)',
    ],
    out,
  ),
);

// The previous rule, for comparison: the part of an entry was fnv1a(entry) mod n, so an address
// inside a listed block could be in the block's part and in its own.
const n = 2;
const blocks = values
  .filter((v) => v.includes('/'))
  .map((b) => ({ ...parseV4Span(b), part: fnv1a(b) % n }));
blocks.sort((a, b) => a.first - b.first);
let twice = 0;
for (const v of values) {
  if (v.includes('/')) continue;
  const a = parseV4Span(v).first;
  if (blocks.some((b) => b.first <= a && a <= b.last && b.part !== fnv1a(v) % n)) twice++;
}
console.log(`previous per-entry hash, ${n} parts: ${twice} listed addresses were in both parts`);
