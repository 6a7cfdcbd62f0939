/* global URL, console -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Bulk import and re-import benchmark (issue 16). In one run, against the hub's own embedded
 * PostgreSQL, each round measures:
 *
 *   floor     COPY of the same values, sorted, into a table shaped like list_entry with its
 *             primary key (list_entry has no other index), no parsing, no checks; once with
 *             full pages and once with list_entry's own fillfactor (50, ADR 0029);
 *   fresh     POST /api/lists/<id>/entries of BENCH_LINES distinct IPv4 lines into a new list
 *             (wall time from the request's start to the parsed answer);
 *   again     the same lines again into that list (the daily re-post of a full list: every
 *             value sighted again);
 *   changed   the same lines with ~1% replaced by new values, again into that list (the
 *             realistic daily re-post: a few addresses new, a few no longer listed).
 *
 * and prints the medians with the targets' ratios: fresh / floor (≤ 1.3×) and again / fresh
 * (≤ 1.5×). A plain one-column COPY is printed for scale.
 *
 *   npm run build && node bench/import-bench.mjs
 *
 * Environment (optional): BENCH_LINES (1000000; e.g. 100000 for a quick run), BENCH_ROUNDS (3).
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import process from 'node:process';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createList, fmt, importLines, median, startHub, table } from './lib/hub.mjs';
import { cpuNow } from './lib/proc-cpu.mjs';

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** One line in CHANGE_EVERY is replaced by a new value in the "changed" re-post (~1%). */
const CHANGE_EVERY = 100;

/** Distinct public IPv4 addresses, first octet 11..26 (as the million-line e2e test). */
function addresses(n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = `${11 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.${1 + (i % 200)}`;
  }
  return out;
}

/** The same list with every CHANGE_EVERY-th value replaced by one not in it (first octet 60+). */
function changed(values, round) {
  return values.map((v, i) =>
    i % CHANGE_EVERY ? v : `${60 + round}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`,
  );
}

function copy(client, sql, text) {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(sql));
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(text);
  });
}

/** COPY into a new table; returns milliseconds. */
async function timedCopy(config, create, sql, text) {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS bench_copy');
    await client.query(`CREATE TABLE bench_copy ${create}`);
    await client.query('CHECKPOINT');
    const t0 = process.hrtime.bigint();
    await copy(client, sql, text);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const { rows } = await client.query('SELECT count(*)::int AS n FROM bench_copy');
    if (rows[0].n !== LINES) throw new Error(`COPY stored ${rows[0].n} rows`);
    return ms;
  } finally {
    await client.query('DROP TABLE IF EXISTS bench_copy');
    await client.end();
  }
}

async function timedImport(hub, listId, body) {
  const c0 = cpuNow(hub.process.pid);
  const t0 = process.hrtime.bigint();
  const result = await importLines(hub, listId, body);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c1 = cpuNow(hub.process.pid);
  return { ms, hubCpu: c1.hub - c0.hub, pgCpu: c1.pg - c0.pg, result };
}

