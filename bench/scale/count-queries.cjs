/* global require, process, setInterval -- CommonJS preload for the hub process */
/*
 * Preloaded into the hub (`node --require bench/scale/count-queries.cjs`) by bench/scale: counts
 * every statement the hub sends to PostgreSQL (each call of pg's Client#query, which TypeORM and
 * the COPY paths use) and writes the count to RENKEI_QUERY_COUNT_FILE every 100 ms when it
 * changed. pg_stat_statements is not available on the embedded server; this counts the hub's
 * statements exactly, including BEGIN, SET LOCAL and COMMIT.
 */
const { writeFileSync } = require('node:fs');
const pg = require('pg');

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
