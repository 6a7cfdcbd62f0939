/* global console, fetch, performance -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * The hub at national scale (issue 16): generates the population of population.mjs on a fresh
 * hub (A) with PostgreSQL's bulk tools, then measures each figure beside its baseline from the
 * same run. A second fresh hub (B) holds the baselines that need a small database: the same
 * million-line import into an empty database, then only the probe's million GREEN entries.
 *
 *   npm run build && node bench/scale/run.mjs          # full scale, within an hour
 *   BENCH_SCALE=0.05 node bench/scale/run.mjs          # a quick run
 *
 * Environment: BENCH_SCALE (1), BENCH_IMPORT_LINES (1000000 × scale), BENCH_READERS (50),
 * BENCH_SUBSCRIBERS (10000 × scale, over BENCH_INSTANCES=4 instances), BENCH_PUSH_REPORTS (10),
 * BENCH_DURATION s for throughput and write phases (10), BENCH_FEED_ROUNDS of interleaved 304
 * phases (3), BENCH_FEED_AUTOVACUUM (off: none during them), BENCH_FEED_WRITES per second to a
 * list the probe does not see during one more 304 phase (5; 0: none), BENCH_TAXII_BUDGET s for
 * paging the million (300), BENCH_INBOX_REQUESTS per concurrent reader (2), BENCH_ONLY
 * (comma-separated parts: feed,import,lookup,lists,inbox,taxii,jobs,push).
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { descendantsCpuMs } from '../lib/proc-cpu.mjs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import { createList, fmt, importLines, median, ROOT, startHub, table } from '../lib/hub.mjs';
import { generate } from './population.mjs';
import { pushPhase } from './push.mjs';
import { sessionsFor, stats, timedFetch } from './util.mjs';
import { startNginx } from '../lib/nginx.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const IMPORT_LINES = Number(process.env.BENCH_IMPORT_LINES ?? Math.round(1_000_000 * SCALE));
const READERS = Number(process.env.BENCH_READERS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const FEED_ROUNDS = Number(process.env.BENCH_FEED_ROUNDS ?? 3);
const WRITES_PER_S = Number(process.env.BENCH_FEED_WRITES ?? 5);
const TAXII_BUDGET_S = Number(process.env.BENCH_TAXII_BUDGET ?? 300);
const INBOX_REQUESTS = Number(process.env.BENCH_INBOX_REQUESTS ?? 2);
const ONLY = (process.env.BENCH_ONLY ?? 'feed,import,lookup,lists,inbox,taxii,jobs,push').split(
  ',',
);
const on = (part) => ONLY.includes(part);

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const started = Date.now();
const log = (s) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${s}`);
const results = [];
const result = (figure, value, baseline, note = '') => {
  results.push([figure, value, baseline, note]);
  log(`${figure}: ${value}  (baseline: ${baseline}) ${note}`);
};

const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
console.log(
  `national scale bench: scale ${SCALE}, commit ${commit}, ${new Date().toISOString()}, load ${load()}`,
);

// Statements sent by hub A (its own count file) and by hub B (another); other instances count
// nothing.
const counted = () => join(mkdtempSync(join(tmpdir(), 'renkei-scale-count-')), 'queries');
const countFile = counted();
const countFileB = counted();
const counterArgs = [
  '--import',
  join(ROOT, 'bench', 'scale', 'count-queries.mjs'),
  '--import',
  join(ROOT, 'bench', 'scale', 'loop-delay.mjs'),
];
const countIn = async (file) => {
  await sleep(250); // the preload writes every 100 ms
  try {
    return Number(readFileSync(file, 'utf8'));
  } catch {
    return 0; // nothing sent yet
  }
};
const queryCount = () => countIn(countFile);
async function startCounted(file = countFile) {
  process.env.RENKEI_QUERY_COUNT_FILE = file;
  try {
    return await startHub({ nodeArgs: counterArgs });
  } finally {
    delete process.env.RENKEI_QUERY_COUNT_FILE;
  }
}

/** Peak resident memory of a process since the last reset, and a reset (Linux /proc). */
const vm = (pid, key) =>
  Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) /
  1024;
const resetPeak = (pid) => writeFileSync(`/proc/${pid}/clear_refs`, '5');
const cpuMs = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, USER_HZ 100
};

