/* global console, fetch, performance, Buffer, URL -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * What the database alone costs a fresh import (issue 16, ADR 0034): the same million sorted
 * rows COPYed, as the login role, into the floor table (list_entry's shape with its primary
 * key, new), and into the real list_entry with its statement triggers in several settings,
 * each into a list of its own, in a transaction rolled back. Prints the backend's CPU time
 * (/proc/<pid>/stat; a loaded machine stretches it far less than wall time) beside the
 * floor's, and the wall time for scale.
 *
 * Then, in the same rounds, the hub's side of a fresh import (issue 16, ADR 0039):
 *   hub, before its COPY   the CPU of the hub process for a fresh import of the same lines refused
 *                          by one bad last line (body, parse, time bounds, guards, own ranges: all
 *                          it does before its transaction), plus the CPU of the hub's own sort
 *                          (the compiled sortInTurns and de-duplication of bareLines) of the
 *                          same lines, run in this process;
 *   whole import           POST of the lines into a new list: wall time and the CPU of the hub
 *                          and of its PostgreSQL (every process below the hub);
 *   least pipeline         (session 7) this process splits, parses, sorts and COPYs the same body
 *                          into the real list_entry as the bulk path does, nothing else: the
 *                          physical floor end to end, wall time beside the floor's.
 *
 *   npm run build && node bench/import-floor.mjs
 *
 * Environment (optional): BENCH_LINES (1000000), BENCH_ROUNDS (3).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import process from 'node:process';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createList, fmt, importLines, median, startHub, table } from './lib/hub.mjs';
import { cpuNow } from './lib/proc-cpu.mjs';
import { sortUnique, splitLines } from './lib/split-sort.mjs';

// The hub's own sort and parser, compiled (CommonJS in dist/).
const require = createRequire(import.meta.url);
const {
  sortInTurns,
  sortedRanges,
} = require('../dist/libs/indicators/src/imports/sort-in-turns.js');

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const CASES = [
  ['floor: list_entry-shaped table + PK, new', { floor: 100 }],
  ['the same with fillfactor 50', { floor: 50 }],
  ['list_entry, entry check, default work_mem', {}],
  ["list_entry, entry check, the bulk path's work_mem (256MB)", { workMem: true }],
  ['list_entry, entry check disabled', { workMem: true, noCheck: true }],
  ['list_entry, entry check, rows unsorted', { workMem: true, unsorted: true }],
];

const addresses = (n) =>
  Array.from(
    { length: n },
    (_, i) => `${11 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.${1 + (i % 200)}`,
  );

const cpuMs = (u0) => {
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1000;
};

/**
 * The least this runtime does before the first sorted row can be written, on the body's bytes,
 * in one thread: split into lines, (optionally) each checked by the hub's parseIndicator, sorted
 * in list_entry's key order and de-duplicated. Latin1 decoding keeps one byte per character, so
 * the default string order is byte order (the key's COLLATE "C"), and is the fastest decoding.
 */
function splitSortOne(body, parse) {
  const u0 = process.cpuUsage();
  const t0 = performance.now();
  const { length: n } = sortUnique(splitLines(body, parse));
  return { wall: performance.now() - t0, cpu: cpuMs(u0), n };
}

/**
 * Whether the sort could overlap the write instead of preceding it: the hub's own sortedRanges
 * (ADR 0042: one pass deals the lines into ~16,000-line key ranges, then each range is sorted
 * when asked for), timed to its first range, which is all the first COPY row needs (each later
 * range is sorted while PostgreSQL takes the earlier ones), and to its last. `parseFirst`: every
 * line parsed by parseIndicator before it is dealt (a parsed value decides its range);
 * otherwise only the split. CPU of this process (one thread; the workers are idle meanwhile).
 */
async function rangesFirst(body, parseFirst) {
  const u0 = process.cpuUsage();
  const lines = splitLines(body, parseFirst);
  let first;
  let n = 0;
  for await (const part of sortedRanges(lines)) {
    first ??= cpuMs(u0);
    n += part.length;
  }
  return { first, all: cpuMs(u0), n };
}

