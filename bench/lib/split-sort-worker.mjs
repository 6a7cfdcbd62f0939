/* global performance, Buffer -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * A worker thread of bench/import-floor.mjs's parse-and-sort floor: given a SharedArrayBuffer
 * holding an import body and a byte range of it that starts and ends at a line boundary, it
 * splits the range into lines and sorts and de-duplicates them in list_entry's key order (the
 * value's bytes, COLLATE "C": latin1-decoded strings compare by their bytes), optionally
 * checking each line with the hub's own parseIndicator first. Answers the sorted keys as one
 * '\n'-joined string (a single copy to the main thread, not a million structured-clone
 * strings) and its own wall time (Node 20 has no per-thread CPU clock; the bench process is
 * otherwise idle, so its process CPU is the workers' and the merge's).
 */
import { parentPort } from 'node:worker_threads';
import { sortUnique, splitLines } from './split-sort.mjs';

parentPort.on('message', ({ sab, start, end, parse }) => {
  const t0 = performance.now();
  const text = sortUnique(splitLines(Buffer.from(sab, start, end - start), parse)).join('\n');
  parentPort.postMessage({ text, ms: performance.now() - t0 });
});
