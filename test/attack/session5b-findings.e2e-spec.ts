import { readFile } from 'node:fs/promises';
import * as net from 'node:net';
import { ADD, createList, gq, Json, parseCsv, Scene, scene } from './support';

/*
 * Session 5b attack pass (outside view, a hostile member's credentials and a feeds:read
 * token) on today's work: feeds from PostgreSQL (ADR 0037), fast-path revalidation (ADR 0040),
 * push reads per organisation (ADR 0038), re-import in the hub (ADR 0039), canonical e-mail
 * and the idle timeout that no longer cuts a request being answered. FINDINGS: each test states
 * the property that should hold and fails now. Properties that held: session5b.e2e-spec.ts.
 */

jest.setTimeout(300_000);

let s: Scene;
const IDLE_MS = 2000;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function released(r: Json): Promise<Json> {
  const held = r?.addListEntries?.held ?? r?.held;
  if (held) {
    const a = await gq(
      s.t,
      'mutation($c: Int!) { approveFeedChange(changeId: $c, note: "ok") { changeId } }',
      { c: held.changeId },
      s.admin,
    );
    if (a.errors) throw new Error(JSON.stringify(a.errors));
  }
  return r;
}

beforeAll(async () => {
  // A short idle timeout so that "longer than the idle timeout" fits in a test.
  s = await scene({ HTTP_IDLE_TIMEOUT_MS: String(IDLE_MS) });
});

afterAll(async () => {
  await s?.t.stop();
});

describe('sockets a client holds', () => {
  it('a complete feed request whose answer the client never reads is closed after the idle timeout, not held forever', async () => {
    // An 18 MB STIX feed (30,000 domains); the firewall token's owner sends complete requests
    // and never reads. Observed: with HTTP_IDLE_TIMEOUT_MS at 2 s all five sockets are still
    // open after 20 s (10x the idle timeout); presumably e610605's "a request the hub is still
    // working on is not cut" counts a write stalled by the client as the hub's work. Each such
    // socket pins a connection, its buffers and the body.
    const l = await createList(s.t, s.op.analyst.token, 'slow reader list', { anonymous: false });
    const body = Array.from({ length: 30_000 }, (_, i) => `b${i}.slow5b-example.com`).join('\n');
    const res = await fetch(`${s.t.url}/api/lists/${l}/entries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.op.writer}`, 'content-type': 'text/plain' },
      body,
    });
    await released(await res.json());
    const warm = await fetch(`${s.t.url}/feeds/all.stix`, {
      headers: { authorization: `Bearer ${s.peer.feeds}` },
    });
    expect((await warm.text()).length).toBeGreaterThan(5_000_000);

    const u = new URL(s.t.url);
    const socks = Array.from({ length: 5 }, () => {
      const sk = net.connect(Number(u.port), u.hostname);
      const st = { closed: false };
      sk.on('error', () => undefined);
      sk.on('close', () => (st.closed = true));
      sk.write(
        `GET /feeds/all.stix HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.peer.feeds}\r\n\r\n`,
      );
      sk.pause(); // never read the answer
      return { sk, st };
    });
    await wait(IDLE_MS * 10);
    // A client that does not read cannot see the hub close (the FIN waits behind unread bytes):
    // asked of the kernel instead, whether the hub's end of each socket is still established.
    const ports = new Set(socks.map((c) => c.sk.localPort));
    const held = (await hubSideEstablished(Number(u.port))).filter((p) => ports.has(p));
    for (const c of socks) c.sk.destroy();
    expect(held).toEqual([]);
  });
});

/** Remote ports of the connections to `port` whose hub side is ESTABLISHED (/proc/net/tcp*). */
async function hubSideEstablished(port: number): Promise<number[]> {
  const out: number[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const [, local, remote, state] = line.trim().split(/\s+/);
      if (!local || state !== '01') continue;
      if (parseInt(local.split(':')[1], 16) !== port) continue;
      out.push(parseInt(remote.split(':')[1], 16));
    }
  }
  return out;
}

describe('sockets a client holds (headers)', () => {
  it('a request whose headers never end (one header line a second, slowloris) is cut within 95 s, not held', async () => {
    // With HTTP_IDLE_TIMEOUT_MS at 2 s each line resets the idle timer, so only a header
    // deadline can end it (Node's own default: 60 s, checked every 30 s). Observed: ten such
    // sockets of one client, no token, all still open after 95 s (and one after 130 s).
    const u = new URL(s.t.url);
    const socks = Array.from({ length: 10 }, () => {
      const sk = net.connect(Number(u.port), u.hostname);
      const st = { closed: false };
      sk.on('error', () => undefined);
      sk.on('close', () => (st.closed = true));
      sk.write('GET /feeds/all.csv HTTP/1.1\r\nHost: x\r\n');
      return { sk, st };
    });
    const iv = setInterval(() => {
      for (const c of socks) if (!c.st.closed) c.sk.write('X-a: b\r\n');
    }, 1000);
    await wait(95_000);
    clearInterval(iv);
    const open = socks.filter((c) => !c.st.closed).length;
    for (const c of socks) c.sk.destroy();
    expect(open).toBe(0);
  });
});

describe('the CSV feed a member writes into every other member’s tools', () => {
  // Fixed by refusing such tags at every edge (tagProblem: GraphQL, REST options, CSV cells,
  // STIX labels), so no feed can write them; csvCell also neutralises a leading TAB or CR now
  // (libs/platform/src/text/csv-cell.spec.ts), for tags stored before.
  async function refused(tags: string[], host: string): Promise<void> {
    const l = await createList(s.t, s.op.analyst.token, `csv ${host}`, { anonymous: false });
    const r = await gq(s.t, ADD, { l, i: { text: host, tags } }, s.op.analyst.token);
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ path: 'input.tags' }],
    });
    // Nothing of it reaches the feed.
    const res = await fetch(`${s.t.url}/feeds/all.csv?list=${l}`, {
      headers: { authorization: `Bearer ${s.peer.feeds}` },
    });
    expect(parseCsv(await res.text()).filter((x) => x[0] === host)).toEqual([]);
  }

  it('a tag with the tag separator ";" reads back from the CSV feed as the one tag stored, not as two', async () => {
    // A member tags its entry "benign;false-positive": JSON and STIX said one tag, the CSV feed
    // (whose tags cell is ";"-separated, the separator the hub's own CSV import reads) two, so a
    // consumer's rule on the tag "false-positive" fired on a tag nobody set.
    await refused(['benign;false-positive'], 'semi.findings5b.example');
    await refused(['a|b'], 'pipe.findings5b.example');
  });

  it('a tags cell starting with a tab or carriage return before a formula is neutralised like "=" itself', async () => {
    // OWASP's CSV-injection list has TAB (0x09) and CR (0x0D) beside "=", "+", "-", "@".
    for (const [i, t] of ['\t=HYPERLINK("http://x.example","y")', '\r=1+1'].entries()) {
      await refused([t], `tab${i}.findings5b.example`);
    }
  });
});