async function main() {
  if (!existsSync(new URL('../dist/apps/hub/src/main.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  const values = addresses(LINES);
  if (new Set(values).size !== LINES) throw new Error('values are not distinct');
  const body = values.join('\n');
  const sorted = [...values].sort();
  const plainText = `${body}\n`;
  const shapedText = sorted.join('\tipv4\t\\N\t1\t1\t1\n') + '\tipv4\t\\N\t1\t1\t1\n';
  console.log(
    `import benchmark: ${LINES} IPv4 lines (${fmt(body.length / 1e6, 1)} MB), ${ROUNDS} round(s)`,
  );
  console.log(
    `load average at start: ${loadavg()
      .map((x) => fmt(x, 2))
      .join(', ')}`,
  );
  const hub = await startHub();
  const t = { plain: [], floor: [], floor50: [], fresh: [], again: [], changed: [] };
  const cpu = { fresh: [], again: [], changed: [] };
  try {
    const config = hub.pgConfig();
    for (let round = 1; round <= ROUNDS; round++) {
      t.plain.push(
        await timedCopy(config, '(value text)', 'COPY bench_copy (value) FROM STDIN', plainText),
      );
      for (const [key, storage] of [
        ['floor', ''],
        ['floor50', ' WITH (fillfactor = 50)'],
      ]) {
        t[key].push(
          await timedCopy(
            config,
            `(list_seq int NOT NULL, value text COLLATE "C" NOT NULL, type text NOT NULL,
              first_batch int NOT NULL, last_batch int NOT NULL, confidence smallint,
              first_seen timestamptz, last_seen timestamptz, valid_until timestamptz, tags text[],
              note text, PRIMARY KEY (list_seq, value))${storage}`,
            'COPY bench_copy (value, type, valid_until, list_seq, first_batch, last_batch) FROM STDIN',
            shapedText,
          ),
        );
      }
      const listId = await createList(hub, { name: `bench import ${round}`, tlp: 'GREEN' });
      const fresh = await timedImport(hub, listId, body);
      if (fresh.result.added !== LINES) throw new Error(`import added ${fresh.result.added}`);
      t.fresh.push(fresh.ms);
      cpu.fresh.push(fresh);
      const again = await timedImport(hub, listId, body);
      if (again.result.resighted !== LINES || again.result.added !== 0) {
        throw new Error(`re-import: ${JSON.stringify(again.result).slice(0, 300)}`);
      }
      t.again.push(again.ms);
      cpu.again.push(again);
      const other = changed(values, round);
      const newOnes = Math.ceil(LINES / CHANGE_EVERY);
      const change = await timedImport(hub, listId, other.join('\n'));
      if (change.result.added !== newOnes || change.result.resighted !== LINES - newOnes) {
        throw new Error(`changed re-import: ${JSON.stringify(change.result).slice(0, 300)}`);
      }
      t.changed.push(change.ms);
      cpu.changed.push(change);
      console.log(
        `round ${round}: plain COPY ${fmt(t.plain.at(-1), 0)} ms, floor ${fmt(t.floor.at(-1), 0)} ms ` +
          `(fillfactor 50: ${fmt(t.floor50.at(-1), 0)} ms), ` +
          `fresh ${fmt(fresh.ms, 0)} ms, again ${fmt(again.ms, 0)} ms, 1% changed ${fmt(change.ms, 0)} ms; ` +
          `CPU hub/PostgreSQL: fresh ${fresh.hubCpu}/${fresh.pgCpu} ms, again ${again.hubCpu}/${again.pgCpu} ms, ` +
          `changed ${change.hubCpu}/${change.pgCpu} ms; load ${fmt(loadavg()[0], 2)}`,
      );
    }
    const m = Object.fromEntries(Object.entries(t).map(([k, xs]) => [k, median(xs)]));
    const row = (name, key, base, baseName) => [
      name,
      fmt(m[key], 0),
      fmt(LINES / (m[key] / 1000), 0),
      base ? `${fmt(m[key] / m[base], 2)}× ${baseName}` : '',
      t[key].map((x) => fmt(x, 0)).join(', '),
    ];
    console.log(`\nMedian of ${ROUNDS} round(s):\n`);
    console.log(
      table(
        ['case', 'wall time (ms)', 'lines/s', 'ratio', 'per round (ms)'],
        [
          row('plain COPY into (value text)', 'plain'),
          row(
            'floor: COPY into a list_entry-shaped table with its primary key',
            'floor',
            'plain',
            'plain',
          ),
          row("the same with list_entry's fillfactor 50", 'floor50', 'floor', 'floor'),
          row('fresh: POST /api/lists/<id>/entries into a new list', 'fresh', 'floor', 'floor'),
          row('again: the same lines into that list', 'again', 'fresh', 'fresh'),
          row('changed: the same with 1% new values, into that list', 'changed', 'fresh', 'fresh'),
        ],
      ),
    );
    // Ratios per round, each against its own round's baseline, beside the ratio of medians.
    const perRound = (a, b) => t[a].map((x, i) => fmt(x / t[b][i], 2)).join(', ');
    const verdict = (name, r, target) =>
      console.log(
        `${name}: ${fmt(r, 2)}× (target ≤ ${target}×) -> ${r <= target ? 'MET' : 'MISSED'}`,
      );
    console.log(
      `\nper round: fresh/floor ${perRound('fresh', 'floor')}; again/fresh ${perRound('again', 'fresh')}; changed/fresh ${perRound('changed', 'fresh')}\n`,
    );
    verdict('fresh import / COPY floor', m.fresh / m.floor, 1.3);
    verdict('fresh import / COPY floor with fillfactor 50', m.fresh / m.floor50, 1.3);
    verdict('re-import of the same lines / fresh import', m.again / m.fresh, 1.5);
    verdict('re-import with 1% changed / fresh import', m.changed / m.fresh, 1.5);
    console.log(
      `\nCPU time (median ms), hub / PostgreSQL: ` +
        Object.entries(cpu)
          .map(
            ([k, xs]) =>
              `${k} ${fmt(median(xs.map((x) => x.hubCpu)), 0)} / ${fmt(median(xs.map((x) => x.pgCpu)), 0)}`,
          )
          .join('; '),
    );
    console.log(
      `load average at end: ${loadavg()
        .map((x) => fmt(x, 2))
        .join(', ')}`,
    );
  } finally {
    await hub.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
