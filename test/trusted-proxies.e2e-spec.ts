import WebSocket from 'ws';
import { createOrg, member } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * Behind a reverse proxy, a token's allowed ranges must see the real client's address, and only
 * the configured proxies may say what it is (TRUSTED_PROXIES). The tests reach the hub from
 * loopback, so loopback plays the proxy: one hub trusts it, one (on the same database) trusts
 * nobody. Every path that authenticates a token is asked: GraphQL over HTTP, the feeds (both the
 * full path and the fast path that answers repeated pulls), TAXII, and GraphQL over WebSocket.
 */

jest.setTimeout(180_000);

let behindProxy: TestHub;
let direct: TestHub;
let token: string;

const IN_RANGE = '203.0.113.9';
const OUT_OF_RANGE = '198.51.100.9';

beforeAll(async () => {
  behindProxy = await startTestHub({ TRUSTED_PROXIES: 'loopback' });
  const admin = (await behindProxy.bootstrapAdmin()).token;
  const org = await createOrg(behindProxy, admin, {
    name: 'Kanto Electric',
    sectorCode: 'electric-power',
  });
  const orgAdmin = await member(behindProxy, admin, org, 'admin@kanto.example', 'ORG_ADMIN');
  const r = await behindProxy.gql<{ createApiToken: { token: string } }>(
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
    {
      i: {
        name: 'SOC firewall',
        scopes: ['feeds:read', 'reports:read'],
        allowedRanges: ['203.0.113.0/24'],
      },
    },
    orgAdmin.token,
  );
  token = r.data!.createApiToken.token;
  direct = await startTestHub({}, behindProxy.databaseUrl);
});

afterAll(async () => {
  await Promise.all([behindProxy?.stop(), direct?.stop()]);
});

const headers = (forwarded?: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
  ...(forwarded ? { 'x-forwarded-for': forwarded } : {}),
});

/** Whether each path lets the token in when the request says it comes `forwarded` for. */
async function admitted(hub: TestHub, forwarded?: string): Promise<Record<string, boolean>> {
  const graphql = await fetch(`${hub.url}/graphql`, {
    method: 'POST',
    headers: headers(forwarded),
    body: JSON.stringify({ query: '{ whoami { kind } }' }),
  });
  const body = (await graphql.json()) as { data?: { whoami?: { kind: string } } };
  // Twice: the second pull of a token the full path served is answered by the fast path.
  const feeds: number[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${hub.url}/feeds/ip.txt`, { headers: headers(forwarded) });
    await res.text();
    feeds.push(res.status);
  }
  const taxii = await fetch(`${hub.url}/taxii2/`, {
    headers: { ...headers(forwarded), accept: 'application/taxii+json;version=2.1' },
  });
  await taxii.text();
  return {
    graphql: body.data?.whoami?.kind === 'token',
    feed: feeds[0] === 200,
    fastPath: feeds[1] === 200,
    taxii: taxii.status === 200,
    socket: await socketAdmitted(hub, forwarded),
  };
}

/** Whether graphql-ws acknowledges a connection made with the token. */
async function socketAdmitted(hub: TestHub, forwarded?: string): Promise<boolean> {
  const ws = new WebSocket(`${hub.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', {
    headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
  });
  return new Promise<boolean>((resolve) => {
    ws.on('open', () =>
      ws.send(
        JSON.stringify({
          type: 'connection_init',
          payload: { authorization: `Bearer ${token}` },
        }),
      ),
    );
    ws.on('message', (data) => {
      resolve(JSON.parse(data.toString()).type === 'connection_ack');
      ws.close();
    });
    ws.on('close', () => resolve(false));
    ws.on('error', () => resolve(false));
  });
}

const everywhere = (yes: boolean) => ({
  graphql: yes,
  feed: yes,
  fastPath: yes,
  taxii: yes,
  socket: yes,
});

describe('a token restricted to a range, behind a trusted proxy', () => {
  it('is accepted when the proxy forwards an address in the range', async () => {
    expect(await admitted(behindProxy, IN_RANGE)).toEqual(everywhere(true));
    // The nearest untrusted address counts: a client cannot prepend one of its choosing.
    expect(await admitted(behindProxy, `${IN_RANGE}, ${OUT_OF_RANGE}`)).toEqual(everywhere(false));
  });

  it('is refused when the forwarded address is outside the range, or none is forwarded', async () => {
    expect(await admitted(behindProxy, OUT_OF_RANGE)).toEqual(everywhere(false));
    expect(await admitted(behindProxy)).toEqual(everywhere(false));
  });
});

describe('a token restricted to a range, with no proxy trusted', () => {
  it('ignores X-Forwarded-For: the connecting address decides', async () => {
    expect(await admitted(direct, IN_RANGE)).toEqual(everywhere(false));
  });
});
