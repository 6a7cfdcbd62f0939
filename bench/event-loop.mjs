/* global console, fetch, performance -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Event-loop benchmark (issue 11, "nothing a member sends can take the hub down"): how long
 * other requests wait while one member sends the heaviest inputs the hub accepts.
 *
 * Probes: GET /healthz and a small authenticated GraphQL query (`{ __typename }`), one after the
 * other with a 5 ms pause, timed from this process. Beside them, the hub's own event-loop delay
 * (monitorEventLoopDelay, preloaded with `--import bench/lib/loop-monitor.mjs`, read on SIGUSR2).
 *
 * Each scenario runs twice for BENCH_DURATION seconds: the probes alone (baseline), then the
 * probes while one client sends the load in a loop, one request after the other (at least one
 * load request completes). Scenarios:
 *   - preview, long words: previewReportRedactions of a draft with every section at its limit
 *     (7 × 20,000 characters of "a a a ...", title and impact at theirs), under BENCH_TERMS
 *     terms of 100 characters that share 98 of them with the text ("a a ... a" + 2 letters):
 *     the worst case of the per-term regular expressions the scrubber used.
 *   - preview, nested terms: the same draft as "aaaa..." under terms a×2 … a×(BENCH_TERMS+1)
 *     (at most 100 long): the most matches ending at one place the automaton can have.
 *   - comment: addReportComment with 10,000 characters (the limit) under the long-word terms.
 *   - import: POST /api/lists/<id>/entries with BENCH_LINES distinct IPv4 lines (text/plain).
 *   - subscription: graphql-ws subscribe with BENCH_ALIASES aliased fields in one document,
 *     then ping (the pong says the hub has handled the subscribe), on a new socket each time.
 * BENCH_ONLY=<prefix> runs only the scenarios whose name starts with it ("import", "preview").
 */
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { ROOT, createList, fmt, startHub, table } from './lib/hub.mjs';

const DURATION_MS = Number(process.env.BENCH_DURATION ?? 10) * 1000;
const TERMS = Number(process.env.BENCH_TERMS ?? 200);
const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const ALIASES = Number(process.env.BENCH_ALIASES ?? 50_000);
const SECTION = 20_000;
const COMMENT = 10_000;
const SECTIONS = [
  'summary',
  'background',
  'detection',
  'response',
  'cause',
  'countermeasures',
  'lessonsLearned',
];

const percentile = (xs, p) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

/** Two letters per index, so that every long-word term is distinct. */
const suffix = (i) =>
  String.fromCharCode(98 + (i % 25)) + String.fromCharCode(98 + Math.floor(i / 25));
const longWordTerms = Array.from({ length: TERMS }, (_, i) => 'a '.repeat(49) + suffix(i));
const nestedTerms = Array.from({ length: TERMS }, (_, i) => 'a'.repeat(Math.min(100, i + 2)));

