import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './support/ports';
import { HUB_MAIN, hubEnv, startTestHub, STRONG_PASSWORD, TestHub } from './support/test-hub';

const exec = promisify(execFile);

/**
 * Backup → wipe → restore of the embedded default (what `npm start` runs), taken online while
 * the hub serves and writes: the same rows, the same feed, TOTP logins still working (the keys
 * came back with the data) and the audit chain intact. And a hub whose keys are gone refuses to
 * start instead of locking every user out of their authenticator app.
 */
describe('backup and restore of the embedded database and its keys', () => {
  let dir: string;
  let env: Record<string, string>;
  let port: number;
  let hub: TestHub | undefined;
  const passphrase = 'correct horse battery staple';

  const cli = (args: string[], extra: Record<string, string> = {}) =>
    exec(process.execPath, [HUB_MAIN, ...args], {
      env: hubEnv({ ...env, BACKUP_PASSPHRASE: passphrase, ...extra }),
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'renkei-backup-'));
    chmodSync(dir, 0o755); // the postgres system user must reach it when tests run as root
    port = await freePort();
    env = {
      PG_DATA_DIR: join(dir, 'pg'),
      KEYS_DIR: join(dir, 'keys'),
      PG_PORT: String(await freePort()),
    };
  });
  afterAll(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function must<T>(query: string, variables: Record<string, unknown>, token: string) {
    const r = await hub!.gql<T>(query, variables, token);
    if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data;
  }

  it('restores what an online backup saw: rows, feed, TOTP logins and the audit chain', async () => {
    hub = await startTestHub(env, undefined, port);
    const admin = await hub.bootstrapAdmin();
    const { createIndicatorList: list } = await must<{ createIndicatorList: { id: string } }>(
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      { i: { name: 'Scanners', tlp: 'CLEAR' } },
      admin.token,
    );
    const addresses = Array.from({ length: 500 }, (_, i) => `45.${(i >> 8) + 10}.${i & 255}.7`);
    await must(
      'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { applied } }',
      { l: list.id, i: { text: addresses.join('\n') } },
      admin.token,
    );
    const { createApiToken } = await must<{ createApiToken: { token: string } }>(
      'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
      { i: { name: 'firewall', scopes: ['feeds:read'] } },
      admin.token,
    );
    const feed = async () => {
      const r = await fetch(`${hub!.url}/feeds/ipv4.txt`, {
        headers: { authorization: `Bearer ${createApiToken.token}` },
      });
      expect(r.status).toBe(200);
      return createHash('sha256')
        .update(await r.text())
        .digest('hex');
    };
    const counts = async () =>
      (await must<{ auditLog: { totalCount: number }; indicatorList: { liveEntries: number } }>(
        'query($l: ID!) { auditLog(first: 1) { totalCount } indicatorList(id: $l) { liveEntries } }',
        { l: list.id },
        admin.token,
      )) as unknown as Record<string, unknown>;
    const feedBefore = await feed();
    const countsBefore = await counts();

    // Online: the hub keeps running (and answering) while the backup is taken.
    const backupDir = join(dir, 'backup');
    const taken = await cli(['--backup', backupDir]);
    expect(taken.stderr).toBe('');
    expect(taken.code).toBe(0);
    expect(taken.stdout).toContain('backup written to');
    expect(readdirSync(backupDir).sort()).toEqual([
      'keys.sealed',
      'manifest.json',
      'pgdata.tar.gz',
      'wal.tar.gz',
    ]);
    // The keys are sealed: neither the seal key nor the superuser secret is readable in the backup.
    const keyFile = readFileSync(join(dir, 'keys', 'totp-local.key'), 'utf8').trim();
    const secret = readFileSync(join(dir, 'pg', 'renkei-superuser.secret'), 'utf8').trim();
    const sealed = readFileSync(join(backupDir, 'keys.sealed'), 'utf8');
    expect(sealed).not.toContain(keyFile);
    expect(sealed).not.toContain(secret);
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    expect(await feed()).toBe(feedBefore);

    // Written after the backup: gone after the restore.
    await must(
      'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { applied } }',
      { l: list.id, i: { text: '45.99.99.99' } },
      admin.token,
    );
    const enrolled = new Map(hub.authenticators);
    expect(await hub.stop()).toBe(0);
    hub = undefined;

    // Refusals first: a wrong passphrase, a non-empty target.
    const wrong = await cli(['--restore', backupDir], { BACKUP_PASSPHRASE: 'not the passphrase' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('does not open');
    const notEmpty = await cli(['--restore', backupDir]);
    expect(notEmpty.code).toBe(2);
    expect(notEmpty.stderr).toContain('is not empty');

    // Wipe, restore, start.
    rmSync(join(dir, 'pg'), { recursive: true, force: true });
    rmSync(join(dir, 'keys'), { recursive: true, force: true });
    const restored = await cli(['--restore', backupDir]);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    hub = await startTestHub(env, undefined, port);
    expect(await feed()).toBe(feedBefore);
    expect(await counts()).toEqual(countsBefore);
    // A full login with the authenticator app enrolled before the backup: the seal key came back.
    for (const [email, a] of enrolled) hub.authenticators.set(email, a);
    const session = await hub.login(admin.email, STRONG_PASSWORD);
    const chain = await must<{ verifyAuditChain: { intact: boolean } }>(
      'mutation { verifyAuditChain { intact } }',
      {},
      session,
    );
    expect(chain.verifyAuditChain.intact).toBe(true);
  }, 240_000);

  it('refuses to start when enrolled seeds exist but their keys are gone', async () => {
    await hub?.stop();
    hub = undefined;
    expect(existsSync(join(dir, 'keys', 'totp-local.key'))).toBe(true);
    rmSync(join(dir, 'keys'), { recursive: true, force: true });
    const r = await exec(process.execPath, [HUB_MAIN], {
      env: hubEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }),
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Authenticator-app seeds in this database were sealed with key "local"',
    );
    expect(r.stderr).toContain('--restore');
  }, 120_000);

  it('says what to do instead with an external PostgreSQL', async () => {
    const r = await cli(['--backup', join(dir, 'nope')], {
      DATABASE_URL: 'postgres://x@127.0.0.1:1/x',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pg_dump');
  });
});
