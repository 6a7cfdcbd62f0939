import { parentPort } from 'node:worker_threads';
import type { ReadOptions } from './entry-input';
import { presortValues } from './presorted-values';

/** The entry of a PresortPool worker thread: one text in, its presorted values (or null) out. */
parentPort?.on('message', (task: { text: string; options: ReadOptions }) => {
  parentPort!.postMessage(presortValues(task.text, task.options));
});
