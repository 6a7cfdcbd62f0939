/**
 * An async generator whose return() stops it at once: graphql-ws calls return() when the
 * client completes a subscription, and a plain generator waiting for events would only see it
 * at its next yield — after sending one more event for a subscription the client closed.
 */
export function cancellable<T>(run: (signal: AbortSignal) => AsyncGenerator<T>): AsyncGenerator<T> {
  const abort = new AbortController();
  const gen = run(abort.signal);
  const finish = gen.return.bind(gen);
  gen.return = (value) => {
    abort.abort();
    return finish(value);
  };
  return gen;
}
