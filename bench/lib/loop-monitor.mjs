/* global process -- a Node global (eslint.config.mjs declares none for .mjs) */
/*
 * Preloaded into the hub by bench/event-loop.mjs (`node --import`): the hub's own event-loop
 * delay, measured with monitorEventLoopDelay, without a line of benchmark code in the hub. On
 * SIGUSR2 it prints what it saw since the last signal as one line on stderr and starts again.
 * The CPU time the hub used is printed too: on a shared machine the delay also counts the time
 * the process waited for a core, the CPU time does not.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
let cpu = process.cpuUsage();
process.on('SIGUSR2', () => {
  const used = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const line = {
    p50: ms(histogram.percentile(50)),
    p99: ms(histogram.percentile(99)),
    max: ms(histogram.max),
    samples: histogram.count,
    cpuMs: Math.round((used.user + used.system) / 1000),
  };
  process.stderr.write(`EVENT-LOOP-DELAY ${JSON.stringify(line)}\n`);
  histogram.reset();
});
