/* global Buffer, URL, console -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Push benchmark (issue 6): 1,000 GraphQL subscribers (`reportEvents` over graphql-ws) from 50
 * organisations in 5 sectors, half on hub instance A and half on instance B (one PostgreSQL),
 * reports published alternately through A and B with mixed markings; then, in the same run, a
 * bare `ws` server broadcasting the same payload bytes to the same number of sockets.
 *
 *   npm run build && node bench/push-bench.mjs
 *
 * Environment (optional): BENCH_ORGS (50, 5 sectors), BENCH_SUBSCRIBERS_PER_ORG (20),
 * BENCH_REPORTS (40), BENCH_SPACING_MS (250, between publish starts), BENCH_SETTLE_MS (120000,
 * the longest wait for outstanding deliveries), BENCH_QUIET_MS (3000, then a wait for stray
 * deliveries; longer than the hub's 2 s poll), BENCH_WARMUP (`markings`: after the CLEAR report
 * that shows every subscription live, one report of each marking, CLEAR, GREEN, AMBER and
 * AMBER+STRICT, published through each instance (8, report specs 0-7), before measuring, on the
 * hubs and on the bare server alike; `clear`: the CLEAR one only, as before 2026-12-06). The first reports after
 * start-up take a hub longer (code paths run for the first time: JIT, lazily compiled graphql
 * execution); the figure wanted is the steady state. BENCH_CLIENT_GC (`minor`: this process,
 * which holds the 1,000 subscribers, empties its young generation just before each report is
 * published or broadcast, in both phases alike, so that its own scavenges, 6-12 ms each, do not
 * land inside one report's deliveries and make that report the p99 of whichever side it hits;
 * `off`: as before 2026-12-06).
 *
 * Measured per delivery: arrival at the subscriber (this process, the `message` event) minus
 * the moment the publishReport mutation returned (the event is committed by then). Baseline:
 * arrival minus the moment the `ws` server (a child process) started sending that report.
 * Correctness: the share of subscribers whose set of received report ids is exactly the set
 * their organisation may see (ADR 0006: CLEAR/GREEN everyone, AMBER the audience sector, AMBER+
 * STRICT the named organisations, always the owner), and the count of unexpected deliveries.
 */
import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { descendantsCpuMs } from './lib/proc-cpu.mjs';
import { loadavg } from 'node:os';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import WebSocket, { WebSocketServer } from 'ws';
import { fmt, loginWithTotp, startHub, table } from './lib/hub.mjs';

const ORGS = Number(process.env.BENCH_ORGS ?? 50);
const PER_ORG = Number(process.env.BENCH_SUBSCRIBERS_PER_ORG ?? 20);
const REPORTS = Number(process.env.BENCH_REPORTS ?? 40);
const SPACING = Number(process.env.BENCH_SPACING_MS ?? 250);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 120_000);
const QUIET_MS = Number(process.env.BENCH_QUIET_MS ?? 3_000);
const WARMUP = process.env.BENCH_WARMUP ?? 'markings';
if (WARMUP !== 'markings' && WARMUP !== 'clear') throw new Error('BENCH_WARMUP: markings or clear');
const CLIENT_GC = process.env.BENCH_CLIENT_GC ?? 'minor';
if (CLIENT_GC !== 'minor' && CLIENT_GC !== 'off') throw new Error('BENCH_CLIENT_GC: minor or off');
/** A scavenge of this process now, between reports (BENCH_CLIENT_GC=minor), or nothing. */
const betweenReports = (() => {
  if (CLIENT_GC === 'off') return () => {};
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  return () => gc({ type: 'minor' });
})();
const SECTORS = ['electric-power', 'gas', 'finance', 'railways', 'water'];
const PASSWORD = 'bench passphrase for push subscribers';
const SUBSCRIPTION = 'subscription { reportEvents { cursor kind report { id title tlp } } }';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
const now = () => performance.timeOrigin + performance.now();

