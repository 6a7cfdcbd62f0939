import {
  createSourceEventStream,
  DocumentNode,
  execute,
  ExecutionArgs,
  ExecutionResult,
  print,
} from 'graphql';

/**
 * graphql's `subscribe`, except that an event is executed once for every subscriber that would
 * get the same result, rather than once per subscriber (ADR 0032). graphql-ws executes the
 * subscription's selection for each event and each socket: with a thousand subscribers that was
 * a thousand executions per event, of the same view for the twenty sockets of one organisation.
 *
 * Which event a subscriber receives and how it may see it is decided in PushService alone, which
 * hands every subscriber that shares a view and a cursor the very same event object (its
 * `itemFor`). An execution is shared only between subscriptions given that same object (the
 * cache is keyed by its identity, not by anything it says), with the same operation and
 * variables, under a context that resolvers cannot tell apart: the same principal, every field
 * of it, and the same address. Field resolvers read the principal (`unread`, `comments` …), so
 * two tokens of one organisation with different scopes, or two users, never share an execution.
 */
export function sharedSubscribe(readerOf: (contextValue: unknown) => string | undefined) {
  const printed = new WeakMap<DocumentNode, string>();
  const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
  return async (
    args: ExecutionArgs,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return stream;
    const reader = readerOf(args.contextValue);
    let text = printed.get(args.document);
    if (text === undefined) printed.set(args.document, (text = print(args.document)));
    const operation = JSON.stringify([
      reader,
      text,
      args.operationName ?? null,
      args.variableValues ?? null,
    ]);
    const run = (event: unknown): Promise<ExecutionResult> => {
      const once = () => Promise.resolve(execute({ ...args, rootValue: event }));
      if (reader === undefined || typeof event !== 'object' || event === null) return once();
      let byOperation = results.get(event);
      if (!byOperation) results.set(event, (byOperation = new Map()));
      let result = byOperation.get(operation);
      if (!result) byOperation.set(operation, (result = once()));
      return result;
    };
    return mapStream(stream, run);
  };
}

/**
 * What resolvers of a subscription can learn from its context, as one string: every field of
 * the principal (sorted, dates and sets spelled out) and the address. Undefined (no sharing)
 * when there is no principal.
 */
export function readerKey(principal: unknown, address: string | undefined): string | undefined {
  if (!principal || typeof principal !== 'object') return undefined;
  return JSON.stringify([stable(principal), address ?? null]);
}

function stable(v: unknown): unknown {
  if (v instanceof Date) return `date:${v.toISOString()}`;
  if (v instanceof Set) return ['set', ...[...v].map(stable).sort()];
  if (v instanceof Map) return ['map', ...[...v].map(([k, x]) => [stable(k), stable(x)])];
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') {
    return Object.keys(v)
      .sort()
      .map((k) => [k, stable((v as Record<string, unknown>)[k])]);
  }
  return v === undefined ? null : v;
}

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return typeof (x as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}

/** As graphql's mapAsyncIterator: return() and throw() reach the source (a completed subscription stops its stream). */
function mapStream<T, U>(
  source: AsyncIterable<T>,
  fn: (value: T) => Promise<U>,
): AsyncIterableIterator<U> {
  const it = source[Symbol.asyncIterator]();
  // Plain promise chains, not async functions: this runs once per subscriber and event, and
  // every promise costs the hooks AsyncLocalStorage installs (Node 20).
  const failed = async (e: unknown): Promise<never> => {
    await it.return?.().catch(() => undefined);
    throw e;
  };
  const map = (r: IteratorResult<T>): IteratorResult<U> | Promise<IteratorResult<U>> => {
    if (r.done) return r;
    try {
      return fn(r.value).then((value) => ({ value, done: false }), failed);
    } catch (e) {
      return failed(e);
    }
  };
  const mapped: Required<AsyncIterableIterator<U>> = {
    next: () => it.next().then(map),
    return: async () =>
      it.return ? map(await it.return()) : { value: undefined as unknown as U, done: true },
    throw: async (e: unknown) => {
      if (it.throw) return map(await it.throw(e));
      throw e;
    },
    [Symbol.asyncIterator]: () => mapped,
  };
  return mapped;
}
