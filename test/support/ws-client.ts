import WebSocket from 'ws';

/**
 * A minimal graphql-ws (graphql-transport-ws) client, written from the protocol so the tests do
 * not share code with the server's library: connection_init, subscribe, next, complete.
 */
export interface Frame {
  type: string;
  id?: string;
  payload?: { data?: Record<string, unknown>; errors?: unknown[] } & Record<string, unknown>;
}

export class WsClient {
  private readonly frames: Frame[] = [];
  private wake: (() => void) | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.wake?.();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake?.();
      }),
    );
  }

  /** Opens and authenticates; resolves once acknowledged, rejects with the close code if refused. */
  static async connect(httpUrl: string, token?: string): Promise<WsClient> {
    const client = await WsClient.open(httpUrl);
    client.send({
      type: 'connection_init',
      payload: token ? { authorization: `Bearer ${token}` } : {},
    });
    const ack = await client.take((f) => f.type === 'connection_ack', 10_000);
    if (!ack) throw new Error(`refused: ${JSON.stringify(await client.closed)}`);
    return client;
  }

  /** Opens the socket only: the caller sends connection_init (or anything else) itself. */
  static async open(httpUrl: string): Promise<WsClient> {
    const ws = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const client = new WsClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    // A socket the hub refuses ends in 'close' with its code; the error event says no more.
    ws.on('error', () => undefined);
    return client;
  }

  /** Sends one frame: an object as JSON, a string byte for byte. */
  send(frame: object | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  subscribe(id: string, query: string, variables: Record<string, unknown> = {}): void {
    this.send({ id, type: 'subscribe', payload: { query, variables } });
  }

  /** Ends a subscription from the client's side (graphql-ws `complete`). */
  complete(id: string): void {
    this.send({ id, type: 'complete' });
  }

  /** The next frame matching, or undefined after `timeoutMs` or when the socket closed. */
  async take(match: (f: Frame) => boolean, timeoutMs: number): Promise<Frame | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex(match);
      if (i >= 0) return this.frames.splice(i, 1)[0];
      if (this.ws.readyState === WebSocket.CLOSED || Date.now() >= deadline) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The data of the next `next` frame of a subscription. */
  async next(id: string, timeoutMs = 10_000): Promise<Record<string, unknown> | undefined> {
    const f = await this.take(
      (x) => x.id === id && (x.type === 'next' || x.type === 'error'),
      timeoutMs,
    );
    if (f?.type === 'error') throw new Error(JSON.stringify(f.payload));
    if (f?.payload?.errors) throw new Error(JSON.stringify(f.payload.errors));
    return f?.payload?.data;
  }

  close(): void {
    this.ws.close(1000);
  }

  /** Stops reading from the socket (a slow consumer), and reads again. */
  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }
}
