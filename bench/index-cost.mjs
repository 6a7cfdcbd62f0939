/* global console -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * What one index costs a bulk COPY: the same 1,000,000 sorted IPv4 values COPYed into a table
 * shaped like list_entry with no index, a BRIN index, one B-tree, the primary key, a hash
 * index, against the plain one-column COPY of the import benchmark, all in the hub's own
 * embedded PostgreSQL, in one run. It explains the import benchmark's floor (docs/benchmarks.md).
 *
 *   npm run build && node bench/index-cost.mjs
 *
 * Environment (optional): BENCH_LINES (1000000), BENCH_ROUNDS (2).
 */
import process from 'node:process';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { fmt, median, startHub, table } from './lib/hub.mjs';

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const SHAPE = `(list_seq int NOT NULL, value text COLLATE "C" NOT NULL, type text NOT NULL,
  first_batch int NOT NULL, last_batch int NOT NULL, confidence smallint, first_seen timestamptz,
  last_seen timestamptz, valid_until timestamptz, tags text[], note text)`;

const CASES = [
  ['plain one-column table (the import benchmark baseline)', null, []],
  ["list_entry's shape, no index", SHAPE, []],
  ['... with a BRIN index on list_seq', SHAPE, ['CREATE INDEX ON t USING brin (list_seq)']],
  ['... with a B-tree on list_seq', SHAPE, ['CREATE INDEX ON t (list_seq)']],
  [
    '... with the primary key (list_seq, value)',
    SHAPE,
    ['ALTER TABLE t ADD PRIMARY KEY (list_seq, value)'],
  ],
  ['... with a hash index on value', SHAPE, ['CREATE INDEX ON t USING hash (value)']],
];

function copy(client, sql, text) {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(sql));
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(text);
  });
}

async function main() {
  const values = [];
  for (let i = 0; i < LINES; i++) {
    values.push(`${11 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.${1 + (i % 200)}`);
  }
  values.sort();
  const plain = values.join('\n') + '\n';
  const shaped = values.join('\tipv4\t\\N\t1\t1\t1\n') + '\tipv4\t\\N\t1\t1\t1\n';
  console.log(`index cost: ${LINES} sorted IPv4 values, ${ROUNDS} round(s)`);
  const hub = await startHub();
  const client = new pg.Client(hub.pgConfig());
  await client.connect();
  const times = CASES.map(() => []);
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [k, [, shape, indexes]] of CASES.entries()) {
        await client.query('DROP TABLE IF EXISTS t');
        await client.query(`CREATE TABLE t ${shape ?? '(value text)'}`);
        for (const sql of indexes) await client.query(sql);
        await client.query('CHECKPOINT');
        const t0 = process.hrtime.bigint();
        await (shape
          ? copy(
              client,
              'COPY t (value, type, valid_until, list_seq, first_batch, last_batch) FROM STDIN',
              shaped,
            )
          : copy(client, 'COPY t (value) FROM STDIN', plain));
        times[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
    await client.query('DROP TABLE IF EXISTS t');
    const base = median(times[0]);
    console.log(
      '\n' +
        table(
          ['COPY into', 'median ms', 'x plain COPY', 'per round (ms)'],
          CASES.map(([name], k) => [
            name,
            fmt(median(times[k]), 0),
            fmt(median(times[k]) / base, 2),
            times[k].map((x) => fmt(x, 0)).join(', '),
          ]),
        ),
    );
  } finally {
    await client.end();
    await hub.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
