/* global setInterval -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Preloaded into the hub (`node --import bench/scale/count-queries.mjs`) by bench/scale: counts
 * every statement the hub sends to PostgreSQL (each call of pg's Client#query, which TypeORM and
 * the COPY paths use) and writes the count to RENKEI_QUERY_COUNT_FILE every 100 ms when it
 * changed. pg_stat_statements is not available on the embedded server; this counts the hub's
 * statements exactly, including BEGIN, SET LOCAL and COMMIT.
 */
import { writeFileSync } from 'node:fs';
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
  setInterval(() => {
    if (count !== written) {
      writeFileSync(file, String(count));
      written = count;
    }
  }, 100).unref();
}
