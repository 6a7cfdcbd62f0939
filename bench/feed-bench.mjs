/* global Buffer, URL, console -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Feed benchmark: a blocklist feed of 100,000 IPv4 entries, served by the hub and, for the
 * identical bytes, by nginx (Debian package) from a static file on loopback.
 *
 *   npm run build && node bench/feed-bench.mjs
 *
 * Environment (optional): BENCH_CONNECTIONS (32), BENCH_DURATION seconds (10), BENCH_ROUNDS (2,
 * hub and nginx alternate each round), BENCH_ENTRIES (100000), BENCH_RENDERS (5),
 * BENCH_RENDER_ONLY (1: stop after the single requests, no nginx, no autocannon).
 * nginx is installed with apt-get when missing (needs root).
 *
 * Measured: (a) a fresh render after a change (one entry added, then the next GET), median of
 * BENCH_RENDERS, with the hub's CPU time for it; beside it, after the same change, the same lines
 * as all.txt, which the hub still shapes itself (ADR 0020; ipv4.txt is streamed, ADR 0031); (b) an unchanged feed, one 200 request; (c) one conditional request answered
 * 304; (d) requests per second with autocannon (same client, same headers, same settings for
 * both servers) for full 200 responses and for 304 answers to If-None-Match. Single requests
 * open a new connection each; autocannon keeps its connections alive.
 */
import autocannon from 'autocannon';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { ROOT, createList, fmt, importLines, median, startHub, table } from './lib/hub.mjs';
import { loopDelay } from './lib/loop-delay.mjs';
import { startNginx } from './lib/nginx.mjs';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000);
const RENDERS = Number(process.env.BENCH_RENDERS ?? 5);
const RENDER_ONLY = process.env.BENCH_RENDER_ONLY === '1';

/** Distinct public IPv4 addresses: first octet 20..90, no special-purpose range. */
function addresses(n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const a = 20 + (i % 71);
    const x = Math.floor(i / 71);
    out[i] = `${a}.${1 + Math.floor(x / 250)}.${1 + (x % 250)}.${1 + ((i * 7) % 250)}`;
  }
  return out;
}