// --- the baseline server (this file, forked with --baseline-server) -------------------------

if (process.argv[2] === '--baseline-server') {
  const sockets = new Map();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws, req) => {
    const i = Number(new URL(req.url, 'http://x').searchParams.get('i'));
    sockets.set(i, ws);
    ws.on('close', () => sockets.delete(i));
  });
  wss.on('listening', () => process.send({ type: 'listening', port: wss.address().port }));
  process.on('message', (m) => {
    if (m.type === 'broadcast') {
      const t = now();
      let sent = 0;
      for (const i of m.recipients) {
        const ws = sockets.get(i);
        if (ws) {
          ws.send(m.payload);
          sent++;
        }
      }
      process.send({ type: 'sent', seq: m.seq, t, sent });
    } else if (m.type === 'cpu') {
      process.send({ type: 'cpu', usage: process.cpuUsage() });
    } else if (m.type === 'stop') {
      for (const ws of sockets.values()) ws.terminate();
      wss.close(() => process.exit(0));
    }
  });
} else {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}

// --- helpers ------------------------------------------------------------------------------

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function stats(xs) {
  const s = Float64Array.from(xs).sort();
  return {
    n: s.length,
    p50: percentile(s, 50),
    p99: percentile(s, 99),
    max: s.length ? s[s.length - 1] : NaN,
    min: s.length ? s[0] : NaN,
    mean: s.reduce((a, b) => a + b, 0) / (s.length || 1),
  };
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/** CPU seconds (user + system) a process used so far, from /proc. */
function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/**
 * A subscriber: a socket that records, per report id, when the report arrived. `hub` sockets
 * speak graphql-transport-ws; baseline sockets receive the same frames without a protocol.
 */
function subscriber(index, org, onFrame) {
  return {
    index,
    org,
    got: new Map(), // report id -> arrival (ms)
    duplicates: 0,
    errors: [],
    closed: null,
    ws: null,
    onFrame,
  };
}

function track(sub, ws) {
  sub.ws = ws;
  ws.on('message', (data) => {
    const t = now();
    const text = data.toString();
    const f = JSON.parse(text);
    if (f.type === 'next') {
      if (f.payload?.errors) {
        sub.errors.push(JSON.stringify(f.payload.errors));
        return;
      }
      const id = f.payload.data.reportEvents.report.id;
      if (sub.got.has(id)) sub.duplicates++;
      else sub.got.set(id, t);
      sub.onFrame(id, text, sub);
    } else if (f.type === 'error') {
      sub.errors.push(JSON.stringify(f.payload));
    }
  });
  ws.on('close', (code, reason) => (sub.closed ??= { code, reason: reason.toString() }));
}

function connectHub(sub, httpUrl, token) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    ws.once('error', reject);
    ws.once('open', () =>
      ws.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
      ),
    );
    const onAck = (data) => {
      const f = JSON.parse(data.toString());
      if (f.type !== 'connection_ack') return;
      ws.off('message', onAck);
      track(sub, ws);
      ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: SUBSCRIPTION } }));
      resolve();
    };
    ws.on('message', onAck);
    ws.once('close', (code) => reject(new Error(`refused with ${code}`)));
  });
}

