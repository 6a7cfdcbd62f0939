import type { OnModuleDestroy } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReadOptions } from './entry-input';
import type { PresortedValues } from './presorted-values';

/** Texts shorter than this are sorted on the main thread as before: it takes milliseconds. */
export const PRESORT_MIN_CHARS = 1_000_000;

/**
 * A small, bounded pool of worker threads that read a large plain-text import's values and sort
 * them (ADR 0042) while the main thread reads the same text into rows and guards them: the sort
 * leaves the import's critical path and the main thread's event loop.
 *
 * Bounded: at most `size` texts at a time (one worker each, started on first use and kept), and
 * no queue: when every worker is busy the caller is answered `undefined` at once and sorts on
 * its own thread, as every import did before. A worker that throws or stops fails only its own
 * text (the promise rejects with a clear message; the caller falls back) and is replaced on the
 * next use; the hub keeps serving. Framework-free (a factory provides it), for unit tests.
 */
export class PresortPool implements OnModuleDestroy {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private busy = 0;
  private readonly size: number;
  private readonly script: string;
  private readonly warn: (message: string) => void;

  constructor(options: { size?: number; script?: string; warn?: (message: string) => void } = {}) {
    // On two cores one worker: the main thread and PostgreSQL's backend need the rest.
    this.size = options.size ?? Math.max(1, Math.min(2, availableParallelism() - 1));
    this.script = options.script ?? join(__dirname, 'presort-worker.js');
    this.warn = options.warn ?? (() => undefined);
  }

  /**
   * The text's values, read with `options`, sorted and de-duplicated in a worker; `undefined`
   * when the text is small or every worker is busy (sort on this thread). The promise never
   * rejects: a failed worker is logged and answers null, as a text it cannot presort.
   */
  presort(text: string, options: ReadOptions): Promise<PresortedValues | null> | undefined {
    if (text.length < PRESORT_MIN_CHARS || this.busy >= this.size) return undefined;
    return this.run(text, options).catch((e: Error) => {
      this.warn(`${e.message}; the import sorts on the main thread`);
      return null;
    });
  }

  /** One text in a worker; rejects when the worker throws or stops. Exposed for tests. */
  run(text: string, options: ReadOptions): Promise<PresortedValues | null> {
    const worker = this.idle.pop() ?? this.spawn();
    this.busy++;
    return new Promise<PresortedValues | null>((resolve, reject) => {
      const settle = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        this.busy--;
      };
      const onMessage = (answer: PresortedValues | null) => {
        settle();
        this.idle.push(worker);
        resolve(answer);
      };
      const onError = (e: Error) => {
        settle();
        this.retire(worker);
        reject(new Error(`an import's sort worker failed: ${e.message}`));
      };
      const onExit = (code: number) => {
        settle();
        this.retire(worker);
        reject(new Error(`an import's sort worker stopped (exit code ${code})`));
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage({ text, options });
    });
  }

  async onModuleDestroy(): Promise<void> {
    const workers = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private spawn(): Worker {
    const worker = new Worker(this.script);
    // An idle worker does not keep the process alive, and one that stops while idle is dropped.
    worker.unref();
    worker.on('exit', () => this.retire(worker));
    worker.on('error', () => undefined); // reported to the task that was running, if any
    this.all.add(worker);
    return worker;
  }

  private retire(worker: Worker): void {
    this.all.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    void worker.terminate();
  }
}
