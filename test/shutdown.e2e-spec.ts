import { connect } from 'node:net';
import { STRONG_PASSWORD, startTestHub } from './support/test-hub';
import { WsClient } from './support/ws-client';

/**
 * SIGTERM with subscribers connected: every socket hears 1001 with the cursor to resume from,
 * the hub exits 0 within SHUTDOWN_TIMEOUT_MS and says it stopped; a request that still reaches
 * it on a kept-alive connection is told to come back (503, Retry-After), not reset.
 */
describe('shutdown', () => {
  it('closes subscribers with 1001 and their cursor, and exits 0 in time', async () => {
    const t = await startTestHub({ SHUTDOWN_TIMEOUT_MS: '5000' });
    const admin = (await t.bootstrapAdmin()).token;
    const ws = await WsClient.connect(t.url, admin);
    const idle = await WsClient.connect(t.url, admin); // a subscriber that never heard anything
    ws.subscribe('1', 'subscription { listEvents { cursor } }');
    idle.subscribe('9', 'subscription { reportEvents { cursor } }');
    // Wait until the subscription runs before causing an event.
    await new Promise((r) => setTimeout(r, 300));
    const list = await t.gql<{ createIndicatorList: { id: string } }>(
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      { i: { name: 'Scanners', tlp: 'CLEAR' } },
      admin,
    );
    expect(list.errors).toBeUndefined();
    const event = (await ws.next('1')) as { listEvents: { cursor: string } };
    const cursor = event.listEvents.cursor;

    const code = await t.stop();
    const closed = await ws.closed;
    expect(closed.code).toBe(1001);
    expect(closed.reason).toContain(`after: "${cursor}"`);
    expect((await idle.closed).code).toBe(1001);
    expect(code).toBe(0); // the force-exit backstop (exit 1) never fired
    expect(t.output.join('\n')).toContain('"msg":"stopped"');
  }, 120_000);

  it('answers 503 with Retry-After to a request that arrives while it stops', async () => {
    // A slow password hash keeps the first request in flight while the signal arrives; the
    // second, pipelined on the same connection, is read only after it.
    const t = await startTestHub({ ARGON2_MEMORY_KIB: '65536', ARGON2_TIME_COST: '12' });
    await t.bootstrapAdmin();
    const port = Number(new URL(t.url).port);
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (received += d));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const body = JSON.stringify({
      query: `mutation { login(input: { email: "admin@ci-csirt.example", password: "${STRONG_PASSWORD}" }) { enrolmentRequired } }`,
    });
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    await new Promise((r) => setTimeout(r, 150));
    const exited = t.stop();
    await new Promise((r) => setTimeout(r, 100));
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed;
    expect(await exited).toBe(0);
    const answers = received.split(/(?=HTTP\/1\.1 )/);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 200/);
    expect(answers[0]).toContain('enrolmentRequired');
    expect(answers[1]).toMatch(/^HTTP\/1\.1 503/);
    expect(answers[1].toLowerCase()).toContain('retry-after: 5');
    expect(answers[1]).toContain('SHUTTING_DOWN');
  }, 120_000);
});
