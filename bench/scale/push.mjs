/* global performance -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Publish → delivery at national scale: BENCH_SUBSCRIBERS (10,000 × scale) `reportEvents`
 * subscribers over graphql-ws, spread over BENCH_INSTANCES (4) hub instances on one database,
 * one session each (distinct users of organisations in every sector). An analyst publishes
 * BENCH_PUSH_REPORTS GREEN reports one after the other (everyone may see GREEN, so each must
 * reach every subscriber exactly once); measured per delivery: arrival minus the moment
 * publishReport returned. Baseline, same run: the same with the first 1,000 subscribers only
 * (connected first, on the same instances). The graphql-ws client is push-bench's, reduced.
 */
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { fmt } from '../lib/hub.mjs';
import { sessionsFor, stats } from './util.mjs';

const SUBSCRIPTION = 'subscription { reportEvents { cursor kind report { id title tlp } } }';
const now = () => performance.timeOrigin + performance.now();

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
      const f = JSON.parse(data.toString());
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
        else sub.got.set(id, t);
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

export async function pushPhase({ hubA, db, startHub, extra, log, scale }) {
  const total = Number(process.env.BENCH_SUBSCRIBERS ?? Math.max(200, Math.round(10_000 * scale)));
  const baseN = Math.min(1000, Math.round(total / 10));
  const instances = Number(process.env.BENCH_INSTANCES ?? 4);
  const reportsN = Number(process.env.BENCH_PUSH_REPORTS ?? 10);
  const hubs = [hubA];
  for (let i = 1; i < instances; i++) {
    const h = await startHub({ databaseUrl: hubA.databaseUrl(), keysDir: hubA.keysDir });
    extra.push(h);
    hubs.push(h);
  }
  const { rows: users } = await db.query(
    `SELECT u.id FROM hub_user u JOIN organisation o ON o.id = u.organisation_id
      WHERE o.name <> 'Probe operator' ORDER BY hashtext(u.email) LIMIT $1`,
    [total],
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
  const subs = tokens.map((token, i) => ({
    i,
    token,
    hub: hubs[i % hubs.length],
    got: new Map(),
    duplicates: 0,
    errors: 0,
    closed: null,
    ws: null,
  }));
  const open = async (list) => {
    const t0 = Date.now();
    await pool(list, 64, async (s) => {
      s.ws = await connect(s.hub.url, s.token, s);
    });
    await sleep(1000); // subscribe frames processed
    log(`push: ${list.length} subscribers connected in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
  const phase = async (active, n, label) => {
    const lat = [];
    const last = [];
    let missing = 0;
    for (let k = 0; k < n; k++) {
      const r = await prepare(`Scale push ${label} ${k}`);
      await hubA.gql(
        'mutation($id: ID!, $h: String!) { publishReport(id: $id, previewHash: $h) { id } }',
        { id: r.id, h: r.hash },
        publisher,
      );
      const t = now();
      const deadline = Date.now() + 120_000;
      while (active.some((s) => !s.got.has(r.id)) && Date.now() < deadline) await sleep(20);
      let worst = 0;
      for (const s of active) {
        const at = s.got.get(r.id);
        if (at === undefined) missing++;
        else {
          lat.push(at - t);
          worst = Math.max(worst, at - t);
        }
      }
      last.push(worst);
      await sleep(500);
    }
    await sleep(3000); // stray or repeated deliveries
    const exact = active.filter(
      (s) => s.duplicates === 0 && s.errors === 0 && s.closed === null,
    ).length;
    return { lat: stats(lat), last: stats(last), missing, exact: (exact * 100) / active.length };
  };
  try {
    await open(subs.slice(0, baseN));
    const base = await phase(subs.slice(0, baseN), reportsN, 'base');
    await open(subs.slice(baseN));
    for (const s of subs) s.duplicates = 0;
    const full = await phase(subs, reportsN, 'full');
    const row = (r) =>
      `p50 ${fmt(r.lat.p50, 0)} / p99 ${fmt(r.lat.p99, 0)} ms, last delivery p50 ${fmt(r.last.p50, 0)} ms`;
    return [
      [
        `publish → delivery, ${total} subscribers on ${instances} instances`,
        row(full),
        `${baseN} subscribers: ${row(base)}`,
        `${reportsN} GREEN reports each; exact: ${fmt(full.exact, 1)}% vs ${fmt(base.exact, 1)}% of subscribers, missing ${full.missing} / ${base.missing}`,
      ],
    ];
  } finally {
    for (const s of subs) s.ws?.terminate();
  }
}
