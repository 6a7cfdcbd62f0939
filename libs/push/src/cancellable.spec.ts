import { cancellable } from './cancellable';

describe('cancellable', () => {
  it('ends a stream waiting for events at once when the subscription completes', async () => {
    let waiting!: () => void;
    const started = new Promise<void>((r) => (waiting = r));
    let yieldedAfterReturn = false;
    const stream = cancellable<number>(async function* (signal) {
      yield 1;
      waiting();
      // Waits for "more events" until aborted; nothing else would ever wake it.
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      if (signal.aborted) return;
      yieldedAfterReturn = true;
      yield 2;
    });
    expect(await stream.next()).toEqual({ value: 1, done: false });
    const pending = stream.next();
    await started;
    // Without the abort this would hang (the test times out): return() would wait behind the
    // pending next(), which waits for an event that never comes.
    expect(await stream.return(undefined)).toEqual({ value: undefined, done: true });
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(yieldedAfterReturn).toBe(false);
  });
});
