/* global performance, setInterval -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Preloaded into the hub (`node --import bench/scale/count-queries.mjs`) by bench/scale: counts
 * every statement the hub sends to PostgreSQL (each call of pg's Client#query, which TypeORM and
 * the COPY paths use) and writes the count to RENKEI_QUERY_COUNT_FILE every 100 ms when it
 * changed. pg_stat_statements is not available on the embedded server; this counts the hub's
 * statements exactly, including BEGIN, SET LOCAL and COMMIT.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
// The same module instance the hub's require('pg') gets: ESM imports of CommonJS share its cache.
import pg from 'pg';

const file = process.env.RENKEI_QUERY_COUNT_FILE;
if (file) {
  let count = 0;
  let written = -1;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(...args) {
    count++;
    return query.apply(this, args);
  };
  // RENKEI_QUERY_SLOW_FILE: statements slower than RENKEI_QUERY_SLOW_MS (100), with their time.
  const slowFile = process.env.RENKEI_QUERY_SLOW_FILE;
  const slowMs = Number(process.env.RENKEI_QUERY_SLOW_MS ?? 100);
  if (slowFile) {
    const counted = pg.Client.prototype.query;
    pg.Client.prototype.query = function timedQuery(...args) {
      const t0 = performance.now();
      const r = counted.apply(this, args);
      if (r && typeof r.then === 'function') {
        r.then(
          () => {
            const ms = performance.now() - t0;
            if (ms < slowMs) return;
            const text = typeof args[0] === 'string' ? args[0] : args[0]?.text;
            appendFileSync(
              slowFile,
              `${ms.toFixed(0)}\t${String(text).replace(/\s+/g, ' ').slice(0, 300)}\n`,
            );
          },
          () => {},
        );
      }
      return r;
    };
  }
  setInterval(() => {
    if (count !== written) {
      writeFileSync(file, String(count));
      written = count;
    }
  }, 100).unref();
}