/** One GET on a new connection: time to the response head, to the first body byte, to the end. */
function timed(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const req = request(url, { headers, agent: false }, (res) => {
      const head = ms();
      let firstByte;
      const chunks = [];
      res.on('data', (c) => {
        firstByte ??= ms();
        chunks.push(c);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          head,
          ttfb: firstByte ?? head,
          total: ms(),
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function cannon(url, headers, expectStatus) {
  const run = (duration) =>
    autocannon({ url, headers, connections: CONNECTIONS, duration, pipelining: 1 });
  await run(2); // warm-up, not counted
  const r = await run(DURATION);
  const expected = expectStatus === 200 ? r['2xx'] : r['3xx'];
  const total = r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'];
  if (expected !== total || r.errors || r.timeouts) {
    throw new Error(
      `${url}: expected only ${expectStatus}, got 2xx=${r['2xx']} 3xx=${r['3xx']} 4xx=${r['4xx']} 5xx=${r['5xx']} errors=${r.errors} timeouts=${r.timeouts}`,
    );
  }
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mbps: r.throughput.average / 1e6,
  };
}

async function main() {
  if (!existsSync(new URL('../dist/apps/hub/src/main.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  console.log(
    `feed benchmark: ${ENTRIES} IPv4 entries, autocannon ${CONNECTIONS} connections x ${DURATION} s, ${ROUNDS} round(s)`,
  );
  console.log(`load average (1 min) at start: ${loadavg()[0].toFixed(2)}`);
  const hub = await startHub({
    nodeArgs: ['--import', pathToFileURL(join(ROOT, 'bench', 'lib', 'loop-monitor.mjs')).href],
  });
  let nginx;
  try {
    const listId = await createList(hub, { name: 'bench feed', tlp: 'GREEN' });
    const values = addresses(ENTRIES);
    const t0 = Date.now();
    const imported = await importLines(hub, listId, values.join('\n'));
    console.log(`imported ${imported.added} entries in ${Date.now() - t0} ms`);
    // A large import waits for a coordinator (ADR 0012): the bench's admin is one.
    const { feedReviews } = await hub.gql(
      '{ feedReviews(state: HELD) { changeId } }',
      {},
      hub.session,
    );
    for (const { changeId } of feedReviews) {
      await hub.gql(
        'mutation($c: Int!) { approveFeedChange(changeId: $c, note: "bench") { state } }',
        { c: changeId },
        hub.session,
      );
    }
    const feedsToken = (
      await hub.gql(
        'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
        { i: { name: 'bench firewall', scopes: ['feeds:read'] } },
        hub.session,
      )
    ).createApiToken.token;
    const auth = { authorization: `Bearer ${feedsToken}` };
    const feedUrl = `${hub.url}/feeds/ipv4.txt`;

    // (a) fresh render after a change: add one entry, then time the next GET.
    const renders = [];
    const shapedRenders = [];
    const withCpu = async (url) => {
      await loopDelay(hub);
      const r = await timed(url, auth);
      if (r.status !== 200) throw new Error(`feed answered ${r.status}`);
      return { ...r, cpuMs: (await loopDelay(hub)).cpuMs };
    };
    for (let i = 0; i < RENDERS; i++) {
      await importLines(hub, listId, `91.${1 + i}.2.3`);
      renders.push(await withCpu(feedUrl));
      shapedRenders.push(await withCpu(`${hub.url}/feeds/all.txt`));
      if (!shapedRenders.at(-1).body.equals(renders.at(-1).body))
        throw new Error('all.txt differs from ipv4.txt');
    }
    const cpu = (rs) => fmt(median(rs.map((r) => r.cpuMs)), 0);
    console.log(
      `fresh render, median of ${RENDERS}: ipv4.txt (streamed) ${fmt(median(renders.map((r) => r.total)))} ms wall, ` +
        `${cpu(renders)} ms hub CPU; all.txt (shaped, same bytes) ${fmt(median(shapedRenders.map((r) => r.total)))} ms wall, ` +
        `${cpu(shapedRenders)} ms hub CPU; load average ${loadavg()[0].toFixed(2)}`,
    );
    // (b), (c) unchanged feed: the body rendered last, then a single 200 and a single 304.
    const hub200 = await timed(feedUrl, auth);
    const body = hub200.body;
    const etag = hub200.headers.etag;
    const entries = Number(hub200.headers['x-feed-entries']);
    if (!body.equals(renders.at(-1).body))
      throw new Error('unchanged feed differs from last render');
    if (entries !== ENTRIES + RENDERS) {
      throw new Error(`feed has ${entries} entries, expected ${ENTRIES + RENDERS}`);
    }
    const hub304 = await timed(feedUrl, { ...auth, 'if-none-match': etag });
    if (hub304.status !== 304) throw new Error(`conditional feed answered ${hub304.status}`);
    console.log(`feed: ${entries} entries, ${body.length} bytes, ETag ${etag}`);
    if (RENDER_ONLY) return;

    // nginx with the identical bytes.
    nginx = await startNginx(body);
    const ng200 = await timed(nginx.url, auth);
    if (!ng200.body.equals(body)) throw new Error('nginx serves different bytes');
    const ngEtag = ng200.headers.etag;
    const ng304 = await timed(nginx.url, { ...auth, 'if-none-match': ngEtag });
    if (ng304.status !== 304) throw new Error(`nginx conditional answered ${ng304.status}`);

    const rows = [];
    const mid = (k) => median(renders.map((r) => r[k]));
    rows.push([
      `fresh render after change (median of ${RENDERS})`,
      fmt(mid('head')),
      fmt(mid('ttfb')),
      fmt(mid('total')),
      '-',
      '-',
    ]);
    rows.push([
      'unchanged, 200',
      fmt(hub200.head),
      fmt(hub200.ttfb),
      fmt(hub200.total),
      fmt(ng200.ttfb),
      fmt(ng200.total),
    ]);
    rows.push([
      'unchanged, 304 (If-None-Match)',
      fmt(hub304.head),
      fmt(hub304.ttfb),
      fmt(hub304.total),
      fmt(ng304.ttfb),
      fmt(ng304.total),
    ]);
    console.log('\nSingle requests (ms, new connection each):\n');
    console.log(
      table(['case', 'hub head', 'hub TTFB', 'hub total', 'nginx TTFB', 'nginx total'], rows),
    );
    console.log(`\nrender totals (ms): ${renders.map((r) => fmt(r.total)).join(', ')}`);

    // (d) throughput, hub and nginx alternating per round.
    const results = { hub200: [], ng200: [], hub304: [], ng304: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`\nround ${round}/${ROUNDS} ...`);
      results.hub200.push(await cannon(feedUrl, auth, 200));
      results.ng200.push(await cannon(nginx.url, auth, 200));
      results.hub304.push(await cannon(feedUrl, { ...auth, 'if-none-match': etag }, 304));
      results.ng304.push(await cannon(nginx.url, { ...auth, 'if-none-match': ngEtag }, 304));
      for (const [k, v] of Object.entries(results)) {
        const x = v.at(-1);
        console.log(
          `  ${k.padEnd(6)} ${fmt(x.rps)} req/s  p50 ${x.p50} ms  p99 ${x.p99} ms  ${fmt(x.mbps)} MB/s`,
        );
      }
    }
    const m = (k, f) => median(results[k].map((x) => x[f]));
    const ratio200 = m('hub200', 'rps') / m('ng200', 'rps');
    const ratio304 = m('hub304', 'rps') / m('ng304', 'rps');
    console.log(
      `\nThroughput (autocannon, ${CONNECTIONS} connections, ${DURATION} s, pipelining 1; median of ${ROUNDS} round(s)):\n`,
    );
    console.log(
      table(
        ['case', 'hub req/s', 'hub p50/p99 ms', 'nginx req/s', 'nginx p50/p99 ms', 'hub/nginx'],
        [
          [
            `200, ${fmt(body.length / 1e6, 2)} MB body`,
            fmt(m('hub200', 'rps')),
            `${m('hub200', 'p50')}/${m('hub200', 'p99')}`,
            fmt(m('ng200', 'rps')),
            `${m('ng200', 'p50')}/${m('ng200', 'p99')}`,
            fmt(ratio200, 2),
          ],
          [
            '304 (If-None-Match)',
            fmt(m('hub304', 'rps')),
            `${m('hub304', 'p50')}/${m('hub304', 'p99')}`,
            fmt(m('ng304', 'rps')),
            `${m('ng304', 'p50')}/${m('ng304', 'p99')}`,
            fmt(ratio304, 2),
          ],
        ],
      ),
    );
    const renderMs = mid('total');
    console.log('\nTargets:');
    console.log(
      `  unchanged 200 >= 0.5x nginx req/s: ${fmt(ratio200, 2)}x -> ${ratio200 >= 0.5 ? 'MET' : 'MISSED'}`,
    );
    console.log(
      `  unchanged 304 >= 0.5x nginx req/s: ${fmt(ratio304, 2)}x -> ${ratio304 >= 0.5 ? 'MET' : 'MISSED'}`,
    );
    console.log(
      `  fresh render < 1000 ms: ${fmt(renderMs)} ms -> ${renderMs < 1000 ? 'MET' : 'MISSED'}`,
    );
  } finally {
    await nginx?.stop();
    await hub.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
