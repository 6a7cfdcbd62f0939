/* global console, fetch, performance -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Render benchmark (issue 17 item 5, ADR 0020): other requests' latency while the hub renders a
 * cold feed of BENCH_ENTRIES (2,000,000) lines. Before ADR 0020 such a render held the event loop
 * for its whole length (39.9 s, /readyz stalled for more than 30 s).
 *
 * One list of BENCH_ENTRIES distinct IPv4 addresses (one REST import, approved by the bench's
 * coordinator if the feed guard holds it). Probes: GET
 * /readyz and a small authenticated GraphQL query (`{ __typename }`), one after the other with a
 * 5 ms pause, timed from this process; beside them the hub's own event-loop delay
 * (bench/lib/loop-monitor.mjs). Phases of BENCH_DURATION seconds in the same run: the probes
 * alone (baseline), then the probes while one client pulls each of BENCH_FEEDS (comma-separated;
 * default ipv4.txt,all.csv,all.json,all.stix: streamed from PostgreSQL, ADR 0031 and 0037) cold,
 * again and again, then the same with BENCH_SHAPED_FEED (all.csv; none if empty) from a second
 * hub on the same database with FEED_RENDER=shaped (the old path, ADR 0020), whose probes and
 * event loop are then that hub's. Each pull asks with another min_confidence (0, 1, 2, ... all
 * below the entries'), a cache key of its own, so every pull is a fresh render of the same
 * lines; every render of a feed must give the same bytes, and the shaped CSV must be the
 * streamed CSV's bytes. The 1-minute load average is printed at start and end.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, createList, fmt, importLines, startHub, table } from './lib/hub.mjs';
import { loopDelay as readLoopDelay } from './lib/loop-delay.mjs';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 2_000_000);
const DURATION_MS = Number(process.env.BENCH_DURATION ?? 10) * 1000;
const FEEDS = (
  process.env.BENCH_FEEDS ??
  process.env.BENCH_FEED ??
  'ipv4.txt,all.csv,all.json,all.stix'
)
  .split(',')
  .filter(Boolean);
// The same entries through the hub's shaped path (ADR 0020), rendered in the same run by a
// second instance that is told to render every feed so (FEED_RENDER=shaped).
const SHAPED_FEED = process.env.BENCH_SHAPED_FEED ?? 'all.csv';
const load = () => loadavg()[0].toFixed(2);

const percentile = (xs, p) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

async function main() {
  const monitor = ['--import', pathToFileURL(join(ROOT, 'bench', 'lib', 'loop-monitor.mjs')).href];
  // A cold render of millions sends nothing for longer than the default idle timeout (60 s).
  const hub = await startHub({ nodeArgs: monitor, env: { HTTP_IDLE_TIMEOUT_MS: '600000' } });
  let shapedHub;
  const gql = (query, variables) => hub.gql(query, variables, hub.session);

  try {
    console.log(
      `render benchmark: ${fmt(ENTRIES, 0)} entries, /feeds/ ${FEEDS.join(', ')}, ${DURATION_MS / 1000} s per phase`,
    );
    const listId = await createList(hub, { name: 'render bench', tlp: 'GREEN' });
    // Distinct addresses in 1.0.0.0–126.255.255.255 minus the ranges the hub never blocks.
    const body = Array.from(
      { length: ENTRIES },
      (_, i) =>
        `${11 + ((i >>> 16) % 100)}.${(i >>> 8) & 255}.${i & 255}.${1 + Math.floor(i / 6_553_600)}`,
    ).join('\n');
    const t0 = performance.now();
    await importLines(hub, listId, body);
    console.log(`import: ${fmt((performance.now() - t0) / 1000)} s`);
    // An import this large waits for a coordinator (ADR 0012): the bench's admin is one.
    const { feedReviews } = await gql('{ feedReviews(state: HELD) { changeId } }');
    for (const { changeId } of feedReviews) {
      await gql('mutation($c: Int!) { approveFeedChange(changeId: $c, note: "bench") { state } }', {
        c: changeId,
      });
    }
    const { createApiToken } = await gql(
      'mutation { createApiToken(input: { name: "render bench", scopes: ["feeds:read"] }) { token } }',
    );
    let minConfidence = 0;
    // Per feed: every render of one feed must give the same bytes (the formats differ).
    const sha256s = new Map();
    const render =
      (feed, target, name = feed) =>
      async () => {
        const sep = feed.includes('?') ? '&' : '?';
        const res = await fetch(
          `${target.url}/feeds/${feed}${sep}min_confidence=${minConfidence++}`,
          {
            headers: {
              authorization: `Bearer ${createApiToken.token}`,
              'accept-encoding': 'identity',
            },
          },
        );
        const body = Buffer.from(await res.arrayBuffer());
        const bytes = body.length;
        const seen = sha256s.get(name) ?? new Set();
        sha256s.set(name, seen.add(createHash('sha256').update(body).digest('hex')));
        if (res.status !== 200) throw new Error(`feed: ${res.status}`);
        if (Number(res.headers.get('x-feed-entries')) !== ENTRIES) {
          throw new Error(`feed: ${res.headers.get('x-feed-entries')} entries, not ${ENTRIES}`);
        }
        return { entries: Number(res.headers.get('x-feed-entries')), bytes };
      };

    const phase = async (load, target = hub) => {
      const loopDelay = () => readLoopDelay(target);
      const readyz = [];
      const small = [];
      const renders = [];
      let failed = 0;
      let stop = false;
      await loopDelay(); // resets the hub's histogram
      const timed = async (into, request) => {
        const t1 = performance.now();
        try {
          await request();
        } catch {
          failed++;
        }
        into.push(performance.now() - t1);
      };
      const probes = (async () => {
        while (!stop) {
          await timed(readyz, async () => {
            const r = await fetch(`${target.url}/readyz`);
            await r.arrayBuffer();
            if (r.status !== 200) throw new Error(`readyz ${r.status}`);
          });
          await timed(small, () => target.gql('{ __typename }', undefined, hub.session));
          await sleep(5);
        }
      })();
      const started = performance.now();
      if (load) {
        while (performance.now() - started < DURATION_MS || renders.length === 0) {
          const t1 = performance.now();
          const out = await load().catch((e) => {
            console.error(hub.output.join('').split('\n').slice(-30).join('\n'));
            throw e;
          });
          renders.push({ ms: performance.now() - t1, ...out });
        }
      } else {
        await sleep(DURATION_MS);
      }
      stop = true;
      await probes;
      return {
        readyz,
        small,
        renders,
        failed,
        loop: await loopDelay(),
        seconds: (performance.now() - started) / 1000,
      };
    };

    if (SHAPED_FEED) {
      shapedHub = await startHub({
        databaseUrl: hub.databaseUrl(),
        keysDir: hub.keysDir,
        nodeArgs: monitor,
        env: { FEED_RENDER: 'shaped', HTTP_IDLE_TIMEOUT_MS: '600000' },
      });
    }
    console.log(`load average (1 min) at start: ${load()}`);
    const base = await phase(undefined);
    const phases = [];
    for (const feed of FEEDS) {
      phases.push([feed, await phase(render(feed, hub))]);
      console.log(`  ${feed} done, load ${load()}`);
    }
    if (SHAPED_FEED) {
      const name = `${SHAPED_FEED} (shaped)`;
      phases.push([name, await phase(render(SHAPED_FEED, shapedHub, name), shapedHub)]);
    }
    console.log(`load average (1 min) at end: ${load()}`);
    console.log(
      `every render of a feed gave the same bytes: ${[...sha256s.values()].every((s) => s.size === 1) ? 'yes' : 'NO'}`,
    );
    if (SHAPED_FEED && sha256s.has(SHAPED_FEED)) {
      const [a] = sha256s.get(SHAPED_FEED);
      const [b] = sha256s.get(`${SHAPED_FEED} (shaped)`);
      console.log(
        `streamed and shaped ${SHAPED_FEED} gave the same bytes: ${a === b ? 'yes' : 'NO'}`,
      );
    }
    const stats = (xs) =>
      `${fmt(percentile(xs, 50))} / ${fmt(percentile(xs, 99))} / ${fmt(Math.max(...xs))}`;
    // CPU of the renders: the phase's CPU minus what its probes cost in the baseline phase
    // (the hub does nothing else there).
    const probeCpu = base.loop.cpuMs / base.readyz.length;
    const perRender = (p) =>
      Math.max(0, p.loop.cpuMs - probeCpu * p.readyz.length) / p.renders.length;
    for (const [name, p] of phases) {
      console.log(
        `${name}: ${p.renders.length} renders, each ${p.renders
          .map((r) => `${fmt(r.ms, 0)} ms (${fmt(r.entries, 0)} lines, ${fmt(r.bytes / 1e6)} MB)`)
          .join(', ')}; failed probes ${p.failed} (baseline ${base.failed})`,
      );
    }
    const column = (f) => [f(base), ...phases.map(([, p]) => f(p))];
    console.log(
      table(
        [
          'probe (p50 / p99 / max ms)',
          'baseline (no render)',
          ...phases.map(([name]) => `during cold ${name}`),
        ],
        [
          ['GET /readyz', ...column((p) => stats(p.readyz))],
          ['GraphQL { __typename }', ...column((p) => stats(p.small))],
          [
            'hub event-loop delay',
            ...column((p) => `p99 ${fmt(p.loop.p99)} / max ${fmt(p.loop.max)}`),
          ],
          [
            'hub CPU per render (not inflated by waiting for a core)',
            `${fmt(base.loop.cpuMs, 0)} ms in ${fmt(base.seconds)} s (${fmt(probeCpu)} ms per probe pair)`,
            ...phases.map(
              ([, p]) => `${fmt(perRender(p), 0)} ms (phase ${fmt(p.loop.cpuMs, 0)} ms)`,
            ),
          ],
          [
            'render wall time (median / max ms)',
            '',
            ...phases.map(([, p]) => {
              const ms = p.renders.map((r) => r.ms);
              return `${fmt(percentile(ms, 50), 0)} / ${fmt(Math.max(...ms), 0)}`;
            }),
          ],
          ['probes', ...column((p) => String(p.readyz.length))],
        ],
      ),
    );
  } finally {
    await shapedHub?.stop();
    await hub.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
