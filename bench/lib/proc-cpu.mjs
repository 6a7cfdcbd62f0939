/*
 * CPU time of a benchmark's hub and of its PostgreSQL, read from /proc: the figures a loaded,
 * shared machine does not stretch the way it stretches wall time.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** utime + stime of a process (ms), and of its exited, waited-for children; 0 once gone. */
export function procCpu(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const tick = 10; // USER_HZ is 100 on Linux
    return {
      own: (Number(f[11]) + Number(f[12])) * tick,
      children: (Number(f[13]) + Number(f[14])) * tick,
      ppid: Number(f[1]),
    };
  } catch {
    return { own: 0, children: 0, ppid: -1 };
  }
}

/**
 * CPU time so far of the hub process and of its PostgreSQL (every live process below the hub,
 * plus what exited backends left in their parents' counts): the figures a loaded, shared
 * machine does not stretch the way it stretches wall time.
 */
export function cpuNow(hubPid) {
  const below = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const c = procCpu(d);
    if (c.ppid > 0) below.set(Number(d), c);
  }
  const descendants = new Set([hubPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, c] of below) {
      if (!descendants.has(pid) && descendants.has(c.ppid)) {
        descendants.add(pid);
        grew = true;
      }
    }
  }
  let pg = 0;
  for (const pid of descendants) {
    if (pid === hubPid) continue;
    const c = below.get(pid);
    pg += c.own + c.children;
  }
  return { hub: procCpu(hubPid).own, pg };
}

/** CPU ms so far of every process below `pid` (live ones, and what exited ones left in their parents). */
export function descendantsCpuMs(pid) {
  return cpuNow(pid).pg;
}
