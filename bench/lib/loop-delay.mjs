/*
 * The hub's own event-loop delay and CPU time, as bench/lib/loop-monitor.mjs prints them on
 * SIGUSR2 (start the hub with `--import` of that file). Each call returns what the hub saw since
 * the previous call and starts its histogram again.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export async function loopDelay(hub) {
  const lines = () =>
    hub.output
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('EVENT-LOOP-DELAY '));
  const seen = lines().length;
  hub.process.kill('SIGUSR2');
  for (;;) {
    const now = lines();
    if (now.length > seen) return JSON.parse(now[now.length - 1].slice(17));
    await sleep(20);
  }
}
