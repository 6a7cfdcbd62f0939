import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readText } from './entry-input';
import { PRESORT_MIN_CHARS, PresortPool } from './presort-pool';
import { presortedKeys, presortValues } from './presorted-values';

// The worker runs compiled code: jest's global setup builds the hub into dist/.
const COMPILED = join(__dirname, '../../../../dist/libs/indicators/src/imports');

/** A large text with what the reader normalises: BOM, CRLF, comments, blanks, defanging, repeats. */
function bigText(lines: number): string {
  const out = ['\uFEFF# a comment', ''];
  for (let i = 0; i < lines; i++) {
    const v = `${11 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.${1 + (i % 200)}`;
    out.push(i % 97 === 0 ? v.replace(/\.(\d+)$/, '[.]$1') : i % 89 === 0 ? `${v}\r` : v);
    if (i % 1000 === 0) out.push(v); // repeated
  }
  return out.join('\n');
}

/** What the main thread would write: its own rows' values, sorted, de-duplicated. */
function mainThreadKeys(text: string): string[] {
  return [...new Set(readText(text).rows.map((r) => r.value))].sort();
}

describe('presortValues', () => {
  it('answers the values the main thread reads, sorted and de-duplicated', async () => {
    const text = bigText(30_000);
    const rows = readText(text).rows;
    expect(await presortedKeys(Promise.resolve(presortValues(text, {})), rows)).toEqual(
      mainThreadKeys(text),
    );
  });

  it('declines a text with a refused line or more than one kind of value', () => {
    expect(presortValues('1.2.3.4\nnot a value', {})).toBeNull();
    expect(presortValues('1.2.3.4\nexample.org', {})).toBeNull();
    expect(presortValues('10.1.2.3/8', {})).toBeNull();
    expect(presortValues('10.1.2.3/8', { normalise: true })?.chunks).toEqual(['10.0.0.0/8']);
  });

  it('is not used for rows that are not all the lines it read', async () => {
    const text = '1.2.3.4\n5.6.7.8\n1.2.3.4';
    const rows = readText(text).rows;
    const presorted = Promise.resolve(presortValues(text, {}));
    expect(await presortedKeys(presorted, rows)).toEqual(['1.2.3.4', '5.6.7.8']);
    expect(await presortedKeys(presorted, rows.slice(1))).toBeUndefined();
    expect(await presortedKeys(undefined, rows)).toBeUndefined();
  });
});

describe('PresortPool', () => {
  let dir: string;
  let script: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'presort-'));
    script = join(dir, 'worker.js');
    // The worker's one line (presort-worker.ts), but a text 'crash' stops the thread and
    // 'throw' throws in it.
    writeFileSync(
      script,
      `const { parentPort } = require('node:worker_threads');
       const { presortValues } = require(${JSON.stringify(join(COMPILED, 'presorted-values.js'))});
       parentPort.on('message', (task) => {
         if (task.text.startsWith('crash')) process.exit(7);
         if (task.text.startsWith('throw')) throw new Error('boom');
         parentPort.postMessage(presortValues(task.text, task.options));
       });`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sorts a large text in a worker as the main thread would', async () => {
    const pool = new PresortPool({ script: join(COMPILED, 'presort-worker.js') });
    try {
      const text = bigText(80_000);
      expect(text.length).toBeGreaterThanOrEqual(PRESORT_MIN_CHARS);
      const keys = await presortedKeys(pool.presort(text, {}), readText(text).rows);
      expect(keys).toEqual(mainThreadKeys(text));
      expect(pool.presort('1.2.3.4', {})).toBeUndefined(); // small: sorted on the main thread
    } finally {
      await pool.onModuleDestroy();
    }
  });

  it('survives a worker that stops or throws: that text fails clearly, the next one is sorted', async () => {
    const pool = new PresortPool({ script, size: 1 });
    try {
      await expect(pool.run('crash', {})).rejects.toThrow(
        "an import's sort worker stopped (exit code 7)",
      );
      await expect(pool.run('throw', {})).rejects.toThrow("an import's sort worker failed: boom");
      // presort never rejects: the import falls back to sorting on its own thread.
      await expect(pool.presort(`crash${' '.repeat(PRESORT_MIN_CHARS)}`, {})).resolves.toBeNull();
      expect((await pool.run('9.9.9.9\n1.1.1.1', {}))?.chunks).toEqual(['1.1.1.1\n9.9.9.9']);
    } finally {
      await pool.onModuleDestroy();
    }
  });

  it('is bounded: with every worker busy a text is sorted by its caller, not queued', async () => {
    const pool = new PresortPool({ script, size: 1 });
    try {
      const text = bigText(80_000);
      const first = pool.presort(text, {});
      expect(first).toBeDefined();
      expect(pool.presort(text, {})).toBeUndefined();
      await first;
      const again = pool.presort(text, {});
      expect(again).toBeDefined();
      await again;
    } finally {
      await pool.onModuleDestroy();
    }
  });
});
