import { canonicalMailbox } from '@renkei/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stored addresses in the one spelling the hub now compares (ADR 0016, addendum of attack
 * session 5): an internationalised domain becomes its ASCII form. A quoted local part cannot be
 * made canonical and stays as it was (it can no longer be typed, so it is never proven again);
 * an address whose canonical spelling another account of the organisation (or a proven one)
 * already holds stays as it was too, rather than failing the upgrade.
 */
export class CanonicalMailboxes1765340000000 implements MigrationInterface {
  name = 'CanonicalMailboxes1765340000000';

  async up(q: QueryRunner): Promise<void> {
    const rows: { id: string; email: string }[] = await q.query(
      `SELECT id, email FROM hub_user WHERE email ~ '[^\\x01-\\x7f]' OR email <> lower(btrim(email))`,
    );
    for (const { id, email } of rows) {
      const canonical = canonicalMailbox(email);
      if (!canonical || canonical === email) continue;
      await q.query(
        `UPDATE hub_user u SET email = $2 WHERE u.id = $1 AND NOT EXISTS (
           SELECT 1 FROM hub_user o WHERE o.email = $2 AND o.id <> u.id
              AND (o.organisation_id = u.organisation_id
                   OR (o.email_verified_at IS NOT NULL AND u.email_verified_at IS NOT NULL)))`,
        [id, canonical],
      );
    }
  }

  async down(): Promise<void> {
    // The old spellings are not kept; both spellings reach the same mailbox.
  }
}