function connectBaseline(sub, port) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/?i=${sub.index}`);
    ws.once('error', reject);
    ws.once('open', () => {
      track(sub, ws);
      resolve();
    });
  });
}

/** Waits until `done()` or `ms` elapse; returns the time waited. */
async function until(done, ms) {
  const t0 = Date.now();
  while (!done() && Date.now() - t0 < ms) await sleep(50);
  return Date.now() - t0;
}

// --- the scene -----------------------------------------------------------------------------

/** Which organisations (indexes) may see a report: ADR 0006 without groups (none here). */
function visibleTo(spec, orgs) {
  const out = new Set([spec.owner]);
  for (const o of orgs) {
    if (spec.tlp === 'CLEAR' || spec.tlp === 'GREEN') out.add(o.index);
    else if (spec.tlp === 'AMBER' && spec.sectors.includes(o.sector)) out.add(o.index);
    else if (spec.tlp === 'AMBER_STRICT' && spec.orgs.includes(o.index)) out.add(o.index);
  }
  return out;
}

/** Report i: marking by i % 4, publisher by i % 5, instance alternating (both for each marking). */
function reportSpec(i, publishers) {
  const tlp = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT'][i % 4];
  const publisher = publishers[i % publishers.length];
  const spec = {
    i,
    tlp,
    publisher,
    owner: publisher.org,
    instance: (i + (i >> 2)) % 2 === 0 ? 'A' : 'B',
    sectors: [],
    orgs: [],
  };
  if (tlp === 'AMBER') spec.sectors = [SECTORS[(i >> 2) % SECTORS.length]];
  if (tlp === 'AMBER_STRICT') {
    spec.orgs = [...new Set([1, 18, 35].map((k) => (i * 7 + k) % ORGS))];
  }
  return spec;
}

async function main() {
  if (!existsSync(new URL('../dist/apps/hub/src/main.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  const subscribersTotal = ORGS * PER_ORG;
  console.log(
    `push benchmark: ${subscribersTotal} subscribers (${ORGS} orgs x ${PER_ORG}, ${SECTORS.length} sectors) on 2 instances, ${REPORTS} reports ${SPACING} ms apart, warm-up: ${WARMUP === 'markings' ? 'one report of each marking through each instance' : 'one CLEAR report'}, subscriber process GC between reports: ${CLIENT_GC}`,
  );
  console.log(
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const t0 = Date.now();
  const a = await startHub();
  let b;
  let baseline;
  const subs = [];
  const baseSubs = [];
  try {
    b = await startHub({ databaseUrl: a.databaseUrl(), keysDir: a.keysDir });
    console.log(`hubs up in ${((Date.now() - t0) / 1000).toFixed(1)} s (A ${a.url}, B ${b.url})`);
    const hubs = { A: a, B: b };

    // Organisations, one admin each (password + TOTP), one reports:read token per organisation.
    const t1 = Date.now();
    const orgs = await pool(
      Array.from({ length: ORGS }, (_, index) => index),
      4,
      async (index) => {
        const sector = SECTORS[index % SECTORS.length];
        const id = (
          await a.gql(
            'mutation($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id } }',
            {
              i: {
                name: `Bench Operator N${index}`,
                kind: 'OPERATOR',
                sectorCode: sector,
                // Its users' addresses are in its domains, so they need no e-mail proof (ADR 0016).
                domains: [`org${index}.bench.example`],
              },
            },
            a.session,
          )
        ).createOrganisation.id;
        const user = async (email, role) => {
          await a.gql(
            'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
            {
              i: {
                organisationId: id,
                email,
                displayName: email.split('@')[0],
                role,
                initialPassword: PASSWORD,
              },
            },
            a.session,
          );
          return loginWithTotp(a.gql, email, PASSWORD);
        };
        const admin = await user(`admin@org${index}.bench.example`, 'ORG_ADMIN');
        const token = (
          await a.gql(
            'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
            { i: { name: 'push bench subscriber', scopes: ['reports:read'] } },
            admin,
          )
        ).createApiToken.token;
        return { index, id, sector, token, user };
      },
    );
    // Five publishers, one per sector (organisations 0, 11, 22, 33, 44 with 50 organisations).
    const publisherOrgs = [...new Set([0, 11, 22, 33, 44].map((k) => k % ORGS))];
    const publishers = [];
    for (const k of publisherOrgs) {
      const session = await orgs[k].user(`analyst@org${k}.bench.example`, 'ANALYST');
      publishers.push({ org: k, session });
    }
    console.log(
      `${ORGS} organisations, ${ORGS} org admins, ${ORGS} tokens, ${publishers.length} publishers in ${((Date.now() - t1) / 1000).toFixed(1)} s`,
    );

    // Drafts and previews up front; only publishReport runs during the measurement.
    const idToIndex = new Map();
    const prepare = async (spec, title) => {
      const audience =
        spec.tlp === 'AMBER'
          ? { sectorCodes: spec.sectors }
          : spec.tlp === 'AMBER_STRICT'
            ? { organisationIds: spec.orgs.map((k) => orgs[k].id) }
            : undefined;
      const id = (
        await a.gql(
          'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
          {
            i: {
              kind: 'INCIDENT',
              title,
              tlp: spec.tlp,
              ...(audience ? { audience } : {}),
            },
          },
          spec.publisher.session,
        )
      ).createReport.id;
      const hash = (
        await a.gql(
          'mutation($id: ID!) { previewReportRedactions(id: $id) { previewHash } }',
          { id },
          spec.publisher.session,
        )
      ).previewReportRedactions.previewHash;
      return { ...spec, id, hash };
    };
    const publish = (hub, r) =>
      hub.gql(
        'mutation($id: ID!, $h: String!) { publishReport(id: $id, previewHash: $h) { id } }',
        { id: r.id, h: r.hash },
        r.publisher.session,
      );
    const warm = await prepare(
      { tlp: 'CLEAR', publisher: publishers[0], owner: publishers[0].org, sectors: [], orgs: [] },
      'Push bench warm-up',
    );
    // One of each marking through each instance (report specs 0-7), measured nowhere.
    const warmMarkings = [];
    if (WARMUP === 'markings') {
      for (let i = 0; i < 8; i++) {
        const spec = reportSpec(i, publishers);
        const r = await prepare(spec, `Push bench warm-up ${i} (${spec.tlp})`);
        r.visible = visibleTo(r, orgs);
        warmMarkings.push(r);
      }
    }
    const warmIds = new Set([warm.id, ...warmMarkings.map((r) => r.id)]);
    const reports = [];
    for (let i = 0; i < REPORTS; i++) {
      const spec = reportSpec(i, publishers);
      const r = await prepare(spec, `Push bench report ${i} (${spec.tlp})`);
      r.visible = visibleTo(r, orgs);
      idToIndex.set(r.id, i);
      reports.push(r);
    }

    // 1,000 subscribers: even ones on A, odd ones on B.
    const sampleFrame = new Map(); // report id -> one raw frame the hub sent for it
    const onHubFrame = (id, text) => {
      if (!sampleFrame.has(id)) sampleFrame.set(id, text);
    };
    for (let s = 0; s < subscribersTotal; s++) {
      const sub = subscriber(s, orgs[Math.floor(s / PER_ORG)], onHubFrame);
      sub.instance = s % 2 === 0 ? 'A' : 'B';
      subs.push(sub);
    }
    const t2 = Date.now();
    await pool(subs, 50, (sub) => connectHub(sub, hubs[sub.instance].url, sub.org.token));
    console.log(`${subs.length} sockets connected and subscribed in ${Date.now() - t2} ms`);

    // Warm-up: one CLEAR report everyone must receive, so every subscription is live.
    await sleep(1000);
    await publish(a, warm);
    const warmWait = await until(() => subs.every((s) => s.got.has(warm.id)), 60_000);
    const warmMissing = subs.filter((s) => !s.got.has(warm.id)).length;
    console.log(
      `warm-up report reached ${subs.length - warmMissing}/${subs.length} subscribers in ${warmWait} ms`,
    );
    if (warmMissing) throw new Error(`${warmMissing} subscribers never became live`);
    for (const r of warmMarkings) {
      await sleep(SPACING);
      await publish(hubs[r.instance], r);
    }
    const warmedAll = () =>
      warmMarkings.every((r) => subs.every((s) => s.got.has(r.id) === r.visible.has(s.org.index)));
    if (warmMarkings.length) {
      const waited = await until(warmedAll, 60_000);
      if (!warmedAll()) throw new Error('the warm-up reports of each marking did not all arrive');
      console.log(
        `warm-up: one report of each marking through each instance delivered in ${waited} ms`,
      );
    }
    await sleep(2500); // past the hub's 2 s poll, so nothing of the warm-up is still in flight
    const warmDeliveries = subs.reduce((n, s) => n + s.got.size, 0);

    // The NOTIFY hop alone: a listener of our own on the outbox channel the hubs listen on.
    const listener = new pg.Client({ connectionString: a.databaseUrl() });
    await listener.connect();
    const notified = [];
    listener.on('notification', () => notified.push(now()));
    await listener.query('LISTEN renkei_event');

    // Measurement: publish on a fixed schedule, alternating instances.
    const cpu0 = {
      A: cpuSeconds(a.process.pid),
      B: cpuSeconds(b.process.pid),
      pg: descendantsCpuMs(a.process.pid) / 1000,
      bench: process.cpuUsage(),
    };
    const load0 = loadavg()[0];
    const expectedTotal = reports.reduce((n, r) => n + r.visible.size * PER_ORG, 0);
    const received = () => subs.reduce((n, s) => n + s.got.size, 0) - warmDeliveries;
    // This process's own garbage collection pauses delay every subscriber's arrival alike.
    const gcPauses = [];
    const gcObserver = new PerformanceObserver((list) =>
      gcPauses.push(...list.getEntries().map((e) => ({ at: e.startTime, ms: e.duration }))),
    );
    gcObserver.observe({ entryTypes: ['gc'] });
    const start = now();
    for (const r of reports) {
      const wait = start + r.i * SPACING - now();
      if (wait > 0) await sleep(wait);
      betweenReports();
      r.sent = now();
      await publish(hubs[r.instance], r);
      r.returned = now();
    }
    const publishedIn = now() - start;
    const settled = await until(() => received() >= expectedTotal, SETTLE_MS);
    await sleep(QUIET_MS);
    const cpu1 = {
      A: cpuSeconds(a.process.pid),
      B: cpuSeconds(b.process.pid),
      pg: descendantsCpuMs(a.process.pid) / 1000,
      bench: process.cpuUsage(cpu0.bench),
    };
    const load1 = loadavg()[0];

    // Correctness and latency.
    const hubResult = evaluate(subs, reports, idToIndex, warmIds);
    console.log(
      `\nhub: published ${reports.length} reports in ${fmt(publishedIn / 1000, 1)} s; ${hubResult.delivered}/${expectedTotal} expected deliveries arrived (waited ${fmt(settled / 1000, 1)} s after the last publish, then ${QUIET_MS} ms for strays)`,
    );
    console.log(
      `hub CPU during the measurement: A ${fmt(cpu1.A - cpu0.A, 1)} s, B ${fmt(cpu1.B - cpu0.B, 1)} s (1-min load ${fmt(load0, 2)} -> ${fmt(load1, 2)})`,
    );
    console.log(
      `other CPU during the measurement: PostgreSQL ${fmt(cpu1.pg - cpu0.pg, 1)} s, this process (the 1,000 subscribers) ${fmt((cpu1.bench.user + cpu1.bench.system) / 1e6, 1)} s`,
    );
    await listener.end();
    // Each report's first notification after its publish was sent (one per committed event).
    const notifyMs = reports.map((r) => (notified.find((t) => t >= r.sent) ?? NaN) - r.returned);
    const hop = stats(notifyMs.filter((x) => !Number.isNaN(x)));
    console.log(
      `NOTIFY at a bare listener, minus publishReport returned (ms): p50 ${fmt(hop.p50)}  p99 ${fmt(hop.p99)}  max ${fmt(hop.max)} (${hop.n} of ${reports.length}; negative: before the response)`,
    );
    const publishMs = stats(reports.map((r) => r.returned - r.sent));
    console.log(
      `publishReport round trip (ms): p50 ${fmt(publishMs.p50)}  p99 ${fmt(publishMs.p99)}  max ${fmt(publishMs.max)}`,
    );
    for (const s of subs) s.ws.close();

    // Baseline: a bare ws server (child process), the same frames to the same recipients.
    const child = fork(fileURLToPath(import.meta.url), ['--baseline-server'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    baseline = child;
    const port = await new Promise((resolve) =>
      child.once('message', (m) => m.type === 'listening' && resolve(m.port)),
    );
    const sentAt = new Map();
    child.on('message', (m) => m.type === 'sent' && sentAt.set(m.seq, m));
    for (const s of subs) {
      const sub = subscriber(s.index, s.org, () => {});
      sub.instance = s.instance;
      baseSubs.push(sub);
    }
    await pool(baseSubs, 50, (sub) => connectBaseline(sub, port));
    await sleep(500);
    const all = baseSubs.map((s) => s.index);
    child.send({ type: 'broadcast', seq: -1, payload: sampleFrame.get(warm.id), recipients: all });
    await until(() => baseSubs.every((s) => s.got.has(warm.id)), 30_000);
    for (const [k, r] of warmMarkings.entries()) {
      await sleep(SPACING);
      child.send({
        type: 'broadcast',
        seq: -2 - k,
        payload: sampleFrame.get(r.id),
        recipients: baseSubs.filter((s) => r.visible.has(s.org.index)).map((s) => s.index),
      });
    }
    await until(
      () =>
        warmMarkings.every((r) =>
          baseSubs.every((s) => s.got.has(r.id) === r.visible.has(s.org.index)),
        ),
      30_000,
    );
    await sleep(500);
    const bWarmDeliveries = baseSubs.reduce((n, s) => n + s.got.size, 0);
    const recipientsOf = (r) =>
      baseSubs.filter((s) => r.visible.has(s.org.index)).map((s) => s.index);
    const missingFrames = reports.filter((r) => !sampleFrame.has(r.id)).length;
    if (missingFrames) throw new Error(`no hub frame captured for ${missingFrames} reports`);
    const bytes = reports.map((r) => Buffer.byteLength(sampleFrame.get(r.id)));
    const serverCpu = () =>
      new Promise((resolve) => {
        const on = (m) => {
          if (m.type !== 'cpu') return;
          child.off('message', on);
          resolve((m.usage.user + m.usage.system) / 1e6);
        };
        child.on('message', on);
        child.send({ type: 'cpu' });
      });
    const bCpu0 = await serverCpu();
    const bBench0 = process.cpuUsage();
    const bStart = now();
    for (const r of reports) {
      const wait = bStart + r.i * SPACING - now();
      if (wait > 0) await sleep(wait);
      betweenReports();
      child.send({
        type: 'broadcast',
        seq: r.i,
        payload: sampleFrame.get(r.id),
        recipients: recipientsOf(r),
      });
    }
    const bReceived = () => baseSubs.reduce((n, s) => n + s.got.size, 0) - bWarmDeliveries;
    await until(() => bReceived() >= expectedTotal && sentAt.size >= reports.length, SETTLE_MS);
    const bCpu1 = await serverCpu();
    const bBench1 = process.cpuUsage(bBench0);
    await sleep(500);
    gcObserver.disconnect();
    const gcIn = (from, to) => {
      const inside = gcPauses.filter(
        (g) => performance.timeOrigin + g.at >= from && performance.timeOrigin + g.at <= to,
      );
      const worst = inside.reduce((w, g) => (g.ms > (w?.ms ?? -1) ? g : w), undefined);
      return `${inside.length} pauses, ${fmt(
        inside.reduce((n, g) => n + g.ms, 0),
        1,
      )} ms in all, longest ${fmt(worst?.ms ?? 0, 1)} ms${worst ? ` at +${fmt(performance.timeOrigin + worst.at - from, 0)} ms` : ''}`;
    };
    const gcHub = gcIn(start, start + REPORTS * SPACING + 1000);
    const gcBare = gcIn(bStart, bStart + REPORTS * SPACING + 1000);
    const baseReports = reports.map((r) => ({
      ...r,
      returned: sentAt.get(r.i)?.t ?? NaN,
    }));
    const baseResult = evaluate(baseSubs, baseReports, idToIndex, warmIds);
    for (const s of baseSubs) s.ws.close();

    // Tables.
    const counts = [];
    for (const r of reports) counts.push(r.visible.size * PER_ORG);
    console.log(
      `\nscene: ${reports.length} reports, ${reports.filter((r) => r.tlp === 'CLEAR').length} CLEAR, ${reports.filter((r) => r.tlp === 'GREEN').length} GREEN, ${reports.filter((r) => r.tlp === 'AMBER').length} AMBER (one sector), ${reports.filter((r) => r.tlp === 'AMBER_STRICT').length} AMBER_STRICT (3 named orgs); recipients per report ${Math.min(...counts)}-${Math.max(...counts)}, ${expectedTotal} expected deliveries; frame ${Math.min(...bytes)}-${Math.max(...bytes)} bytes`,
    );
    const row = (name, x) => [name, String(x.n), fmt(x.p50), fmt(x.p99), fmt(x.max), fmt(x.mean)];
    console.log(
      '\nDelivery latency (ms; hub: arrival - publishReport returned; ws: arrival - send start):\n',
    );
    console.log(
      table(
        ['case', 'deliveries', 'p50', 'p99', 'max', 'mean'],
        [
          row('hub, all', hubResult.latency),
          row('hub, subscriber on the publishing instance', hubResult.same),
          row('hub, subscriber on the other instance', hubResult.cross),
          row('hub, first delivery of each report', hubResult.firstPerReport),
          row('hub, last delivery of each report', hubResult.lastPerReport),
          row('bare ws broadcast, all', baseResult.latency),
          row('bare ws, last delivery of each report', baseResult.lastPerReport),
        ],
      ),
    );
    console.log(
      `\nhub deliveries that arrived before publishReport returned: ${hubResult.negative} (latency < 0, counted as measured)`,
    );
    console.log(
      `bare ws CPU over its ${reports.length} reports: server ${fmt(bCpu1 - bCpu0, 2)} s, this process (the subscribers) ${fmt((bBench1.user + bBench1.system) / 1e6, 2)} s`,
    );
    // The p99 of 22,960 deliveries is the tail of the one or two slowest reports: name them.
    const slowest = (result) =>
      [...result.lastByReport]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 5)
        .map(([i, ms]) => `#${i} ${reports[i].tlp} via ${reports[i].instance} ${fmt(ms)}`)
        .join(', ');
    console.log(
      `subscriber process GC during the hub's reports: ${gcHub}; the bare ones: ${gcBare}`,
    );
    console.log(`slowest reports to their last delivery (ms), hub: ${slowest(hubResult)}`);
    console.log(`slowest reports to their last delivery (ms), bare ws: ${slowest(baseResult)}`);
    const byMarking = (result) =>
      ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT']
        .map((tlp) => {
          const x = stats(
            [...result.lastByReport].filter(([i]) => reports[i].tlp === tlp).map(([, ms]) => ms),
          );
          return `${tlp} ${fmt(x.p50)} / ${fmt(x.max)}`;
        })
        .join(', ');
    console.log(
      `last delivery per report by marking, p50 / max (ms), hub: ${byMarking(hubResult)}`,
    );
    console.log(
      `last delivery per report by marking, p50 / max (ms), bare ws: ${byMarking(baseResult)}`,
    );
    const ratio = (k) => hubResult.latency[k] / baseResult.latency[k];
    console.log(
      `hub/ws ratio: p50 ${fmt(ratio('p50'), 1)}x, p99 ${fmt(ratio('p99'), 1)}x, max ${fmt(ratio('max'), 1)}x`,
    );
    console.log('\nCorrectness:\n');
    console.log(
      table(
        [
          'case',
          'exact subscribers',
          'share',
          'unexpected',
          'missing',
          'duplicates',
          'errors/closes',
        ],
        [
          correctnessRow('hub', hubResult, subs.length),
          correctnessRow('bare ws', baseResult, baseSubs.length),
        ],
      ),
    );
    if (hubResult.examples.length) {
      console.log('\nfirst hub discrepancies:');
      for (const e of hubResult.examples) console.log(`  ${e}`);
    }
    console.log(
      `\n100% exact required: ${hubResult.exact === subs.length && hubResult.unexpected === 0 ? 'MET' : 'MISSED'}`,
    );
  } catch (e) {
    for (const [name, hub] of [
      ['A', a],
      ['B', b],
    ]) {
      if (hub)
        console.error(`--- hub ${name} output (tail) ---\n${hub.output.join('').slice(-4000)}`);
    }
    throw e;
  } finally {
    for (const s of [...subs, ...baseSubs]) s.ws?.terminate();
    if (baseline && baseline.exitCode === null) {
      const gone = new Promise((r) => baseline.once('exit', r));
      baseline.send({ type: 'stop' });
      await gone;
    }
    await b?.stop();
    await a.stop();
  }
}

