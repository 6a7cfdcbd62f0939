/* global URL, console -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Bulk import benchmark: 1,000,000 distinct IPv4 lines through `POST /api/lists/<id>/entries`
 * (wall time from the request's start to the parsed answer), against a raw COPY of the same
 * values into a plain table `copy_baseline (value text)` in the hub's own embedded PostgreSQL,
 * in the same run.
 *
 *   npm run build && node bench/import-bench.mjs
 *
 * Environment (optional): BENCH_LINES (1000000), BENCH_ROUNDS (3). Each round times the COPY
 * (into a freshly created table, dropped afterwards) and then an import into a new list;
 * the medians are compared.
 */
import { existsSync } from 'node:fs';
import process from 'node:process';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createList, fmt, importLines, median, startHub, table } from './lib/hub.mjs';

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Distinct public IPv4 addresses, first octet 11..26 (as the million-line e2e test). */
function addresses(n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = `${11 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.${1 + (i % 200)}`;
  }
  return out;
}

/** COPY the text (one value per line) into a new plain table; returns milliseconds. */
async function copyBaseline(config, text) {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS copy_baseline');
    await client.query('CREATE TABLE copy_baseline (value text)');
    const t0 = process.hrtime.bigint();
    await new Promise((resolve, reject) => {
      const stream = client.query(copyFrom('COPY copy_baseline (value) FROM STDIN'));
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(text);
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const { rows } = await client.query('SELECT count(*)::int AS n FROM copy_baseline');
    if (rows[0].n !== LINES) throw new Error(`COPY stored ${rows[0].n} rows`);
    return ms;
  } finally {
    await client.query('DROP TABLE IF EXISTS copy_baseline');
    await client.end();
  }
}

/**
 * The storage's own floor: COPY of the same values, sorted, into a table shaped like
 * list_entry with its primary key (what the hub's bulk path writes), no parsing, no checks.
 */
async function copyFloor(config, sortedValues) {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS copy_floor');
    await client.query(`CREATE TABLE copy_floor (
      list_seq int NOT NULL, value text COLLATE "C" NOT NULL, type text NOT NULL,
      first_batch int NOT NULL, last_batch int NOT NULL, confidence smallint,
      first_seen timestamptz, last_seen timestamptz, valid_until timestamptz, tags text[],
      note text, PRIMARY KEY (list_seq, value))`);
    const text = sortedValues.join('\tipv4\t\\N\t1\t1\t1\n') + '\tipv4\t\\N\t1\t1\t1\n';
    const t0 = process.hrtime.bigint();
    await new Promise((resolve, reject) => {
      const stream = client.query(
        copyFrom(
          'COPY copy_floor (value, type, valid_until, list_seq, first_batch, last_batch) FROM STDIN',
        ),
      );
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(text);
    });
    return Number(process.hrtime.bigint() - t0) / 1e6;
  } finally {
    await client.query('DROP TABLE IF EXISTS copy_floor');
    await client.end();
  }
}

async function main() {
  if (!existsSync(new URL('../dist/apps/hub/src/main.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  const values = addresses(LINES);
  if (new Set(values).size !== LINES) throw new Error('values are not distinct');
  const body = values.join('\n');
  const copyText = `${body}\n`;
  console.log(
    `import benchmark: ${LINES} IPv4 lines (${fmt(body.length / 1e6, 1)} MB), ${ROUNDS} round(s)`,
  );
  const hub = await startHub();
  try {
    const config = hub.pgConfig();
    const copies = [];
    const floors = [];
    const imports = [];
    const sorted = [...values].sort();
    let lastList;
    for (let round = 1; round <= ROUNDS; round++) {
      const copyMs = await copyBaseline(config, copyText);
      copies.push(copyMs);
      floors.push(await copyFloor(config, sorted));
      const listId = await createList(hub, { name: `bench import ${round}`, tlp: 'GREEN' });
      const t0 = process.hrtime.bigint();
      const result = await importLines(hub, listId, body);
      const importMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (result.added !== LINES) throw new Error(`import added ${result.added}`);
      imports.push(importMs);
      lastList = listId;
      console.log(
        `round ${round}: COPY ${fmt(copyMs, 0)} ms, import ${fmt(importMs, 0)} ms, ratio ${fmt(importMs / copyMs, 2)}x`,
      );
    }
    // The same million again into the last list: every value is sighted again (the merge).
    const t1 = process.hrtime.bigint();
    const again = await importLines(hub, lastList, body);
    const resightMs = Number(process.hrtime.bigint() - t1) / 1e6;
    if (again.resighted !== LINES) throw new Error(`re-import resighted ${again.resighted}`);
    const c = median(copies);
    const f = median(floors);
    const i = median(imports);
    console.log(`\nMedian of ${ROUNDS} round(s):\n`);
    console.log(
      table(
        ['case', 'wall time (ms)', 'lines/s', 'per round (ms)'],
        [
          [
            'raw COPY into copy_baseline(value text)',
            fmt(c, 0),
            fmt(LINES / (c / 1000), 0),
            copies.map((x) => fmt(x, 0)).join(', '),
          ],
          [
            'COPY into a list_entry-shaped table with its primary key (sorted)',
            fmt(f, 0),
            fmt(LINES / (f / 1000), 0),
            floors.map((x) => fmt(x, 0)).join(', '),
          ],
          [
            'POST /api/lists/<id>/entries (new list)',
            fmt(i, 0),
            fmt(LINES / (i / 1000), 0),
            imports.map((x) => fmt(x, 0)).join(', '),
          ],
          [
            'the same lines again into that list (all sighted again, once)',
            fmt(resightMs, 0),
            fmt(LINES / (resightMs / 1000), 0),
            fmt(resightMs, 0),
          ],
        ],
      ),
    );
    console.log(
      `\nStorage floor (COPY with the primary key) / COPY: ${fmt(f / c, 2)}x; import / floor: ${fmt(i / f, 2)}x`,
    );
    const ratio = i / c;
    console.log(
      `\nTarget: import within 4x of COPY: ${fmt(ratio, 2)}x -> ${ratio <= 4 ? 'MET' : 'MISSED'}`,
    );
  } finally {
    await hub.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
