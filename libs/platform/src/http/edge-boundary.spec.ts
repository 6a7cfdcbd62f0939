import { createServer, IncomingMessage, request, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardRequests, guardUpgrades } from './edge-boundary';

/** A real HTTP server whose raw listeners throw, as the feeds' fast path once did. */
describe('the edge boundary', () => {
  let server: Server;
  let url: string;
  const logged: string[] = [];
  const log = {
    warn: (_o: object, msg: string) => logged.push(`warn ${msg}`),
    error: (_o: object, msg: string) => logged.push(`error ${msg}`),
  };

  beforeAll(async () => {
    server = createServer();
    server.on(
      'request',
      guardRequests((req) => {
        if (req.url === '/reject') return Promise.reject(new Error('database went away'));
        if (req.url?.startsWith('/decode/')) decodeURIComponent(req.url.slice(8));
        throw new Error('a bug with a secret in its message');
      }, log),
    );
    server.on(
      'upgrade',
      guardUpgrades(() => {
        throw new Error('upgrade bug');
      }, log),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('answers a path that does not decode with 400 and a request id', async () => {
    const res = await fetch(`${url}/decode/%E0%A4%A`, {
      headers: { 'x-request-id': 'req-abcdef12' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'BAD_USER_INPUT', message: expect.stringMatching(/percent-encoded/) },
      requestId: 'req-abcdef12',
    });
    expect(res.headers.get('x-request-id')).toBe('req-abcdef12');
  });

  it('answers a thrown fault and a rejected promise with 500, saying nothing of the cause', async () => {
    for (const path of ['/throw', '/reject']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({
        error: { code: 'INTERNAL_SERVER_ERROR' },
        requestId: res.headers.get('x-request-id'),
      });
      expect(text).not.toMatch(/secret|database|at /);
    }
    expect(logged).toContain('error unhandled error at the edge');
  });

  it('answers a failed upgrade on its socket and closes it', async () => {
    const status = await new Promise<number | undefined>((resolve) => {
      const req = request(`${url}/graphql`, {
        headers: { connection: 'Upgrade', upgrade: 'websocket' },
      });
      req.on('response', (res: IncomingMessage) => resolve(res.statusCode));
      req.on('error', () => resolve(undefined));
      req.end();
    });
    expect(status).toBe(500);
  });

  it('is still listening after all of it', async () => {
    expect(server.listening).toBe(true);
    expect((await fetch(`${url}/decode/ok`)).status).toBe(500);
  });
});
