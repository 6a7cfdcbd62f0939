import { Client } from 'pg';
import { createOrg } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/**
 * Addresses stored before the hub compared mailboxes in one spelling (ADR 0016, attack session
 * 5) are brought to that spelling at start: an internationalised domain becomes its ASCII form,
 * so its owner still logs in and is still found as a RED recipient under either spelling;
 * what cannot be made canonical, or would collide, stays as it was.
 */
describe('canonical mailboxes migration', () => {
  let t: TestHub;
  let db: Client;

  afterAll(async () => {
    await db?.end();
    await t?.stop();
  });

  it('rewrites stored internationalised domains to ASCII at the next start, and nothing else', async () => {
    t = await startTestHub();
    const boot = await t.bootstrapAdmin();
    const admin = boot.token;
    const org = await createOrg(t, admin, { name: 'Mailbox Water', sectorCode: 'water' });
    const other = await createOrg(t, admin, { name: 'Mailbox Gas', sectorCode: 'gas' });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const hash = (
      await db.query(`SELECT password_hash FROM hub_user WHERE role = 'hub_admin' LIMIT 1`)
    ).rows[0].password_hash;
    // As an older hub stored them: trimmed and lower-cased only.
    const insert = (orgId: string, email: string, proven: boolean) =>
      db.query(
        `INSERT INTO hub_user (organisation_id, email, display_name, role, password_hash, email_verified_at)
         VALUES ($1, $2, 'Old spelling', 'analyst', $3, ${proven ? 'now()' : 'NULL'}) RETURNING id`,
        [orgId, email, hash],
      );
    const idn = (await insert(org, 'idn@例え.example', true)).rows[0].id;
    const quoted = (await insert(org, '"q"@mailbox.example', false)).rows[0].id;
    // The canonical spelling is already another proven account's: the old one stays.
    await insert(other, 'twin@xn--r8jz45g.example', true);
    const twin = (await insert(org, 'twin@例え.example', true)).rows[0].id;
    await t.stop();
    await db.query(`DELETE FROM migrations WHERE name = 'CanonicalMailboxes1765340000000'`);
    t = await startTestHub({}, t.databaseUrl);
    const emails = new Map(
      (await db.query(`SELECT id, email FROM hub_user`)).rows.map((r) => [r.id, r.email]),
    );
    expect(emails.get(idn)).toBe('idn@xn--r8jz45g.example');
    expect(emails.get(quoted)).toBe('"q"@mailbox.example');
    expect(emails.get(twin)).toBe('twin@例え.example');
    // The owner logs in under either spelling.
    for (const spelling of ['idn@例え.example', 'IDN@xn--r8jz45g.example']) {
      const r = await t.gql('mutation($i: LoginInput!) { login(input: $i) { __typename } }', {
        i: { email: spelling, password: boot.password },
      });
      expect([spelling, r.errors]).toEqual([spelling, undefined]);
    }
  });
});
