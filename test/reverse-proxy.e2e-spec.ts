import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:https';
import WebSocket from 'ws';
import { createOrg, member } from './support/community';
import { freePort } from './support/ports';
import { startTestHub, TestHub } from './support/test-hub';
import { ensureDebianTools } from './support/debian-packages';

/*
 * The nginx example of docs/firewalls.md ("Running the hub behind a reverse proxy"), taken from
 * the page as written, in front of a hub started with TRUSTED_PROXIES=loopback: TLS is
 * terminated, subscriptions upgrade through it, and a client cannot pass a token's address
 * ranges by sending its own X-Forwarded-For. Skipped, saying so, where nginx or openssl is
 * missing.
 */

jest.setTimeout(180_000);

const has = (cmd: string, args: string[]) => {
  try {
    return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
};
ensureDebianTools({ nginx: 'nginx-light', openssl: 'openssl' });
const available = has('nginx', ['-v']) && has('openssl', ['version']);
if (!available) console.warn('reverse-proxy.e2e-spec: skipped: nginx or openssl is not installed');
const describeIf = available ? describe : describe.skip;

/** The nginx blocks of the page's reverse-proxy section, pointed at this test's ports and files. */
function documentedConfig(hubPort: number, tlsPort: number, dir: string): string {
  const page = readFileSync(join(__dirname, '..', 'docs', 'firewalls.md'), 'utf8');
  const section = page.slice(page.indexOf('## Running the hub behind a reverse proxy'));
  const block = /```nginx\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block)
    throw new Error('docs/firewalls.md has no nginx example in its reverse-proxy section');
  return block
    .replace('listen 80;', `listen 127.0.0.1:${tlsPort + 1};`)
    .replace(/listen 443 ssl/, `listen 127.0.0.1:${tlsPort} ssl`)
    .replace('http://127.0.0.1:4000', `http://127.0.0.1:${hubPort}`)
    .replace(/\/etc\/letsencrypt\/live\/hub\.example\.org\/fullchain\.pem/, join(dir, 'cert.pem'))
    .replace(/\/etc\/letsencrypt\/live\/hub\.example\.org\/privkey\.pem/, join(dir, 'key.pem'));
}

describeIf('the documented reverse proxy', () => {
  let hub: TestHub;
  let nginx: ChildProcess;
  let dir: string;
  let url: string;
  let inRange: string;
  let outOfRange: string;

  beforeAll(async () => {
    hub = await startTestHub({ TRUSTED_PROXIES: 'loopback' });
    const admin = (await hub.bootstrapAdmin()).token;
    const org = await createOrg(hub, admin, {
      name: 'Kanto Electric',
      sectorCode: 'electric-power',
    });
    const orgAdmin = await member(hub, admin, org, 'admin@kanto.example', 'ORG_ADMIN');
    const token = async (ranges: string[]) => {
      const r = await hub.gql<{ createApiToken: { token: string } }>(
        'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
        { i: { name: `t ${ranges}`, scopes: ['feeds:read'], allowedRanges: ranges } },
        orgAdmin.token,
      );
      return r.data!.createApiToken.token;
    };
    inRange = await token(['127.0.0.0/8']);
    outOfRange = await token(['203.0.113.0/24']);

    dir = mkdtempSync(join(tmpdir(), 'renkei-nginx-'));
    spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=hub.example.org',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    const tlsPort = await freePort();
    const hubPort = Number(new URL(hub.url).port);
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${documentedConfig(hubPort, tlsPort, dir)}
}
`,
    );
    const check = spawnSync('nginx', ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], {
      encoding: 'utf8',
    });
    if (check.status !== 0) throw new Error(`nginx -t: ${check.stderr}`);
    nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    url = `https://127.0.0.1:${tlsPort}`;
    // nginx starts in its own time (longer on a loaded machine); not ready is a failure that
    // says why, not a later ECONNREFUSED.
    let ready = false;
    for (let i = 0; i < 300 && !ready && nginx.exitCode === null; i++) {
      ready = (await status('/healthz').catch(() => 0)) === 200;
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    if (!ready) {
      const log = existsSync(join(dir, 'error.log'))
        ? readFileSync(join(dir, 'error.log'), 'utf8')
        : '';
      throw new Error(`nginx did not answer on ${url} (exit ${nginx.exitCode}): ${log}`);
    }
  }, 60_000);

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await hub?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The status of a GET through nginx (its certificate is self-signed for the test). */
  const status = (path: string, headers: Record<string, string> = {}) =>
    new Promise<number>((resolve, reject) => {
      get(`${url}${path}`, { headers, rejectUnauthorized: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).on('error', reject);
    });

  const pull = (token: string, forwarded?: string) =>
    status('/feeds/ipv4.txt', {
      authorization: `Bearer ${token}`,
      ...(forwarded ? { 'x-forwarded-for': forwarded } : {}),
    });

  it('serves the hub over TLS, the client address being the one nginx saw', async () => {
    expect(await pull(inRange)).toBe(200);
    // Refused as unauthenticated (401) or, once a token outside its ranges says so, 403.
    expect([401, 403]).toContain(await pull(outOfRange));
  });

  it("replaces a client's own X-Forwarded-For, so it cannot pass a token's ranges", async () => {
    expect([401, 403]).toContain(await pull(outOfRange, '203.0.113.9'));
    expect(await pull(inRange, '203.0.113.9')).toBe(200);
  });

  it('upgrades GraphQL subscriptions to WebSocket through it', async () => {
    const ws = new WebSocket(`${url.replace('https', 'wss')}/graphql`, 'graphql-transport-ws', {
      rejectUnauthorized: false,
    });
    const ack = await new Promise<string>((resolve) => {
      ws.on('open', () =>
        ws.send(
          JSON.stringify({
            type: 'connection_init',
            payload: { authorization: `Bearer ${inRange}` },
          }),
        ),
      );
      ws.on('message', (data) => resolve(JSON.parse(data.toString()).type));
      ws.on('close', () => resolve('closed'));
      ws.on('error', (e) => resolve(`error ${e.message}`));
    });
    ws.close();
    expect(ack).toBe('connection_ack');
  });
});
