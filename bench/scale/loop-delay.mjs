/* global setInterval -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Preloaded into a hub beside count-queries.mjs (`node --import`): the hub's event-loop delay,
 * written as JSON ({ p50, p99, max } in ms) to `${RENKEI_QUERY_COUNT_FILE}.loop` every second;
 * SIGUSR2 resets the histogram (bench/scale/push.mjs does before each measurement).
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import process from 'node:process';

const file = process.env.RENKEI_QUERY_COUNT_FILE;
if (file) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  process.on('SIGUSR2', () => h.reset());
  setInterval(() => {
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    writeFileSync(
      `${file}.loop`,
      JSON.stringify({ p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) }),
    );
  }, 1000).unref();
}