/**
 * The same over two worker threads of a pool started before: the body (in shared memory, as
 * the hub would hold it) cut at the line boundary nearest its middle, each half split, checked,
 * sorted and de-duplicated in a worker, then merged on this thread a chunk of 10,000 COPY
 * lines at a time, as it would stream into the COPY. Wall times: both halves back, the first
 * chunk ready (the earliest the COPY could start), the whole merge; CPU of this process (the
 * two workers and the merge).
 */
async function splitSortTwo(shared, length, workers, parse) {
  const bytes = new Uint8Array(shared, 0, length);
  let cut = bytes.indexOf(0x0a, length >> 1);
  cut = cut < 0 ? length : cut + 1;
  const u0 = process.cpuUsage();
  const t0 = performance.now();
  const halves = await Promise.all(
    [
      [0, cut],
      [cut, length],
    ].map(
      ([start, end], k) =>
        new Promise((resolve, reject) => {
          workers[k].once('message', resolve);
          workers[k].once('error', reject);
          workers[k].postMessage({ sab: shared, start, end, parse });
        }),
    ),
  );
  const back = performance.now() - t0;
  const a = halves[0].text.split('\n');
  const b = halves[1].text.split('\n');
  const suffix = '\tipv4\t\\N\t1\t1\t1\n';
  let first;
  let i = 0;
  let j = 0;
  let n = 0;
  let last;
  const chunk = [];
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (v === last) continue;
    last = v;
    chunk.push(v);
    n++;
    if (chunk.length === 10_000) {
      chunk.join(suffix).concat(suffix);
      first ??= performance.now() - t0;
      chunk.length = 0;
    }
  }
  chunk.join(suffix).concat(suffix);
  const wall = performance.now() - t0;
  return { back, first: first ?? wall, wall, cpu: cpuMs(u0), halves: halves.map((h) => h.ms), n };
}

/**
 * A new list of `name`, and a transaction begun with a batch of it written as its owner (as the
 * bulk path has it before its COPY); answers the COPY lines' suffix after the value.
 */
async function beginBatch(c, hub, name, workMem) {
  const listId = await createList(hub, { name, tlp: 'GREEN' });
  const [list] = (
    await c.query('SELECT seq, owner_org_id FROM indicator_list WHERE id = $1', [listId])
  ).rows;
  await c.query('CHECKPOINT');
  await c.query('BEGIN');
  const [{ id }] = (
    await c.query(
      `INSERT INTO entry_batch (list_seq, owner_org_id, source, confidence, seen_at, valid_until)
       VALUES ($1, $2, 'text', 50, now(), now() + interval '30 days') RETURNING id`,
      [list.seq, list.owner_org_id],
    )
  ).rows;
  await c.query(`SELECT set_config('renkei.org_id', $1, true)`, [list.owner_org_id]);
  if (workMem) await c.query(`SET LOCAL work_mem = '256MB'`);
  return `\tipv4\t\\N\t${list.seq}\t${id}\t${id}\n`;
}

/**
 * The least pipeline, end to end (issue 16): this process does only what no importer can skip
 * (split the body's bytes into lines, check each with the hub's parseIndicator, then the hub's
 * own sortedRanges: deal the keys into ranges and sort each as the COPY asks for it; or, when
 * not `ranges`, one native sort of all of them, which holds the event loop as the hub may not
 * but is the fastest here on the benchmark's nearly ordered lines) and streams
 * the ranges, 10,000 lines a chunk with backpressure, into the real list_entry exactly as the
 * hub's bulk path writes it (same columns, entry check, work_mem, login role). No HTTP, no row
 * objects, no guards, no batch bookkeeping. Wall time from the body's bytes to the COPY's end,
 * beside the floor's wall time: what separates it from the floor is physics on this machine,
 * what separates the hub's whole import from it is the hub's own work. Rolled back.
 */
