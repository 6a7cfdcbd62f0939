/* global console -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * What the database alone costs a fresh import (issue 16, ADR 0034): the same million sorted
 * rows COPYed, as the login role, into the floor table (list_entry's shape with its primary
 * key, new), and into the real list_entry with its statement triggers in several settings,
 * each into a list of its own, in a transaction rolled back. Prints the backend's CPU time
 * (/proc/<pid>/stat; a loaded machine stretches it far less than wall time) beside the
 * floor's, and the wall time for scale.
 *
 *   npm run build && node bench/import-floor.mjs
 *
 * Environment (optional): BENCH_LINES (1000000), BENCH_ROUNDS (3).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import process from 'node:process';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createList, fmt, median, startHub, table } from './lib/hub.mjs';

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
          const listId = await createList(hub, { name: `floor ${round} ${k}`, tlp: 'GREEN' });
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
          if (o.workMem) await c.query(`SET LOCAL work_mem = '256MB'`);
          if (o.noCheck) {
            await c.query(`ALTER TABLE list_entry DISABLE TRIGGER "TRG_list_entry_check_insert"`);
          }
          const suffix = `\tipv4\t\\N\t${list.seq}\t${id}\t${id}\n`;
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
      console.log(
        `round ${round}: backend CPU ${times.map((t) => t.cpu.at(-1)).join(', ')} ms; load ${fmt(loadavg()[0], 2)}`,
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
    console.log(
      `load average at end: ${loadavg()
        .map((x) => fmt(x, 2))
        .join(', ')}`,
    );
  } finally {
    await c.end();
    await hub.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