function correctnessRow(name, r, n) {
  return [
    name,
    `${r.exact}/${n}`,
    `${fmt((100 * r.exact) / n, 1)}%`,
    String(r.unexpected),
    String(r.missing),
    String(r.duplicates),
    `${r.errors}/${r.closes}`,
  ];
}

/** Exactness per subscriber, and latencies of the expected deliveries. */
function evaluate(subs, reports, idToIndex, warmIds) {
  const out = {
    exact: 0,
    unexpected: 0,
    missing: 0,
    duplicates: 0,
    errors: 0,
    closes: 0,
    delivered: 0,
    negative: 0,
    examples: [],
  };
  const all = [];
  const same = [];
  const cross = [];
  const last = new Map();
  const first = new Map();
  for (const s of subs) {
    let ok = s.duplicates === 0 && s.errors.length === 0;
    out.duplicates += s.duplicates;
    out.errors += s.errors.length;
    if (s.closed && s.closed.code !== 1000 && s.closed.code !== 1005) out.closes++;
    for (const [id, t] of s.got) {
      if (warmIds.has(id)) continue;
      const i = idToIndex.get(id);
      const r = i === undefined ? undefined : reports[i];
      if (!r || !r.visible.has(s.org.index)) {
        ok = false;
        out.unexpected++;
        if (out.examples.length < 10) {
          out.examples.push(
            `subscriber ${s.index} (org ${s.org.index}, ${s.org.sector}) got ${r ? `report ${r.i} ${r.tlp} [${r.sectors}${r.orgs}] owner ${r.owner}` : `unknown report ${id}`}`,
          );
        }
        continue;
      }
      out.delivered++;
      const ms = t - r.returned;
      if (ms < 0) out.negative++;
      all.push(ms);
      (r.instance === s.instance ? same : cross).push(ms);
      last.set(r.i, Math.max(last.get(r.i) ?? -Infinity, ms));
      first.set(r.i, Math.min(first.get(r.i) ?? Infinity, ms));
    }
    for (const r of reports) {
      if (r.visible.has(s.org.index) && !s.got.has(r.id)) {
        ok = false;
        out.missing++;
        if (out.examples.length < 10) {
          out.examples.push(
            `subscriber ${s.index} (org ${s.org.index}, ${s.org.sector}, on ${s.instance}) missed report ${r.i} ${r.tlp} via ${r.instance}`,
          );
        }
      }
    }
    if (ok) out.exact++;
  }
  out.latency = stats(all);
  out.same = stats(same);
  out.cross = stats(cross);
  out.lastPerReport = stats([...last.values()]);
  out.lastByReport = last;
  out.firstPerReport = stats([...first.values()]);
  return out;
}