async function leastPipeline(c, hub, name, bodyBytes, ranges) {
  const suffix = await beginBatch(c, hub, name, true);
  const t0 = process.hrtime.bigint();
  const lines = splitLines(bodyBytes, true);
  const s = c.query(
    copyFrom(
      'COPY list_entry (value, type, valid_until, list_seq, first_batch, last_batch) FROM STDIN',
    ),
  );
  const done = new Promise((resolve, reject) => {
    s.on('finish', resolve);
    s.on('error', reject);
  });
  let first;
  let n = 0;
  for await (const part of ranges ? sortedRanges(lines) : [sortUnique(lines)]) {
    first ??= Number(process.hrtime.bigint() - t0) / 1e6;
    n += part.length;
    for (let i = 0; i < part.length; i += 10_000) {
      const chunk = part
        .slice(i, i + 10_000)
        .join(suffix)
        .concat(suffix);
      if (!s.write(chunk)) await once(s, 'drain');
    }
  }
  s.end();
  await done;
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  await c.query('ROLLBACK');
  return { first, wall, n };
}

async function main() {
  console.log(
    `load average at start: ${loadavg()
      .map((x) => fmt(x, 2))
      .join(', ')}`,
  );
  const unsorted = addresses(LINES);
  const sorted = [...unsorted].sort();
  const hub = await startHub();
  const c = new pg.Client(hub.pgConfig());
  c.on('error', () => undefined);
  await c.connect();
  const cpu = (pid) => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  };
  const copy = (sql, text) =>
    new Promise((resolve, reject) => {
      const s = c.query(copyFrom(sql));
      s.on('finish', resolve);
      s.on('error', reject);
      s.end(text);
    });
  const times = CASES.map(() => ({ cpu: [], wall: [] }));
  const hubSide = { parse: [], sort: [], first: [], wall: [], hub: [], pg: [] };
  const body = unsorted.join('\n');
  // The parse-and-sort floor's inputs: the body's bytes, also in shared memory for the workers.
  const bodyBytes = Buffer.from(body);
  const shared = new SharedArrayBuffer(bodyBytes.length);
  bodyBytes.copy(Buffer.from(shared));
  const workers = [0, 1].map(
    () => new Worker(new URL('./lib/split-sort-worker.mjs', import.meta.url)),
  );
  const least = { one: [], oneParse: [], two: [], twoParse: [], ranges: [], rangesParsed: [] };
  const pipeline = { ranges: [], native: [] };
  try {
    const [{ pid }] = (await c.query('SELECT pg_backend_pid() AS pid')).rows;
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [k, [, o]] of CASES.entries()) {
        let sql;
        let text;
        if (o.floor) {
          await c.query('DROP TABLE IF EXISTS bench_copy');
          await c.query(`CREATE TABLE bench_copy (list_seq int NOT NULL, value text COLLATE "C" NOT NULL,
              type text NOT NULL, first_batch int NOT NULL, last_batch int NOT NULL, confidence smallint,
              first_seen timestamptz, last_seen timestamptz, valid_until timestamptz, tags text[], note text,
              PRIMARY KEY (list_seq, value)) WITH (fillfactor = ${o.floor})`);
          await c.query('BEGIN');
          sql =
            'COPY bench_copy (value, type, valid_until, list_seq, first_batch, last_batch) FROM STDIN';
          text = sorted.join('\tipv4\t\\N\t1\t1\t1\n') + '\tipv4\t\\N\t1\t1\t1\n';
        } else {
          const suffix = await beginBatch(c, hub, `floor ${round} ${k}`, o.workMem);
          if (o.noCheck) {
            await c.query(`ALTER TABLE list_entry DISABLE TRIGGER "TRG_list_entry_check_insert"`);
          }
          sql =
            'COPY list_entry (value, type, valid_until, list_seq, first_batch, last_batch) FROM STDIN';
          text = (o.unsorted ? unsorted : sorted).join(suffix) + suffix;
        }
        const c0 = cpu(pid);
        const t0 = process.hrtime.bigint();
        await copy(sql, text);
        times[k].wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
        times[k].cpu.push(cpu(pid) - c0);
        await c.query('ROLLBACK');
      }
      // The least pipeline end to end, into a list of its own, both ways.
      for (const [way, ranges] of [
        ['ranges', true],
        ['native', false],
      ]) {
        pipeline[way].push(
          await leastPipeline(c, hub, `floor ${round} least ${way}`, bodyBytes, ranges),
        );
        if (pipeline[way].at(-1).n !== LINES) throw new Error(`least pipeline: not ${LINES} keys`);
      }
      // The least parse and sort, on this process's cores while the hub is idle.
      least.one.push(splitSortOne(bodyBytes, false));
      least.oneParse.push(splitSortOne(bodyBytes, true));
      least.two.push(await splitSortTwo(shared, bodyBytes.length, workers, false));
      least.twoParse.push(await splitSortTwo(shared, bodyBytes.length, workers, true));
      least.ranges.push(await rangesFirst(bodyBytes, false));
      least.rangesParsed.push(await rangesFirst(bodyBytes, true));
      for (const [k, xs] of Object.entries(least)) {
        if (xs.at(-1).n !== LINES) throw new Error(`${k}: ${xs.at(-1).n} keys`);
      }
      // The rolled-back COPYs above left millions of dead rows, which the import's scan of what
      // members receive (the growth rule, ADR 0034) would read through, and autovacuum (counted
      // as PostgreSQL's CPU) would clean meanwhile: gone before the hub's part is measured.
      await c.query('VACUUM list_entry');
      await c.query('CHECKPOINT');
      // The hub before its COPY: the same lines refused by their last one.
      const listId = await createList(hub, { name: `floor ${round} refused`, tlp: 'GREEN' });
      let c0 = cpuNow(hub.process.pid);
      const res = await fetch(`${hub.url}/api/lists/${listId}/entries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${hub.session}`, 'content-type': 'text/plain' },
        body: `${body}\nnot an address`,
      });
      const refused = await res.json();
      if (refused.applied !== false || refused.rejectedCount !== 1) {
        throw new Error(`refused import: ${res.status} ${JSON.stringify(refused).slice(0, 300)}`);
      }
      hubSide.parse.push(cpuNow(hub.process.pid).hub - c0.hub);
      const u0 = process.cpuUsage();
      const keys = await sortInTurns([...unsorted]);
      let n = 0;
      for (let i = 0; i < keys.length; i++)
        if (n === 0 || keys[i] !== keys[n - 1]) keys[n++] = keys[i];
      const u1 = process.cpuUsage(u0);
      hubSide.sort.push((u1.user + u1.system) / 1000);
      // What a fresh import's sort now puts before its first row (ADR 0042): sortedRanges to
      // its first range (the rest is sorted while the COPY takes the earlier ranges).
      const u2 = process.cpuUsage();
      for await (const part of sortedRanges([...unsorted])) {
        if (part.length) break;
      }
      const u3 = process.cpuUsage(u2);
      hubSide.first.push((u3.user + u3.system) / 1000);
      // The whole import, into a new list.
      const freshId = await createList(hub, { name: `floor ${round} fresh`, tlp: 'GREEN' });
      c0 = cpuNow(hub.process.pid);
      const t0 = process.hrtime.bigint();
      const fresh = await importLines(hub, freshId, body);
      hubSide.wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const c1 = cpuNow(hub.process.pid);
      if (fresh.added !== LINES) throw new Error(`import added ${fresh.added}`);
      hubSide.hub.push(c1.hub - c0.hub);
      hubSide.pg.push(c1.pg - c0.pg);
      // Every round's import into the same hub: this one's entries go again.
      await c.query(
        'DELETE FROM list_entry WHERE list_seq = (SELECT seq FROM indicator_list WHERE id = $1)',
        [freshId],
      );
      console.log(
        `round ${round}: backend CPU ${times.map((t) => t.cpu.at(-1)).join(', ')} ms; ` +
          `hub before COPY ${hubSide.parse.at(-1)} + sort ${fmt(hubSide.sort.at(-1), 0)} ms; ` +
          `least split+sort: one thread ${fmt(least.one.at(-1).wall, 0)} ms, with parse ${fmt(least.oneParse.at(-1).wall, 0)} ms, ` +
          `two workers to first chunk ${fmt(least.two.at(-1).first, 0)} ms, with parse ${fmt(least.twoParse.at(-1).first, 0)} ms; ` +
          `least pipeline ${fmt(pipeline.ranges.at(-1).wall, 0)} ms (first row ${fmt(pipeline.ranges.at(-1).first, 0)} ms), ` +
          `native sort ${fmt(pipeline.native.at(-1).wall, 0)} ms (${fmt(pipeline.native.at(-1).first, 0)} ms); ` +
          `import ${fmt(hubSide.wall.at(-1), 0)} ms (floor ${fmt(times[0].wall.at(-1), 0)} ms), CPU hub/PostgreSQL ${hubSide.hub.at(-1)}/${hubSide.pg.at(-1)} ms; ` +
          `load ${fmt(loadavg()[0], 2)}`,
      );
    }
    const floor = median(times[0].cpu);
    console.log(`\nMedian of ${ROUNDS} round(s), ${LINES} sorted rows (unless said):\n`);
    console.log(
      table(
        ['COPY into', 'backend CPU (ms)', '× floor', 'wall (ms)', 'CPU per round (ms)'],
        CASES.map(([name], k) => [
          name,
          fmt(median(times[k].cpu), 0),
          fmt(median(times[k].cpu) / floor, 2),
          fmt(median(times[k].wall), 0),
          times[k].cpu.join(', '),
        ]),
      ),
    );
    const m = Object.fromEntries(Object.entries(hubSide).map(([k, xs]) => [k, median(xs)]));
    const perRound = (xs) => xs.map((x) => fmt(x, 0)).join(', ');
    console.log(`\nThe fresh import's parts, same rounds (medians; × the floor's backend CPU):\n`);
    console.log(
      table(
        ['part', 'ms', '× floor', 'per round (ms)'],
        [
          [
            '(a) floor: COPY into the shaped table + PK, backend CPU',
            fmt(floor, 0),
            '1.00',
            times[0].cpu.join(', '),
          ],
          [
            '(b) COPY into list_entry as the import writes it, backend CPU',
            fmt(median(times[3].cpu), 0),
            fmt(median(times[3].cpu) / floor, 2),
            times[3].cpu.join(', '),
          ],
          [
            '(c) hub before its COPY: body, parse, guards (CPU)',
            fmt(m.parse, 0),
            fmt(m.parse / floor, 2),
            perRound(hubSide.parse),
          ],
          [
            "(c') hub's sort and de-duplication of the lines, sortInTurns (CPU)",
            fmt(m.sort, 0),
            fmt(m.sort / floor, 2),
            perRound(hubSide.sort),
          ],
          [
            "(c'') the fresh import's sortedRanges, to its first range (CPU)",
            fmt(m.first, 0),
            fmt(m.first / floor, 2),
            perRound(hubSide.first),
          ],
          [
            '(a) floor, wall time',
            fmt(median(times[0].wall), 0),
            fmt(median(times[0].wall) / floor, 2),
            perRound(times[0].wall),
          ],
          ...[
            ['ranges', 'key ranges'],
            ['native', 'one native sort'],
          ].map(([way, name]) => {
            const xs = pipeline[way];
            const wall = median(xs.map((x) => x.wall));
            return [
              `(e) least pipeline end to end, ${name}: wall time (to its first row)`,
              `${fmt(wall, 0)} (${fmt(median(xs.map((x) => x.first)), 0)})`,
              `${fmt(wall / median(times[0].wall), 2)} × floor wall`,
              `${perRound(xs.map((x) => x.wall))} (× floor wall: ${xs.map((x, i) => fmt(x.wall / times[0].wall[i], 2)).join(', ')})`,
            ];
          }),
          [
            '(d) whole import, wall time',
            fmt(m.wall, 0),
            fmt(m.wall / floor, 2),
            perRound(hubSide.wall),
          ],
          [
            '(d) whole import, wall time / (a) floor, wall time',
            '',
            fmt(m.wall / median(times[0].wall), 2),
            hubSide.wall.map((w, i) => fmt(w / times[0].wall[i], 2)).join(', '),
          ],
          [
            '(d) whole import, CPU of the hub',
            fmt(m.hub, 0),
            fmt(m.hub / floor, 2),
            perRound(hubSide.hub),
          ],
          [
            '(d) whole import, CPU of PostgreSQL',
            fmt(m.pg, 0),
            fmt(m.pg / floor, 2),
            perRound(hubSide.pg),
          ],
        ],
      ),
    );
    console.log(
      `\nserial path with two free cores, (c) + (c') + (b): ${fmt(m.parse + m.sort + median(times[3].cpu), 0)} ms = ` +
        `${fmt((m.parse + m.sort + median(times[3].cpu)) / floor, 2)}× the floor before ADR 0042; ` +
        `(c) + (c'') + (b): ${fmt((m.parse + m.first + median(times[3].cpu)) / floor, 2)}× now`,
    );
    // The physical floor of the hub's part (issue 16, 2026-12-06): the least any code in this
    // runtime does on the critical path before the first sorted row can be written.
    const med = (k, f) => median(least[k].map(f));
    const sortedCopy = median(times[3].cpu);
    const lines = [
      [
        'one thread: split, sort, de-duplicate (CPU)',
        med('one', (x) => x.cpu),
        least.one,
        (x) => x.cpu,
      ],
      [
        'one thread: split, parseIndicator, sort, de-duplicate (CPU)',
        med('oneParse', (x) => x.cpu),
        least.oneParse,
        (x) => x.cpu,
      ],
      [
        'two workers: split, sort; wall to both halves back',
        med('two', (x) => x.back),
        least.two,
        (x) => x.back,
      ],
      [
        'two workers: split, sort; wall to the first merged chunk',
        med('two', (x) => x.first),
        least.two,
        (x) => x.first,
      ],
      [
        'two workers: split, sort; wall to the whole merge',
        med('two', (x) => x.wall),
        least.two,
        (x) => x.wall,
      ],
      [
        'two workers: split, sort, merge; CPU of all threads',
        med('two', (x) => x.cpu),
        least.two,
        (x) => x.cpu,
      ],
      [
        'two workers with parseIndicator; wall to the first merged chunk',
        med('twoParse', (x) => x.first),
        least.twoParse,
        (x) => x.first,
      ],
      [
        'two workers with parseIndicator; wall to the whole merge',
        med('twoParse', (x) => x.wall),
        least.twoParse,
        (x) => x.wall,
      ],
      [
        'key ranges (sortedRanges), one thread: split, to the first range sorted (CPU)',
        med('ranges', (x) => x.first),
        least.ranges,
        (x) => x.first,
      ],
      [
        'key ranges (sortedRanges), one thread: split, every range sorted (CPU)',
        med('ranges', (x) => x.all),
        least.ranges,
        (x) => x.all,
      ],
      [
        'key ranges, every line parsed first: to the first range sorted (CPU)',
        med('rangesParsed', (x) => x.first),
        least.rangesParsed,
        (x) => x.first,
      ],
      [
        'two workers with parseIndicator; CPU of all threads',
        med('twoParse', (x) => x.cpu),
        least.twoParse,
        (x) => x.cpu,
      ],
      ['(b) COPY into list_entry, rows sorted (backend CPU)', sortedCopy, null],
      ['the same, rows in input order (backend CPU)', median(times[5].cpu), null],
    ];
    console.log(
      `\nThe least parse and sort before the first row, same body bytes (× the floor's backend CPU):\n`,
    );
    console.log(
      table(
        ['part', 'ms', '× floor', 'per round (ms)'],
        lines.map(([name, ms, xs, f]) => [
          name,
          fmt(ms, 0),
          fmt(ms / floor, 2),
          xs ? perRound(xs.map(f)) : '',
        ]),
      ),
    );
    // With every line parsed (what the hub must do before the first row), the fastest way.
    const ways = [
      ['one thread', med('oneParse', (x) => x.cpu)],
      ['two workers', med('twoParse', (x) => x.first)],
      ['key ranges', med('rangesParsed', (x) => x.first)],
    ].sort((a, b) => a[1] - b[1]);
    const [fastest, critical] = ways[0];
    console.log(
      `\nphysical floor: (b) ${fmt(sortedCopy, 0)} ms + the least parse and sort before the first row ` +
        `(${fastest}, ${fmt(critical, 0)} ms; ${ways.map(([w, ms]) => `${w} ${fmt(ms, 0)}`).join(', ')}) = ` +
        `${fmt((sortedCopy + critical) / floor, 2)}× the floor; today's (c) + (c') + (b): ` +
        `${fmt((m.parse + m.sort + sortedCopy) / floor, 2)}×; split and first range only (no parse): ` +
        `${fmt((sortedCopy + med('ranges', (x) => x.first)) / floor, 2)}×`,
    );
    console.log(
      `load average at end: ${loadavg()
        .map((x) => fmt(x, 2))
        .join(', ')}`,
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    await c.end();
    await hub.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