const addresses = (n, base) =>
  Array.from({ length: n }, (_, i) => {
    const x = base + i;
    return `${(x >>> 24) & 255}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
  }).join('\n');

async function superuser(hub) {
  const client = new pg.Client(hub.pgConfig());
  client.on('error', () => {}); // the server stops before the bench ends the client
  await client.connect();
  return client;
}

/**
 * A change to a list, as an import would make it: one more entry. The national list's is seen
 * by the probe; another's (`member list 1`, AMBER to a sector the probe is not in) is not.
 */
async function touchNational(db, i, list = 'national list 1') {
  await db.query(
    `INSERT INTO list_entry (list_seq, value, type, first_batch, last_batch)
     SELECT l.seq, '9.9.' || ($1::int / 256) || '.' || ($1::int % 256), 'ipv4', b.id, b.id
       FROM indicator_list l JOIN entry_batch b ON b.list_seq = l.seq
      WHERE l.name = $2 LIMIT 1`,
    [i, list],
  );
  await db.query(`UPDATE indicator_list SET updated_at = now() WHERE name = $1`, [list]);
}

async function orgAdmin(db, where, params = []) {
  const { rows } = await db.query(
    `SELECT u.id, u.organisation_id FROM hub_user u JOIN organisation o ON o.id = u.organisation_id
      WHERE u.role = 'org_admin' AND ${where} ORDER BY u.email LIMIT 1`,
    params,
  );
  return rows[0];
}

async function feedToken(hub, session) {
  return (
    await hub.gql(
      'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
      { i: { name: 'scale bench', scopes: ['feeds:read'] } },
      session,
    )
  ).createApiToken.token;
}

/**
 * A full feed render: time, bytes, entries, the hub's peak RSS and CPU during it. `after`: the
 * ETag of the body before a change the bench just made; the hub hears of the change through
 * PostgreSQL's notification a moment later, and until then rightly answers 304 to it (the
 * old body is still current as far as it knows): asked again until the new body comes.
 */
async function render(hub, token, after) {
  const pid = hub.process.pid;
  for (let waited = 0; ; waited++) {
    resetPeak(pid);
    const before = vm(pid, 'VmRSS');
    const cpu0 = cpuMs(pid);
    const r = await timedFetch(`${hub.url}/feeds/ipv4.txt`, {
      authorization: `Bearer ${token}`,
      ...(after ? { 'if-none-match': after } : {}),
    });
    if (r.status === 304 && waited < 100) {
      await sleep(50);
      continue;
    }
    if (r.status !== 200) throw new Error(`feed answered ${r.status}`);
    if (waited) log(`render: the change was heard after ${waited} conditional pull(s)`);
    return {
      ms: r.ms,
      body: r.body,
      entries: Number(r.headers.get('x-feed-entries')),
      etag: r.headers.get('etag'),
      peakMb: vm(pid, 'VmHWM'),
      rssBeforeMb: before,
      cpuMs: cpuMs(pid) - cpu0,
    };
  }
}

/** CPU ms used so far by a process's main thread, and by all its other threads together. */
function threadCpuMs(pid) {
  let main = 0;
  let others = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const f = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8').split(') ')[1].split(' ');
      const ms = (Number(f[11]) + Number(f[12])) * 10;
      if (Number(task) === pid) main += ms;
      else others += ms;
    } catch {
      // gone meanwhile
    }
  }
  return { main, others };
}

/**
 * 304s a second for one token and ETag (autocannon, 32 connections) at `target` (a hub, or
 * nginx serving the same bytes), with what the phase cost: the server's CPU per 1,000 answers
 * (which waiting for a core does not inflate; nginx: master and workers), a hub's PostgreSQL's
 * CPU over the phase and the statements the hub sent a second (count-queries preload; compare
 * with idleStatements), and the 1-minute load at its start.
 */
async function throughput304(target) {
  const { url, token, pid, file } = target;
  if (file) {
    // The ETag current now: a change the hub heard of after the last render would make every
    // answer of the phase a 200.
    const current = await timedFetch(url, {
      authorization: `Bearer ${token}`,
      'if-none-match': target.etag,
    });
    if (current.status === 200) {
      log(`304 phase: the feed changed since ${target.etag}; now ${current.headers.get('etag')}`);
      target.etag = current.headers.get('etag');
    } else if (current.status !== 304) {
      throw new Error(`feed answered ${current.status}`);
    }
  }
  const cpu = () => cpuMs(pid) + (file ? 0 : descendantsCpuMs(pid));
  const threads0 = file ? threadCpuMs(pid) : undefined;
  const at = {
    load: loadavg()[0],
    cpu: cpu(),
    pg: file ? descendantsCpuMs(pid) : 0,
    q: file ? await countIn(file) : 0,
  };
  const res = await autocannon({
    url,
    headers: { authorization: `Bearer ${token}`, 'if-none-match': target.etag },
    connections: 32,
    duration: DURATION,
    pipelining: 1,
  });
  // autocannon counts 304 as non-2xx: every answer must be one.
  if (res['2xx'] || res.errors || res.timeouts) {
    throw new Error(`304 phase: ${res['2xx']} full answers, ${res.errors} errors`);
  }
  const n = res.non2xx;
  const threads = file ? threadCpuMs(pid) : undefined;
  return {
    mainPer1000: file ? ((threads.main - threads0.main) * 1000) / n : NaN,
    othersPer1000: file ? ((threads.others - threads0.others) * 1000) / n : NaN,
    rps: res.requests.average,
    n,
    load: at.load,
    cpuPer1000: ((cpu() - at.cpu) * 1000) / n,
    pgCpuMs: file ? descendantsCpuMs(pid) - at.pg : NaN,
    statementsPerS: file ? ((await countIn(file)) - at.q) / DURATION : NaN,
  };
}

/**
 * Statements a second a hub sends with no request at all (alert and webhook schedulers, the
 * outbox): what a 304 phase is compared with. A 304 at a steady state sends none itself.
 */
async function idleStatements(file, seconds = 5) {
  const q0 = await countIn(file);
  await sleep(seconds * 1000);
  return ((await countIn(file)) - q0) / (seconds + 0.25);
}

// The console's inbox operation (apps/console/src/routes/inbox-page.tsx, INBOX + InboxReports).
const INBOX = `query Inbox($first: Int!, $filter: ReportFilter, $lists: Boolean!, $listFilter: IndicatorListFilter) {
  reports(first: $first, filter: $filter) {
    totalCount
    totalCountCapped
    pageInfo { hasNextPage endCursor }
    edges { node { id title kind tlp status publishedAt createdAt exercise unread author { label } } }
  }
  unreadReportCount
  unreadReportCountCapped
  indicatorLists(first: 50, filter: $listFilter) @include(if: $lists) {
    edges { node { id name tlp status createdAt sectors liveEntries exercise author { label } } }
  }
}`;

const hubB = await startCounted(countFileB);
log(`hub B listening (pid ${hubB.process.pid})`);
let hubA;
const extra = [];
const extraStops = []; // other servers (nginx)
try {
  // Baseline hub B: the import into an empty database, then only the probe's million.
  const dbB = await superuser(hubB);
  const importInput = (name) => ({ name, tlp: 'AMBER', audience: { sectorCodes: ['finance'] } });
  const body = addresses(IMPORT_LINES, 0x5a000000);
  let importB;
  if (on('import')) {
    const listB = await createList(hubB, importInput('scale import'));
    const t0 = performance.now();
    const r = await importLines(hubB, listB, body);
    importB = performance.now() - t0;
    log(`B: import of ${r.added} lines into an empty database: ${fmt(importB, 0)} ms`);
  }
  let renderB;
  let feedB;
  if (on('feed')) {
    const t0 = Date.now();
    await generate(dbB, { scale: SCALE, only: 'national', log: (s) => log(`B gen${s}`) });
    log(`B: population for the baseline in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const probeB = await orgAdmin(dbB, `o.name = 'Probe operator'`);
    const [sessionB] = await sessionsFor(dbB, [probeB.id]);
    const tokenB = await feedToken(hubB, sessionB);
    renderB = [await render(hubB, tokenB)];
    for (let i = 0; i < 2; i++) {
      await touchNational(dbB, i);
      renderB.push(await render(hubB, tokenB, renderB.at(-1).etag));
    }
    log(`B: renders ${renderB.map((r) => `${fmt(r.ms, 0)} ms/${fmt(r.peakMb, 0)} MB`).join(', ')}`);
    // The 304 phases of B are interleaved with A's below, once A has rendered.
    feedB = { token: tokenB, etag: renderB.at(-1).etag };
  }
  await dbB.end();

  // Hub A: the nation.
  log(`load before generation ${load()}`);
  hubA = await startCounted();
  log(`hub A listening (pid ${hubA.process.pid})`);
  const db = await superuser(hubA);
  const g0 = Date.now();
  const { counts, lists } = await generate(db, { scale: SCALE, log: (s) => log(`A gen${s}`) });
  const generationS = (Date.now() - g0) / 1000;
  log(`A: population generated in ${generationS.toFixed(1)} s: ${JSON.stringify(counts)}`);
  const { rows: sizes } = await db.query(
    `SELECT pg_size_pretty(pg_database_size(current_database())) AS db,
            pg_size_pretty(pg_total_relation_size('list_entry')) AS entries`,
  );
  log(`A: database ${sizes[0].db}, list_entry with indexes ${sizes[0].entries}; load ${load()}`);

  const probe = await orgAdmin(db, `o.name = 'Probe operator'`);
  const [probeSession] = await sessionsFor(db, [probe.id]);
  const probeToken = await feedToken(hubA, probeSession);

  if (on('feed')) {
    const renders = [await render(hubA, probeToken)];
    for (let i = 0; i < 2; i++) {
      await touchNational(db, i);
      renders.push(await render(hubA, probeToken, renders.at(-1).etag));
    }
    log(`A: renders ${renders.map((r) => `${fmt(r.ms, 0)} ms/${fmt(r.peakMb, 0)} MB`).join(', ')}`);
    if (renders[0].entries !== renderB[0].entries) {
      throw new Error(`probe sees ${renders[0].entries} entries on A, ${renderB[0].entries} on B`);
    }
    // 304s: small hub (B), national hub (A) and nginx serving A's bytes (N) interleaved, the
    // order turning by round, so that load from elsewhere falls on all alike.
    const nginx = await startNginx(renders.at(-1).body);
    extraStops.push(nginx);
    const ngEtag = (await timedFetch(nginx.url, {})).headers.get('etag');
    const targets = {
      A: {
        url: `${hubA.url}/feeds/ipv4.txt`,
        token: probeToken,
        etag: renders.at(-1).etag,
        pid: hubA.process.pid,
        file: countFile,
      },
      B: { url: `${hubB.url}/feeds/ipv4.txt`, ...feedB, pid: hubB.process.pid, file: countFileB },
      N: { url: nginx.url, token: probeToken, etag: ngEtag, pid: nginx.process.pid },
    };
    const phases = { A: [], B: [], N: [] };
    const autovacuum = async () =>
      (
        await db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`,
        )
      ).rows[0].n;
    if (process.env.BENCH_FEED_AUTOVACUUM === 'off') {
      // An experiment: the freshly generated 2 GB keep an autovacuum worker busy on A for
      // minutes (B's million is done sooner); stop it on both for the 304 rounds.
      for (const hub of [hubA, hubB]) {
        const c = await superuser(hub);
        await c.query('ALTER SYSTEM SET autovacuum = off');
        await c.query('SELECT pg_reload_conf()');
        await c.query(
          `SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`,
        );
        await c.end();
      }
      log('autovacuum off on A and B for the 304 rounds (BENCH_FEED_AUTOVACUUM=off)');
    }
    const idle = { A: await idleStatements(countFile), B: await idleStatements(countFileB) };
    log(`idle statements a second: A ${fmt(idle.A, 1)}, B ${fmt(idle.B, 1)}; load ${load()}`);
    const order = ['B', 'A', 'N'];
    for (let round = 0; round < FEED_ROUNDS; round++) {
      for (const which of [...order.slice(round % 3), ...order.slice(0, round % 3)]) {
        const vacuuming = await autovacuum();
        const p = await throughput304(targets[which]);
        phases[which].push(p);
        log(
          `304 round ${round + 1} ${which}: ${fmt(p.rps, 0)} req/s, CPU ${fmt(p.cpuPer1000, 1)} ms per 1,000` +
            (which === 'N'
              ? ''
              : ` (main thread ${fmt(p.mainPer1000, 1)}, others ${fmt(p.othersPer1000, 1)}), ${fmt(p.statementsPerS, 1)} statements/s (idle ${fmt(idle[which], 1)}), its PostgreSQL ${fmt(p.pgCpuMs, 0)} ms CPU`) +
            `; load ${p.load.toFixed(2)}; A's autovacuum workers ${vacuuming}`,
        );
      }
    }
    const med = (which, key) => median(phases[which].map((p) => p[key]));
    // Members post all day: 304s on A while lists the probe does not see change. Each change
    // raises the change counter every instance checks its bodies against.
    let writes;
    if (WRITES_PER_S > 0) {
      let stop = false;
      let n = 0;
      const writer = (async () => {
        while (!stop) {
          await touchNational(db, 1000 + n++, 'member list 1');
          await sleep(1000 / WRITES_PER_S);
        }
      })();
      const p = await throughput304(targets.A);
      stop = true;
      await writer;
      writes = { ...p, n };
      log(
        `304s on A with ${fmt(n / DURATION, 1)} changes/s to a list the probe does not see: ${fmt(p.rps, 0)} req/s, ` +
          `CPU ${fmt(p.cpuPer1000, 1)} ms per 1,000, ${fmt(p.statementsPerS, 1)} statements/s (idle ${fmt(idle.A, 1)}); load ${p.load.toFixed(2)}`,
      );
    }
    result(
      `feed render, ${fmt(renders[0].entries, 0)} entries, cold (ms)`,
      fmt(renders[0].ms, 0),
      fmt(renderB[0].ms, 0),
      `ratio ${(renders[0].ms / renderB[0].ms).toFixed(2)}; hub CPU ${fmt(renders[0].cpuMs, 0)} vs ${fmt(renderB[0].cpuMs, 0)} ms`,
    );
    result(
      'feed render after a change, median of 2 (ms)',
      fmt(median(renders.slice(1).map((r) => r.ms)), 0),
      fmt(median(renderB.slice(1).map((r) => r.ms)), 0),
      `hub CPU ${fmt(median(renders.slice(1).map((r) => r.cpuMs)), 0)} vs ${fmt(median(renderB.slice(1).map((r) => r.cpuMs)), 0)} ms`,
    );
    result(
      'hub peak RSS during the renders (MB, VmHWM)',
      fmt(Math.max(...renders.map((r) => r.peakMb)), 0),
      fmt(Math.max(...renderB.map((r) => r.peakMb)), 0),
      `RSS before: ${fmt(renders[0].rssBeforeMb, 0)} vs ${fmt(renderB[0].rssBeforeMb, 0)} MB`,
    );
    result(
      `304 throughput (req/s, autocannon 32 conns, median of ${FEED_ROUNDS} interleaved)`,
      fmt(med('A', 'rps'), 0),
      fmt(med('B', 'rps'), 0),
      `ratio ${(med('A', 'rps') / med('B', 'rps')).toFixed(2)}; baseline: hub B holding only the million`,
    );
    result(
      `304 throughput: national hub against nginx serving the same bytes (req/s)`,
      fmt(med('A', 'rps'), 0),
      fmt(med('N', 'rps'), 0),
      `ratio ${(med('A', 'rps') / med('N', 'rps')).toFixed(2)}; small hub ${(med('B', 'rps') / med('N', 'rps')).toFixed(2)}; nginx CPU ${fmt(med('N', 'cpuPer1000'), 1)} ms per 1,000`,
    );
    if (writes) {
      result(
        `304s while ${fmt(writes.n / DURATION, 1)} changes/s hit lists the caller does not see (req/s; CPU per 1,000; statements/s)`,
        `${fmt(writes.rps, 0)}; ${fmt(writes.cpuPer1000, 1)} ms; ${fmt(writes.statementsPerS, 1)}`,
        `${fmt(med('A', 'rps'), 0)}; ${fmt(med('A', 'cpuPer1000'), 1)} ms; ${fmt(med('A', 'statementsPerS'), 1)}`,
        'baseline: the same hub without changes (median of the rounds)',
      );
    }
    result(
      '304: hub CPU per 1,000 answers (ms); statements/s during the phase vs idle',
      `${fmt(med('A', 'cpuPer1000'), 1)}; ${fmt(med('A', 'statementsPerS'), 1)} vs ${fmt(idle.A, 1)}`,
      `${fmt(med('B', 'cpuPer1000'), 1)}; ${fmt(med('B', 'statementsPerS'), 1)} vs ${fmt(idle.B, 1)}`,
      `CPU ratio ${(med('A', 'cpuPer1000') / med('B', 'cpuPer1000')).toFixed(2)}; A's PostgreSQL ${fmt(med('A', 'pgCpuMs'), 0)} vs B's ${fmt(med('B', 'pgCpuMs'), 0)} ms CPU a phase`,
    );
  }

  if (on('import')) {
    const listA = await createList(hubA, importInput('scale import'));
    const t0 = performance.now();
    const r = await importLines(hubA, listA, body);
    const ms = performance.now() - t0;
    result(
      `import of ${fmt(r.added, 0)} lines beside ${fmt(counts.entries, 0)} entries (ms)`,
      fmt(ms, 0),
      fmt(importB, 0),
      `ratio ${(ms / importB).toFixed(2)}; baseline: the same import into an empty database`,
    );
  }

  if (on('lookup')) {
    // indicator(value): "we saw this too" — a value in several lists, as the probe sees it.
    const { rows } = await db.query(
      `SELECT value FROM list_entry WHERE list_seq = (SELECT seq FROM indicator_list WHERE name = 'national list 1')
        ORDER BY value LIMIT 1 OFFSET 777`,
    );
    const value = rows[0].value;
    const times = [];
    let sightings = 0;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const d = await hubA.gql(
        'query($v: String!) { indicator(value: $v) { value sightings { listName } } }',
        { v: value },
        probeSession,
      );
      times.push(performance.now() - t0);
      sightings = d.indicator.sightings.length;
    }
    const missT = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await hubA.gql(
        'query($v: String!) { indicator(value: $v) { value } }',
        { v: `203.0.113.${i}` },
        probeSession,
      );
      missT.push(performance.now() - t0);
    }
    const { rows: plan } = await db.query(
      `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT * FROM list_entry WHERE value = $1`,
      [value],
    );
    log(`A: plan of list_entry by value:\n${plan.map((r) => `    ${r['QUERY PLAN']}`).join('\n')}`);
    result(
      `indicator(value) lookup, median of 20 (ms; ${sightings} visible sighting(s))`,
      fmt(median(times), 1),
      fmt(median(missT), 1),
      'baseline: a value in no list',
    );
  }

  if (on('lists')) {
    // A page of lists naming the million (the probe's inbox, filtered): the first request
    // counts its live entries, later ones reuse the count until the list changes (LiveCounts,
    // ADR 0033); before LiveCounts every request counted.
    const page = async () => {
      const t0 = performance.now();
      const d = await hubA.gql(
        'query { indicatorLists(first: 50, filter: { text: "national" }) { edges { node { liveEntries } } } }',
        {},
        probeSession,
      );
      return { ms: performance.now() - t0, live: d.indicatorLists.edges[0]?.node.liveEntries };
    };
    const cold = await page();
    const warm = [];
    for (let i = 0; i < 5; i++) warm.push((await page()).ms);
    await touchNational(db, 100);
    const changed = await page();
    result(
      `lists page with the ${fmt(cold.live, 0)}-entry list, counted once (ms, median of 5)`,
      fmt(median(warm), 0),
      fmt(cold.ms, 0),
      `baseline: the first request, which counts (every request did before LiveCounts); after a change: ${fmt(changed.ms, 0)} ms, ${fmt(changed.live, 0)} live`,
    );
  }

  if (on('inbox')) {
    // 50 readers of 50 organisations in every sector (org admins: they read reports).
    const { rows: readers } = await db.query(
      `SELECT DISTINCT ON (o.id) u.id FROM organisation o JOIN hub_user u ON u.organisation_id = o.id
        WHERE o.kind IN ('operator', 'sector_csirt') AND u.role = 'org_admin'
        ORDER BY o.id, u.email LIMIT $1`,
      [READERS],
    );
    const sessions = await sessionsFor(
      db,
      readers.map((r) => r.id),
    );
    const inbox = (first, session) =>
      hubA.gql(INBOX, { first, lists: true }, session).then((d) => d.reports.edges.length);
    const perRequest = async (first, n = 10) => {
      await inbox(first, sessions[0]);
      const q0 = await queryCount();
      for (let i = 0; i < n; i++) await inbox(first, sessions[i % sessions.length]);
      return ((await queryCount()) - q0) / n;
    };
    const q10 = await perRequest(10);
    const q50 = await perRequest(50);
    result(
      'inbox page: statements per request, page of 50',
      fmt(q50, 1),
      fmt(q10, 1),
      'baseline: page of 10 (constant = no N+1)',
    );
    const one = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await inbox(50, sessions[i % sessions.length]);
      one.push(performance.now() - t0);
    }
    const all = [];
    const c0 = cpuMs(hubA.process.pid);
    const w0 = performance.now();
    await Promise.all(
      sessions.map(async (s) => {
        for (let i = 0; i < INBOX_REQUESTS; i++) {
          const t0 = performance.now();
          await inbox(50, s);
          all.push(performance.now() - t0);
        }
      }),
    );
    const wall = performance.now() - w0;
    const cpu = cpuMs(hubA.process.pid) - c0;
    const s1 = stats(one);
    const s50 = stats(all);
    result(
      `inbox page (50 reports) at ${sessions.length} concurrent readers: p50 / p99 (ms)`,
      `${fmt(s50.p50, 0)} / ${fmt(s50.p99, 0)}`,
      `${fmt(s1.p50, 0)} / ${fmt(s1.p99, 0)}`,
      `baseline: 1 reader; ${fmt((all.length * 1000) / wall, 1)} pages/s, hub CPU ${fmt(cpu / all.length, 1)} ms/page`,
    );
  }

  if (on('taxii')) {
    const page = async (token, collection, budgetMs = Infinity) => {
      const seen = new Set();
      let next;
      let pages = 0;
      let dup = 0;
      let complete = false;
      const pageMs = [];
      const t0 = performance.now();
      const c0 = cpuMs(hubA.process.pid);
      for (;;) {
        const url = `${hubA.url}/taxii2/api/collections/${collection}/objects/?limit=1000${next ? `&next=${encodeURIComponent(next)}` : ''}`;
        const r = await fetch(url, {
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/taxii+json;version=2.1',
          },
        });
        if (r.status !== 200)
          throw new Error(`TAXII ${r.status}: ${(await r.text()).slice(0, 300)}`);
        const env = await r.json();
        pages++;
        pageMs.push(performance.now() - t0 - (pageMs.length ? pageMs.reduce((a, b) => a + b) : 0));
        for (const o of env.objects ?? []) {
          if (o.type !== 'indicator') continue;
          if (seen.has(o.id)) dup++;
          seen.add(o.id);
        }
        if (!env.more) {
          complete = true;
          break;
        }
        if (performance.now() - t0 > budgetMs) break;
        next = env.next;
      }
      const ms = performance.now() - t0;
      const first = median(pageMs.slice(0, 10));
      const last = median(pageMs.slice(-10));
      return {
        pages,
        ids: seen.size,
        dup,
        ms,
        cpu: cpuMs(hubA.process.pid) - c0,
        complete,
        first,
        last,
      };
    };
    const national = lists.find((l) => l.prefix === 'national');
    const ten = lists.find((l) => l.prefix === 'ten');
    const { rows: ids } = await db.query(
      `SELECT seq, id FROM indicator_list WHERE seq = ANY ($1)`,
      [[national.seq, ten.seq]],
    );
    const idOf = new Map(ids.map((r) => [r.seq, r.id]));
    const tenOwner = await orgAdmin(db, 'o.id = $1', [ten.owner_org_id]);
    const [tenSession] = await sessionsFor(db, [tenOwner.id]);
    const tenToken = await feedToken(hubA, tenSession);
    const small = await page(tenToken, idOf.get(ten.seq));
    const big = await page(probeToken, idOf.get(national.seq), TAXII_BUDGET_S * 1000);
    const { rows: live } = await db.query(
      `SELECT list_seq, count(*)::int AS n FROM list_entry WHERE list_seq = ANY ($1) GROUP BY 1`,
      [[national.seq, ten.seq]],
    );
    const liveOf = new Map(live.map((r) => [r.list_seq, r.n]));
    const exact = (r, n) =>
      !r.complete
        ? `stopped after ${TAXII_BUDGET_S} s at ${r.ids} of ${n} ids (${r.dup} repeated); at that rate all would take ${fmt((r.ms * n) / r.ids / 1000, 0)} s or more`
        : r.ids === n && r.dup === 0
          ? 'exactly once'
          : `${r.ids} ids of ${n}, ${r.dup} repeated`;
    result(
      `TAXII paging ${fmt(big.ids, 0)} indicators, 1000 a page (pages/s)`,
      fmt((big.pages * 1000) / big.ms, 1),
      fmt((small.pages * 1000) / small.ms, 1),
      `baseline: ${fmt(small.ids, 0)} indicators; ${exact(big, liveOf.get(national.seq))} / ${exact(small, liveOf.get(ten.seq))}; ` +
        `${fmt(big.ms / 1000, 1)} s, hub CPU ${fmt(big.cpu / big.pages, 0)} vs ${fmt(small.cpu / small.pages, 0)} ms/page; ` +
        `page time first 10 / last 10 (median ms): ${fmt(big.first, 0)} / ${fmt(big.last, 0)} vs ${fmt(small.first, 0)} / ${fmt(small.last, 0)}`,
    );
  }

  if (on('jobs')) {
    // Writers: small imports (10 lines) into a list of their own, one after the other.
    const writeList = await createList(hubA, importInput('scale writes'));
    let n = 0;
    const writes = async (until) => {
      const times = [];
      while (!until()) {
        const t0 = performance.now();
        await importLines(hubA, writeList, addresses(10, 0x0b000000 + (n++ % 100000) * 10));
        times.push(performance.now() - t0);
      }
      return stats(times);
    };
    let stop = false;
    const t0 = Date.now();
    const quiet = await writes(() => Date.now() - t0 > DURATION * 1000);
    // Expiry: the owner of a 1,400,000-entry sector list expires every entry of it.
    const sector = lists.find((l) => l.prefix === 'sector');
    const owner = await orgAdmin(db, 'o.id = $1', [sector.owner_org_id]);
    const [ownerSession] = await sessionsFor(db, [owner.id]);
    const { rows: sl } = await db.query('SELECT id FROM indicator_list WHERE seq = $1', [
      sector.seq,
    ]);
    stop = false;
    const during = writes(() => stop);
    const e0 = performance.now();
    await hubA.gql(
      'mutation($id: ID!) { expireIndicatorList(id: $id) { id } }',
      { id: sl[0].id },
      ownerSession,
    );
    const expiryMs = performance.now() - e0;
    stop = true;
    const w = await during;
    result(
      `expiry of a ${fmt(sector.size, 0)}-entry list: duration (ms)`,
      fmt(expiryMs, 0),
      '—',
      `concurrent 10-line imports p50/p99 ${fmt(w.p50, 0)}/${fmt(w.p99, 0)} ms (n=${w.n}) vs alone ${fmt(quiet.p50, 0)}/${fmt(quiet.p99, 0)} ms (n=${quiet.n})`,
    );
    // Retention: housekeeping runs at the start of an instance (beside serving) and hourly; a
    // further instance on A's database purges the entries expired more than
    // LIST_ENTRY_RETENTION_DAYS (365) ago and logs when it is done.
    const { rows: before } = await db.query('SELECT count(*)::int AS n FROM list_entry');
    stop = false;
    const during2 = writes(() => stop);
    const r0 = performance.now();
    const c = await startHub({
      databaseUrl: hubA.databaseUrl(),
      keysDir: hubA.keysDir,
      env: { LOG_LEVEL: 'info' },
    });
    extra.push(c);
    const listening = performance.now() - r0;
    const done = /deleted \d+ list entries and \d+ tombstones/;
    while (!done.test(c.output.join('')) && performance.now() - r0 < 1_800_000) await sleep(200);
    const retentionMs = performance.now() - r0;
    stop = true;
    const w2 = await during2;
    // Entries the purge deleted: the count fell by them, and rose by the writers' 10 lines each.
    const { rows: after } = await db.query('SELECT count(*)::int AS n FROM list_entry');
    after[0].n -= 10 * w2.n;
    result(
      `retention over ${fmt(before[0].n, 0)} entries: instance start to purge done (ms)`,
      fmt(retentionMs, 0),
      '—',
      `deleted ${fmt(before[0].n - after[0].n, 0)}; the instance listened after ${fmt(listening, 0)} ms; ` +
        `concurrent imports p50/p99 ${fmt(w2.p50, 0)}/${fmt(w2.p99, 0)} ms (n=${w2.n}) vs alone ${fmt(quiet.p50, 0)}/${fmt(quiet.p99, 0)} ms`,
    );
  }

  if (on('push')) {
    const r = await pushPhase({
      hubA,
      db,
      startHub,
      extra,
      log,
      scale: SCALE,
      countFile,
      counterArgs,
    });
    for (const row of r) result(...row);
  }
  await db.end();
} catch (e) {
  console.error(e);
  for (const [name, h] of [['A', hubA], ['B', hubB], ...extra.map((h, i) => [`extra ${i}`, h])]) {
    const tail = h?.output.join('').split('\n').slice(-15).join('\n');
    if (tail?.trim()) console.error(`--- hub ${name} (exit code ${h.process.exitCode}):\n${tail}`);
  }
  process.exitCode = 1;
} finally {
  console.log(
    `\nload at end ${load()}; total ${((Date.now() - started) / 60000).toFixed(1)} min\n`,
  );
  if (results.length) {
    console.log(table(['figure', 'national scale', 'baseline (same run)', 'notes'], results));
  }
  for (const h of [...extra, ...extraStops]) await h.stop().catch(() => {});
  await hubA?.stop();
  await hubB.stop();
}
