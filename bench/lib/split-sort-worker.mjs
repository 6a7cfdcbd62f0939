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
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

const { parseIndicator } = createRequire(import.meta.url)(
  '../../dist/libs/indicators/src/values/indicator-value.js',
);

parentPort.on('message', ({ sab, start, end, parse }) => {
  const t0 = performance.now();
  const lines = Buffer.from(sab, start, end - start)
    .toString('latin1')
    .split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (parse) {
    for (let i = 0; i < lines.length; i++) {
      const p = parseIndicator(lines[i]);
      if (!p.ok) throw new Error(`line ${i + 1}: ${p.message}`);
      lines[i] = p.value;
    }
  }
  lines.sort();
  let n = 0;
  for (let i = 0; i < lines.length; i++)
    if (n === 0 || lines[i] !== lines[n - 1]) lines[n++] = lines[i];
  lines.length = n;
  const text = lines.join('\n');
  parentPort.postMessage({ text, ms: performance.now() - t0 });
});
