import { performance } from 'node:perf_hooks';

/**
 * Work that can stop between steps: a generator that yields (nothing) wherever it may be paused,
 * every few hundred items, and returns its result. The same code runs straight through
 * (`finish`, for tests and small inputs) or in time slices (`TimeSlices.run`).
 */
export type Steps<T> = Generator<void, T, void>;

export function finish<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Long work done in slices (ADR 0020). Once a slice has run `budgetMs`, the next step hands the
 * event loop a turn (setImmediate runs after pending I/O), so health checks, GraphQL and other
 * feeds are answered while a 2,000,000-line feed renders. One instance spans one render, so every
 * stage of it shares one budget.
 */
export class TimeSlices {
  private started = performance.now();
  private calls = 0;

  constructor(private readonly budgetMs = 10) {}

  async run<T>(steps: Steps<T>): Promise<T> {
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
      const due = this.pauseIfLong();
      if (due) await due;
    }
  }

  /**
   * For a plain loop: call once per item, await what it returns (rarely anything). The clock is
   * read every 256 calls, so a call costs next to nothing.
   */
  due(): Promise<void> | undefined {
    return (++this.calls & 255) === 0 ? this.pauseIfLong() : undefined;
  }

  /** A promise to await when the slice is used up, else undefined (no await, no microtask). */
  pauseIfLong(): Promise<void> | undefined {
    if (performance.now() - this.started < this.budgetMs) return undefined;
    return new Promise((resolve) =>
      setImmediate(() => {
        this.started = performance.now();
        resolve();
      }),
    );
  }
}
