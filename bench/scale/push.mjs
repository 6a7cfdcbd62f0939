/* global URL, performance -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Publish → delivery at national scale: BENCH_SUBSCRIBERS (10,000 × scale) `reportEvents`
 * subscribers over graphql-ws, spread over BENCH_INSTANCES (4) hub instances on one database,
 * one session each (distinct users of organisations in every sector). An analyst publishes
 * BENCH_PUSH_REPORTS GREEN reports one after the other (everyone may see GREEN, so each must
 * reach every subscriber exactly once); measured per delivery: arrival minus the moment
 * publishReport returned. Baselines, same run: the same with the first 1,000 subscribers only
 * (connected first, on the same instances); and a bare `ws` server (bare-ws.mjs, a child
 * process) sending the very frames the hubs sent to as many sockets of this same client
 * process, first 1,000 then all (arrival minus send start).
 *
 * Attribution, per phase: CPU of each hub instance, of PostgreSQL (hub A's embedded server and
 * its backends) and of this client (which holds every socket and parses every frame), from
 * /proc; statements sent per event by each instance and their event-loop delay (preloads
 * count-queries.mjs and loop-delay.mjs); the first and the last delivery of each event, on the
 * publishing instance (A) and on the others.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { descendantsCpuMs } from '../lib/proc-cpu.mjs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { fmt, ROOT } from '../lib/hub.mjs';
import { sessionsFor, stats } from './util.mjs';

const SUBSCRIPTION = 'subscription { reportEvents { cursor kind report { id title tlp } } }';
const now = () => performance.timeOrigin + performance.now();
/** Per report id, how many sockets have it: waiting for all costs no scan of 10,000 sockets. */
const arrived = new Map();

function connect(url, token, sub) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    ws.once('error', reject);
    ws.once('open', () =>
      ws.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
      ),
    );
    ws.on('message', (data) => {
      const t = now();
      const text = data.toString();
      const f = JSON.parse(text);
      if (f.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: SUBSCRIPTION } }));
        resolve(ws);
      } else if (f.type === 'next') {
        if (f.payload?.errors) {
          sub.errors++;
          return;
        }
        const id = f.payload.data.reportEvents.report?.id;
        if (sub.got.has(id)) sub.duplicates++;
        else {
          sub.got.set(id, t);
          arrived.set(id, (arrived.get(id) ?? 0) + 1);
        }
        sub.frame?.(id, text);
      } else if (f.type === 'error') sub.errors++;
    });
    ws.once('close', (code) => {
      sub.closed = code;
      reject(new Error(`closed with ${code}`));
    });
  });
}

async function pool(items, limit, fn) {
  let i = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (i < items.length) {
        const k = i++;
        await fn(items[k], k);
      }
    }),
  );
}