async function main() {
  const hub = await startHub({
    nodeArgs: ['--import', pathToFileURL(join(ROOT, 'bench', 'lib', 'loop-monitor.mjs')).href],
  });
  const gql = (query, variables) => hub.gql(query, variables, hub.session);
  const loopDelay = async () => {
    const seen = hub.output
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('EVENT-LOOP-DELAY ')).length;
    hub.process.kill('SIGUSR2');
    for (;;) {
      const lines = hub.output
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('EVENT-LOOP-DELAY '));
      if (lines.length > seen) return JSON.parse(lines[lines.length - 1].slice(17));
      await sleep(20);
    }
  };

  try {
    console.log(
      `event-loop benchmark: ${DURATION_MS / 1000} s per phase, ${TERMS} terms, ${LINES} import lines, ${ALIASES} aliases`,
    );
    const setTerms = (terms) =>
      gql('mutation($t: [String!]!) { setScrubTerms(terms: $t) }', { t: terms });
    const fill = (unit) => unit.repeat(Math.ceil(SECTION / unit.length)).slice(0, SECTION);
    const createDraft = async (unit) => {
      const { createReport } = await gql(
        'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
        { i: { kind: 'INCIDENT', title: fill(unit).slice(0, 200), tlp: 'GREEN' } },
      );
      // Two sections per request: a request body is at most 100 kB.
      for (let k = 0; k < SECTIONS.length; k += 2) {
        const input = Object.fromEntries(SECTIONS.slice(k, k + 2).map((s) => [s, fill(unit)]));
        if (k === 0)
          input.impact = {
            servicesAffected: fill(unit).slice(0, 2000),
            scope: fill(unit).slice(0, 2000),
          };
        await gql(
          'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id } }',
          {
            id: createReport.id,
            i: input,
          },
        );
      }
      return createReport.id;
    };
    const spacedDraft = await createDraft('a ');
    const runDraft = await createDraft('a');
    const { createReport: published } = await gql(
      'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
      { i: { kind: 'INCIDENT', title: 'Event-loop bench', tlp: 'GREEN', summary: 'short' } },
    );
    const preview = (id) =>
      gql('mutation($id: ID!) { previewReportRedactions(id: $id) { previewHash } }', { id });
    const { previewReportRedactions } = await preview(published.id);
    await gql(
      'mutation($id: ID!, $h: String!) { publishReport(id: $id, previewHash: $h) { id } }',
      {
        id: published.id,
        h: previewReportRedactions.previewHash,
      },
    );

    const body = Array.from(
      { length: LINES },
      (_, i) => `${11 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.${1 + (i % 200)}`,
    ).join('\n');
    const listId = await createList(hub, { name: 'event-loop bench', tlp: 'GREEN' });
    const importOnce = async () => {
      const res = await fetch(`${hub.url}/api/lists/${listId}/entries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${hub.session}`, 'content-type': 'text/plain' },
        body,
      });
      const json = await res.json();
      if (!json.applied)
        throw new Error(`import: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    };

    const document = `subscription { reportEvents { ${Array.from({ length: ALIASES }, (_, i) => `a${i}: __typename`).join(' ')} } }`;
    const subscribeOnce = () =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(
          `${hub.url.replace(/^http/, 'ws')}/graphql`,
          'graphql-transport-ws',
        );
        ws.once('error', reject);
        ws.once('close', resolve);
        ws.once('open', () =>
          ws.send(
            JSON.stringify({
              type: 'connection_init',
              payload: { authorization: `Bearer ${hub.session}` },
            }),
          ),
        );
        ws.on('message', (data) => {
          const f = JSON.parse(data.toString());
          if (f.type === 'connection_ack') {
            ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: document } }));
            ws.send(JSON.stringify({ type: 'ping' }));
          } else if (f.type === 'pong') {
            ws.close();
          }
        });
      });

    /** Probes (and the load, if any) for DURATION_MS; the load runs at least once. */
    const phase = async (load) => {
      const healthz = [];
      const small = [];
      const loadMs = [];
      let failed = 0;
      let stop = false;
      await loopDelay(); // resets the hub's histogram
      // A probe that fails (a connection reset while the hub was stuck) counts with the time it
      // took to fail.
      const timed = async (into, request) => {
        const t0 = performance.now();
        try {
          await request();
        } catch {
          failed++;
        }
        into.push(performance.now() - t0);
      };
      const probes = (async () => {
        while (!stop) {
          await timed(healthz, async () => (await fetch(`${hub.url}/healthz`)).arrayBuffer());
          await timed(small, () => gql('{ __typename }'));
          await sleep(5);
        }
      })();
      const started = performance.now();
      if (load) {
        while (performance.now() - started < DURATION_MS || loadMs.length === 0) {
          const t0 = performance.now();
          await load();
          loadMs.push(performance.now() - t0);
        }
      } else {
        await sleep(DURATION_MS);
      }
      stop = true;
      await probes;
      return { healthz, small, loadMs, failed, loop: await loopDelay() };
    };

    const scenarios = [
      ['preview, long words', () => setTerms(longWordTerms), () => preview(spacedDraft)],
      ['preview, nested terms', () => setTerms(nestedTerms), () => preview(runDraft)],
      [
        'comment (10,000 characters)',
        () => setTerms(longWordTerms),
        () =>
          gql(
            'mutation($r: ID!, $b: String!) { addReportComment(reportId: $r, body: $b) { id } }',
            {
              r: published.id,
              b: 'a '.repeat(COMMENT / 2),
            },
          ),
      ],
      [`import (${fmt(LINES, 0)} lines, REST)`, async () => {}, importOnce],
      [`subscription (${fmt(ALIASES, 0)} aliases)`, async () => {}, subscribeOnce],
    ];
    const rows = [];
    const only = process.env.BENCH_ONLY;
    for (const [name, setup, load] of scenarios) {
      if (only && !name.startsWith(only)) continue;
      await setup();
      const base = await phase(undefined);
      const loaded = await phase(load);
      const cells = (xs) => `${fmt(percentile(xs, 99))} / ${fmt(Math.max(...xs))}`;
      console.log(
        `${name}: ${loaded.loadMs.length} load request(s), median ${fmt(percentile(loaded.loadMs, 50), 0)} ms; ` +
          `hub loop delay baseline ${JSON.stringify(base.loop)}, under load ${JSON.stringify(loaded.loop)}; ` +
          `failed probes: baseline ${base.failed}, under load ${loaded.failed}`,
      );
      rows.push([
        name,
        `${loaded.loadMs.length} × ${fmt(percentile(loaded.loadMs, 50), 0)}`,
        `${fmt(base.loop.p99)} / ${fmt(base.loop.max)}`,
        `${fmt(loaded.loop.p99)} / ${fmt(loaded.loop.max)}`,
        `${fmt(base.loop.cpuMs, 0)} / ${fmt(loaded.loop.cpuMs, 0)}`,
        fmt(Math.max(0, loaded.loop.cpuMs - base.loop.cpuMs) / loaded.loadMs.length, 0),
        cells(base.healthz),
        cells(loaded.healthz),
        cells(base.small),
        cells(loaded.small),
      ]);
    }
    console.log(
      table(
        [
          'load',
          'requests × median ms',
          'loop delay p99 / max ms, baseline',
          'under load',
          'hub CPU ms, baseline / load',
          'extra CPU ms per request',
          '/healthz p99 / max ms, baseline',
          'under load',
          'small query p99 / max ms, baseline',
          'under load',
        ],
        rows,
      ),
    );
  } finally {
    await hub.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