/** CPU ms (user + system) of a process so far, from /proc (USER_HZ 100). */
function cpuMs(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

const load1 = () => loadavg()[0].toFixed(2);

export async function pushPhase({ hubA, db, startHub, extra, log, scale, countFile, counterArgs }) {
  const total = Number(process.env.BENCH_SUBSCRIBERS ?? Math.max(200, Math.round(10_000 * scale)));
  const baseN = Math.min(1000, Math.round(total / 10));
  const instances = Number(process.env.BENCH_INSTANCES ?? 4);
  const reportsN = Number(process.env.BENCH_PUSH_REPORTS ?? 10);
  const hubs = [hubA];
  const countFiles = [countFile];
  const dir = mkdtempSync(join(tmpdir(), 'renkei-scale-push-'));
  for (let i = 1; i < instances; i++) {
    const file = join(dir, `queries-${i}`);
    const h = await startHub({
      databaseUrl: hubA.databaseUrl(),
      keysDir: hubA.keysDir,
      nodeArgs: counterArgs,
      env: { RENKEI_QUERY_COUNT_FILE: file },
    });
    extra.push(h);
    hubs.push(h);
    countFiles.push(file);
  }
  const read = (file, fallback) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return fallback;
    }
  };
  // The preloads rewrite their files every 100–250 ms: a read between truncation and write
  // finds the file empty, so read again.
  const settled = (file, fallback) => {
    for (let i = 0; i < 20; i++) {
      const text = read(file, fallback);
      if (text !== '') return text;
    }
    return fallback;
  };
  const counts = () => countFiles.map((f) => Number(settled(f, 'NaN')));
  const loops = () => countFiles.map((f) => JSON.parse(settled(`${f}.loop`, '{}')));
  const pgPid = hubA.process.pid;
  const { rows: users } = await db.query(
    `SELECT u.id FROM hub_user u JOIN organisation o ON o.id = u.organisation_id
      WHERE o.name <> 'Probe operator' ORDER BY hashtext(u.email) LIMIT $1`,
    [total],
  );
  const { rows: orgRows } = await db.query(
    `SELECT count(DISTINCT organisation_id)::int AS n FROM hub_user WHERE id = ANY($1::uuid[])`,
    [users.map((u) => u.id)],
  );
  const tokens = await sessionsFor(
    db,
    users.map((u) => u.id),
  );
  const { rows: pub } = await db.query(
    `SELECT u.id FROM hub_user u JOIN organisation o ON o.id = u.organisation_id
      WHERE o.kind = 'operator' AND u.role = 'analyst' ORDER BY u.email LIMIT 1`,
  );
  const [publisher] = await sessionsFor(db, [pub[0].id]);
  const prepare = async (title) => {
    const id = (
      await hubA.gql(
        'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
        { i: { kind: 'INCIDENT', title, tlp: 'GREEN' } },
        publisher,
      )
    ).createReport.id;
    const hash = (
      await hubA.gql(
        'mutation($id: ID!) { previewReportRedactions(id: $id) { previewHash } }',
        { id },
        publisher,
      )
    ).previewReportRedactions.previewHash;
    return { id, hash };
  };
  const frames = new Map(); // report id → the frame a hub sent (the baseline sends the same)
  const subs = tokens.map((token, i) => ({
    i,
    token,
    instance: i % hubs.length,
    got: new Map(),
    duplicates: 0,
    errors: 0,
    closed: null,
    ws: null,
    frame: (id, text) => frames.has(id) || frames.set(id, text),
  }));
  const open = async (list, urlOf) => {
    const t0 = Date.now();
    await pool(list, 64, async (s) => {
      s.ws = await connect(urlOf(s), s.token, s);
    });
    await sleep(1000); // subscribe frames processed
    log(`push: ${list.length} sockets connected in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };

  /**
   * One measurement: `send(k)` starts event k and resolves to [its id, the time latency counts
   * from]; then every active socket must receive it (at most 120 s), and 500 ms pass.
   */
  const measure = async (active, n, send) => {
    const lat = [];
    const first = [];
    const last = [];
    const lastOnA = [];
    const lastElsewhere = [];
    const sendMs = [];
    let missing = 0;
    const hubCpu0 = hubs.map((h) => cpuMs(h.process.pid));
    const pg0 = descendantsCpuMs(pgPid);
    const client0 = process.cpuUsage();
    const q0 = counts();
    for (const h of hubs) h.process.kill('SIGUSR2'); // event-loop delay from here
    const load0 = load1();
    const t00 = performance.now();
    for (let k = 0; k < n; k++) {
      const s0 = now();
      const [id, t] = await send(k);
      sendMs.push(t - s0);
      const deadline = Date.now() + 120_000;
      while ((arrived.get(id) ?? 0) < active.length && Date.now() < deadline) await sleep(20);
      let lo = Infinity;
      let hi = 0;
      let hiA = 0;
      let hiOther = 0;
      for (const s of active) {
        const at = s.got.get(id);
        if (at === undefined) missing++;
        else {
          lat.push(at - t);
          lo = Math.min(lo, at - t);
          hi = Math.max(hi, at - t);
          if (s.instance === 0) hiA = Math.max(hiA, at - t);
          else hiOther = Math.max(hiOther, at - t);
        }
      }
      first.push(lo);
      last.push(hi);
      lastOnA.push(hiA);
      lastElsewhere.push(hiOther);
      await sleep(500);
    }
    const wallMs = performance.now() - t00;
    const client = process.cpuUsage(client0);
    const q1 = counts();
    const cpu = {
      hubs: hubs.map((h, i) => (cpuMs(h.process.pid) - hubCpu0[i]) / n),
      pg: (descendantsCpuMs(pgPid) - pg0) / n,
      client: (client.user + client.system) / 1000 / n,
    };
    const loop = loops();
    await sleep(3000); // stray or repeated deliveries
    const exact = active.filter(
      (s) => s.duplicates === 0 && s.errors === 0 && s.closed === null,
    ).length;
    return {
      lat: stats(lat),
      first: stats(first),
      last: stats(last),
      lastOnA: stats(lastOnA),
      lastElsewhere: stats(lastElsewhere),
      send: stats(sendMs),
      missing,
      exact: (exact * 100) / active.length,
      cpu,
      statements: q1.map((q, i) => (q - q0[i]) / n),
      loop,
      load: `${load0} → ${load1()}`,
      wallMs,
    };
  };
  const publish = async (label, k) => {
    const r = await prepare(`Scale push ${label} ${k}`);
    await hubA.gql(
      'mutation($id: ID!, $h: String!) { publishReport(id: $id, previewHash: $h) { id } }',
      { id: r.id, h: r.hash },
      publisher,
    );
    return [r.id, now()];
  };
  const reset = (list) => {
    for (const s of list) {
      s.duplicates = 0;
      s.errors = 0;
    }
  };
  const describe = (label, r) => {
    log(
      `push ${label} (load ${r.load}): p50 ${fmt(r.lat.p50, 0)} / p99 ${fmt(r.lat.p99, 0)} ms; ` +
        `first delivery p50 ${fmt(r.first.p50, 0)}, last p50 ${fmt(r.last.p50, 0)} / max ${fmt(r.last.max, 0)} ms ` +
        `(last on A ${fmt(r.lastOnA.p50, 0)}, elsewhere ${fmt(r.lastElsewhere.p50, 0)}); ` +
        `exact ${fmt(r.exact, 1)}%, missing ${r.missing}; publish/send p50 ${fmt(r.send.p50, 0)} ms`,
    );
    log(
      `push ${label} CPU ms per event: hubs ${r.cpu.hubs.map((x) => fmt(x, 0)).join(' / ')}, ` +
        `PostgreSQL ${fmt(r.cpu.pg, 0)}, client ${fmt(r.cpu.client, 0)}; statements per event ` +
        `${r.statements.map((x) => fmt(x, 1)).join(' / ')}; event-loop delay p99 ` +
        `${r.loop.map((l) => fmt(l.p99, 0)).join(' / ')} ms, max ${r.loop.map((l) => fmt(l.max, 0)).join(' / ')} ms`,
    );
  };
  let child;
  try {
    log(`push: ${total} subscribers of ${orgRows[0].n} organisations; load ${loadavg()[0]}`);
    await open(subs.slice(0, baseN), (s) => hubs[s.instance].url);
    const base = await measure(subs.slice(0, baseN), reportsN, (k) => publish('base', k));
    describe(`hub ${baseN}`, base);
    await open(subs.slice(baseN), (s) => hubs[s.instance].url);
    reset(subs);
    const full = await measure(subs, reportsN, (k) => publish('full', k));
    describe(`hub ${total}`, full);
    for (const s of subs) s.ws?.terminate();

    // Bare ws: the frames the hubs sent for the full phase, to as many sockets of this process.
    const sample = [...frames.values()].slice(-reportsN);
    child = fork(fileURLToPath(new URL('./bare-ws.mjs', import.meta.url)), {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      cwd: ROOT,
    });
    const port = await new Promise((resolve) =>
      child.once('message', (m) => m.type === 'listening' && resolve(m.port)),
    );
    const sent = new Map();
    child.on('message', (m) => m.type === 'sent' && sent.get(m.seq)?.(m.t));
    const bare = subs.map((s) => ({
      ...s,
      got: new Map(),
      duplicates: 0,
      errors: 0,
      closed: null,
    }));
    let seq = 0;
    const broadcast = async (k) => {
      const frame = sample[k % sample.length];
      const id = JSON.parse(frame).payload.data.reportEvents.report.id;
      for (const s of bare) s.got.delete(id);
      arrived.delete(id);
      const at = new Promise((resolve) => sent.set(seq, resolve));
      child.send({ type: 'broadcast', seq: seq++, payload: frame });
      return [id, await at];
    };
    await open(bare.slice(0, baseN), () => `http://127.0.0.1:${port}`);
    const bareBase = await measure(bare.slice(0, baseN), reportsN, broadcast);
    describe(`bare ws ${baseN}`, bareBase);
    await open(bare.slice(baseN), () => `http://127.0.0.1:${port}`);
    reset(bare);
    const bareFull = await measure(bare, reportsN, broadcast);
    describe(`bare ws ${total}`, bareFull);
    for (const s of bare) s.ws?.terminate();

    const row = (r) =>
      `p50 ${fmt(r.lat.p50, 0)} / p99 ${fmt(r.lat.p99, 0)} ms, last delivery p50 ${fmt(r.last.p50, 0)} ms`;
    const cpuRow = (r) =>
      `hub CPU ${fmt(
        r.cpu.hubs.reduce((a, b) => a + b, 0),
        0,
      )} ms/event (4 instances), PostgreSQL ${fmt(r.cpu.pg, 0)}, client ${fmt(r.cpu.client, 0)}; ` +
      `${fmt(
        r.statements.reduce((a, b) => a + b, 0),
        0,
      )} statements/event`;
    return [
      [
        `publish → delivery, ${total} subscribers (${orgRows[0].n} organisations) on ${instances} instances`,
        row(full),
        `${baseN} subscribers: ${row(base)}`,
        `${reportsN} GREEN reports each; exact: ${fmt(full.exact, 1)}% vs ${fmt(base.exact, 1)}% of subscribers, missing ${full.missing} / ${base.missing}`,
      ],
      [
        `bare ws broadcast of the same frames, ${total} sockets`,
        row(bareFull),
        `${baseN} sockets: ${row(bareBase)}`,
        `hub p99 ${fmt(full.lat.p99 / bareFull.lat.p99, 1)}× bare ws at ${total}, ${fmt(base.lat.p99 / bareBase.lat.p99, 1)}× at ${baseN}`,
      ],
      [
        `push attribution, ${total} subscribers`,
        cpuRow(full),
        `${baseN}: ${cpuRow(base)}`,
        `bare ws client CPU ${fmt(bareFull.cpu.client, 0)} / ${fmt(bareBase.cpu.client, 0)} ms/event`,
      ],
    ];
  } finally {
    for (const s of subs) s.ws?.terminate();
    child?.kill();
  }
}
